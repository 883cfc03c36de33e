package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/convintel/convintel/backoff"
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
	retry := backoff.Backoff{Min: minBackoff, Max: w.MaxBackoff}
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
		wait := retry.Next()
		// Throttle retry logs: one line per 10 s at most.
		if time.Since(lastLog) > 10*time.Second {
			w.log.Warn("ClickHouse insert failed; retrying with backoff (fetching paused)", "err", err, "attempt", attempt, "next_in", wait)
			lastLog = time.Now()
		}
		if !backoff.Sleep(ctx, wait) {
			return fmt.Errorf("insert abandoned: %w (last error: %v)", ctx.Err(), err)
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
	// One INSERT at a time is the serial stage of ingest (the next batch
	// is decoded long before it ends), and most of an INSERT's time is
	// ClickHouse's, on one thread per INSERT. The messages table is about
	// 70 % of it; the other tables go beside it on a second connection,
	// so a batch is stored in roughly the messages INSERT's time
	// (docs/performance.md, session 8). The batch is acked only after
	// both lanes succeeded, and a failed batch is retried whole, as before.
	var lanes [2][]int
	for ti := range tables[0] {
		lane := 1
		if tables[0][ti].name == "messages" {
			lane = 0
		}
		lanes[lane] = append(lanes[lane], ti)
	}
	errs := make([]error, len(lanes))
	var wg sync.WaitGroup
	for li := 1; li < len(lanes); li++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[li] = w.writeTables(ctx, tables, lanes[li])
		}()
	}
	errs[0] = w.writeTables(ctx, tables, lanes[0])
	wg.Wait()
	return errors.Join(errs...)
}

// writeTables inserts the tables at indexes tis of every part's tables,
// one INSERT per table, in turn.
func (w *Writer) writeTables(ctx context.Context, tables [][]table, tis []int) error {
	for _, ti := range tis {
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

// String columns are the bulk of an INSERT, and clickhouse-go grows each
// from empty by doubling, batch after batch: 58 % of ingest's allocated
// bytes (docs/performance.md). Its one hook is a process-wide provider of
// new String columns; while a Writer prepares an INSERT it publishes the
// exact size of each of its string columns there, so each is allocated
// once at its final size. Outside that window (any other query of the
// process) the provider returns the library's default, an empty column.
var (
	colSizesMu   sync.Mutex // one INSERT being prepared at a time
	colSizes     atomic.Pointer[map[string]colSize]
	providerOnce sync.Once
)

type colSize struct{ rows, bytes int }

func provideColStr(name string) proto.ColStr {
	if m := colSizes.Load(); m != nil {
		if sz, ok := (*m)[name]; ok {
			return proto.ColStr{Buf: make([]byte, 0, sz.bytes), Pos: make([]proto.Position, 0, sz.rows)}
		}
	}
	return proto.ColStr{}
}

// stringSizes returns, by column name (from the INSERT's column list), the
// rows and bytes of every string column in the largest of blocks: the
// library keeps a column's buffers from one block to the next of an
// INSERT, so sized for the largest, each is allocated once.
func stringSizes(blocks [][]segment) map[string]colSize {
	if len(blocks) == 0 {
		return nil
	}
	names := insertColumns(blocks[0][0].t.insert)
	m := make(map[string]colSize, len(names))
	for _, blk := range blocks {
		var cur map[string]colSize
		for _, sg := range blk {
			for i, col := range sg.t.columns {
				sc, ok := col.(*strCol)
				if !ok || i >= len(names) {
					continue
				}
				if cur == nil {
					cur = make(map[string]colSize, len(names))
				}
				sz := cur[names[i]]
				sz.rows += sg.hi - sg.lo
				sz.bytes += sc.bytesIn(sg.lo, sg.hi)
				cur[names[i]] = sz
			}
		}
		for name, sz := range cur {
			old := m[name]
			m[name] = colSize{max(old.rows, sz.rows), max(old.bytes, sz.bytes)}
		}
	}
	return m
}

// segment is rows [lo, hi) of one part of a table.
type segment struct {
	t      *table
	lo, hi int
}

// insertBlockRows bounds the rows of one block of an INSERT. The library
// copies every appended row into its block, so sending a 50k-row batch as
// one block doubled the batch in memory until it was sent; in blocks the
// copy is one block's size, reused from block to block. ClickHouse
// squashes the blocks of one INSERT into parts of up to
// min_insert_block_size_rows (1,048,576) rows, so the parts written, and
// the merges after, are the same as with one block (TestInsertInBlocks).
var insertBlockRows = 16384

// blocks cuts the rows of parts into the fewest blocks of at most maxRows
// rows, all of one size but the last, in order; a block may span parts.
func blocks(parts []table, maxRows int) [][]segment {
	total := 0
	for _, t := range parts {
		total += t.rows
	}
	if total == 0 {
		return nil
	}
	n := (total + maxRows - 1) / maxRows
	size := (total + n - 1) / n
	var out [][]segment
	var cur []segment
	room := size
	for i := range parts {
		t := &parts[i]
		for lo := 0; lo < t.rows; {
			hi := min(t.rows, lo+room)
			cur = append(cur, segment{t, lo, hi})
			room -= hi - lo
			lo = hi
			if room == 0 {
				out, cur, room = append(out, cur), nil, size
			}
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// sliceRows returns rows [lo, hi) of a column. A String column's rows are
// views in *scratch, valid until the next call: the library copies
// appended strings into its own column at once.
func sliceRows(col any, lo, hi int, scratch *[]string) any {
	switch c := col.(type) {
	case *strCol:
		*scratch = c.strings(lo, hi, *scratch)
		return *scratch
	case []int64:
		return c[lo:hi]
	case []float32:
		return c[lo:hi]
	case []uint8:
		return c[lo:hi]
	case [][]string:
		return c[lo:hi]
	}
	return reflect.ValueOf(col).Slice(lo, hi).Interface()
}

// insertColumns returns the column names of "INSERT INTO t (a, b, c)".
func insertColumns(insert string) []string {
	open, end := strings.IndexByte(insert, '('), strings.LastIndexByte(insert, ')')
	if open < 0 || end < open {
		return nil
	}
	names := strings.Split(insert[open+1:end], ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

// prepare opens the INSERT of blks with its string columns pre-sized.
func (w *Writer) prepare(ctx context.Context, blks [][]segment) (driver.Batch, error) {
	providerOnce.Do(func() { column.WithColStrProvider(provideColStr) })
	sizes := stringSizes(blks)
	colSizesMu.Lock()
	defer colSizesMu.Unlock()
	colSizes.Store(&sizes)
	defer colSizes.Store(nil)
	return w.conn.PrepareBatch(ctx, blks[0][0].t.insert)
}

// insert sends one INSERT whose rows are the given parts of one table, in
// blocks of at most insertBlockRows rows.
func (w *Writer) insert(ctx context.Context, parts []table) error {
	blks := blocks(parts, insertBlockRows)
	if len(blks) == 0 {
		return nil
	}
	b, err := w.prepare(ctx, blks)
	if err != nil {
		return err
	}
	defer b.Close()
	var scratch []string
	for bi, blk := range blks {
		if bi > 0 {
			if err := b.Flush(); err != nil {
				return err
			}
		}
		for _, sg := range blk {
			for i, col := range sg.t.columns {
				if err := b.Column(i).Append(sliceRows(col, sg.lo, sg.hi, &scratch)); err != nil {
					return errors.Join(fmt.Errorf("column %d", i), err)
				}
			}
		}
	}
	return b.Send()
}
