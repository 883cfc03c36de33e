package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Backoff bounds for retrying a batch while ClickHouse is unavailable.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// Writer inserts Rows into ClickHouse through the native protocol, one
// INSERT per non-empty table, retrying with capped exponential backoff
// until the batch is accepted or ctx ends. A batch is retried whole: tables
// already inserted get duplicates, which dedup by event_id makes harmless.
type Writer struct {
	conn    driver.Conn
	log     *slog.Logger
	metrics *Metrics
	// healthy is false while inserts fail; /healthz reports degraded.
	healthy atomic.Bool
	lastErr atomic.Pointer[string]
	// MaxBackoff caps the retry delay (default 10 s).
	MaxBackoff time.Duration
}

// NewWriter returns a Writer on conn. metrics may be nil.
func NewWriter(conn driver.Conn, log *slog.Logger, metrics *Metrics) *Writer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Writer{conn: conn, log: log, metrics: metrics, MaxBackoff: maxBackoff}
	w.healthy.Store(true)
	return w
}

// Healthy reports whether the last insert succeeded, and the last error.
func (w *Writer) Healthy() (bool, string) {
	if w.healthy.Load() {
		return true, ""
	}
	if p := w.lastErr.Load(); p != nil {
		return false, *p
	}
	return false, "inserts failing"
}

// Write inserts every table of the parts (one INSERT per table, the
// parts' columns appended in turn), retrying until success or ctx ends.
func (w *Writer) Write(ctx context.Context, parts ...*Rows) error {
	backoff := minBackoff
	var lastLog time.Time
	for attempt := 1; ; attempt++ {
		err := w.writeOnce(ctx, parts)
		if err == nil {
			if !w.healthy.Swap(true) {
				w.log.Info("ClickHouse accepts inserts again", "attempts", attempt)
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("insert abandoned: %w (last error: %v)", ctx.Err(), err)
		}
		msg := err.Error()
		w.lastErr.Store(&msg)
		w.healthy.Store(false)
		if w.metrics != nil {
			w.metrics.InsertRetries.Inc()
		}
		// Throttle retry logs: one line per 10 s at most.
		if time.Since(lastLog) > 10*time.Second {
			w.log.Warn("ClickHouse insert failed; retrying with backoff (fetching paused)", "err", err, "attempt", attempt, "next_in", backoff)
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("insert abandoned: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(backoff):
		}
		backoff *= 2
		if backoff > w.MaxBackoff {
			backoff = w.MaxBackoff
		}
	}
}

func (w *Writer) writeOnce(ctx context.Context, parts []*Rows) error {
	if len(parts) == 0 {
		return nil
	}
	tables := make([][]table, len(parts))
	for i, p := range parts {
		tables[i] = p.tables()
	}
	for ti := range tables[0] {
		var same []table
		rows := 0
		for _, pt := range tables {
			if pt[ti].rows > 0 {
				same = append(same, pt[ti])
				rows += pt[ti].rows
			}
		}
		if rows == 0 {
			continue
		}
		start := time.Now()
		if err := w.insert(ctx, same); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", rows, same[0].name, err)
		}
		if w.metrics != nil {
			w.metrics.Inserted.WithLabelValues(same[0].name).Add(float64(rows))
			w.metrics.InsertSeconds.WithLabelValues(same[0].name).Observe(time.Since(start).Seconds())
		}
	}
	return nil
}

// insert sends one INSERT whose rows are the given parts of one table.
func (w *Writer) insert(ctx context.Context, parts []table) error {
	b, err := w.conn.PrepareBatch(ctx, parts[0].insert)
	if err != nil {
		return err
	}
	defer b.Close()
	for _, t := range parts {
		for i, col := range t.columns {
			if err := b.Column(i).Append(col); err != nil {
				return errors.Join(fmt.Errorf("column %d", i), err)
			}
		}
	}
	return b.Send()
}
