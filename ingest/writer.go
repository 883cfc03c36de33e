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

// Write inserts every table of r, retrying until success or ctx ends.
func (w *Writer) Write(ctx context.Context, r *Rows) error {
	backoff := minBackoff
	var lastLog time.Time
	for attempt := 1; ; attempt++ {
		err := w.writeOnce(ctx, r)
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

func (w *Writer) writeOnce(ctx context.Context, r *Rows) error {
	for _, t := range r.tables() {
		if t.rows == 0 {
			continue
		}
		start := time.Now()
		if err := w.insert(ctx, t); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", t.rows, t.name, err)
		}
		if w.metrics != nil {
			w.metrics.Inserted.WithLabelValues(t.name).Add(float64(t.rows))
			w.metrics.InsertSeconds.WithLabelValues(t.name).Observe(time.Since(start).Seconds())
		}
	}
	return nil
}

func (w *Writer) insert(ctx context.Context, t table) error {
	b, err := w.conn.PrepareBatch(ctx, t.insert)
	if err != nil {
		return err
	}
	defer b.Close()
	for i, col := range t.columns {
		if err := b.Column(i).Append(col); err != nil {
			return errors.Join(fmt.Errorf("column %d", i), err)
		}
	}
	return b.Send()
}
