// Package backoff is the one retry delay of the project: it doubles from
// a minimum up to a cap. Writers retrying ClickHouse, the Kafka source
// and the metric jobs all use it, each with its own bounds; what to
// retry, and for how long, stays with them.
package backoff

import (
	"context"
	"time"
)

// Backoff is a retry delay that doubles from Min up to Max. The zero
// value is not usable; set Min and Max.
type Backoff struct {
	Min, Max time.Duration
	next     time.Duration
}

// Next returns the delay before the next retry (Min the first time) and
// doubles the one after, up to Max.
func (b *Backoff) Next() time.Duration {
	if b.next == 0 {
		b.next = b.Min
	}
	d := b.next
	b.next = min(2*b.next, b.Max)
	return min(d, b.Max)
}

// Reset makes the next delay Min again (after a success).
func (b *Backoff) Reset() { b.next = 0 }

// Delay is the delay before retry attempt n (0 for the first): min·2ⁿ,
// at most max. It is Next without state, for loops that count attempts.
func Delay(min, max time.Duration, attempt int) time.Duration {
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		return max
	}
	return d
}

// Sleep waits d or until ctx ends; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
