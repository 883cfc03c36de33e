package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Record is one raw event as it arrived.
type Record struct {
	Value  []byte
	Source string // "kafka", "import", …
	// Location identifies the delivery (topic/partition/offset, file:line).
	// Sources on the hot path leave it empty and set Origin, Partition and
	// Offset instead; Where builds the string only for the few records
	// that need it (dead letters).
	Location  string
	Origin    string // topic or file path
	Partition int32  // Kafka partition; -1 for a file (Offset is then the line)
	Offset    int64
	// Oversize marks a line that was over MaxEventBytes; Value holds its head.
	Oversize bool
}

// Where returns the record's location string.
func (r *Record) Where() string {
	switch {
	case r.Location != "":
		return r.Location
	case r.Partition < 0:
		return r.Origin + ":" + strconv.FormatInt(r.Offset, 10)
	}
	return r.Origin + "/" + strconv.Itoa(int(r.Partition)) + "/" + strconv.FormatInt(r.Offset, 10)
}

// Batch is a unit of work from a source. The pipeline calls Ack only after
// every record of the batch is stored (as a row or a dead letter), so a
// crash loses nothing: the source re-delivers what was not acked, and
// dedup by event_id makes the duplicates harmless.
type Batch struct {
	Records []Record
	Bytes   int
	Ack     func(ctx context.Context) error
	// Decoded, when set, is called once every record was decoded: from
	// then on neither the records nor their values are read (rows and dead
	// letters hold copies), so the source may reuse their memory while the
	// batch is inserted. Without it the memory returns at Ack.
	Decoded func()
}

// DeadLetterSink receives rejected inputs beside the ClickHouse table
// (e.g. a Kafka dead-letter topic). It must return only once they are durable.
type DeadLetterSink func(ctx context.Context, dls []DeadLetter) error

// Options configure a Pipeline.
type Options struct {
	Writer  *Writer
	Enrich  Enricher // NLP stage; nil stores events without enrichment
	Workers int      // decode/enrich goroutines (default GOMAXPROCS)
	// Inserts is how many batches may be inserting at once. An INSERT
	// keeps about one core busy (encoding here, parsing and writing in
	// ClickHouse), so the default is one per two cores, at most 2: on 2
	// cores a second one only adds contention (docs/performance.md).
	// Acks stay in batch order whatever order the inserts finish in.
	Inserts int
	Sink    DeadLetterSink
	// MaxDeadLetters stops the pipeline with a *TooManyDeadLettersError
	// once that many inputs were dead-lettered (0: no limit). It is checked
	// per batch, after the batch is stored, so up to one batch more is
	// kept. import sets it per file: a file that is mostly not events is
	// stopped rather than copied into millions of dead letters.
	MaxDeadLetters int64
	Metrics        *Metrics
	Log            *slog.Logger
}

// Counts are running totals of a pipeline.
type Counts struct {
	Consumed     int64
	Stored       int64
	DeadLettered int64
	Batches      int64
	// First is when the first batch began decoding, Last when the latest
	// batch was acked: Last-First is the active time, idle waits excluded.
	First, Last time.Time
}

// Pipeline decodes, enriches and stores batches: decode and enrichment of
// batch n+1 overlap the insert of batch n, and at most two batches are
// held, so memory is bounded by the sources' batch size.
type Pipeline struct {
	opt Options
	dec *Decoder
	// free keeps column buffers between batches. Not a sync.Pool: that is
	// emptied at every GC, and regrowing 50k-row columns each batch was a
	// sixth of all allocation.
	free   chan *Rows
	counts struct{ consumed, stored, dead, batches, first, last atomic.Int64 }
}

// NewPipeline returns a pipeline with opt.
func NewPipeline(opt Options) *Pipeline {
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Inserts <= 0 {
		opt.Inserts = max(1, min(2, runtime.GOMAXPROCS(0)/2))
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{opt: opt, dec: NewDecoder(), free: make(chan *Rows, (opt.Inserts+2)*opt.Workers)}
}

func (p *Pipeline) getRows() *Rows {
	select {
	case r := <-p.free:
		r.Reset()
		return r
	default:
		return new(Rows)
	}
}

func (p *Pipeline) putRows(r *Rows) {
	select {
	case p.free <- r:
	default: // enough kept; let this one go
	}
}

// Counts returns the running totals.
func (p *Pipeline) Counts() Counts {
	c := Counts{Consumed: p.counts.consumed.Load(), Stored: p.counts.stored.Load(), DeadLettered: p.counts.dead.Load(), Batches: p.counts.batches.Load()}
	if f := p.counts.first.Load(); f != 0 {
		c.First, c.Last = time.Unix(0, f), time.Unix(0, p.counts.last.Load())
	}
	return c
}

type decoded struct {
	parts   []*Rows // one per decode worker, inserted as one INSERT per table
	batch   Batch
	events  int // records in the batch
	start   time.Time
	decoded time.Time
	dead    []DeadLetter
	// prev is closed once the batch before this one is acked; done once
	// this one is. Acks go in batch order, so an offset is never committed
	// while an earlier batch may still be lost.
	prev <-chan struct{}
	done chan struct{}
}

// Run consumes batches until in is closed (then returns nil once every
// batch is stored and acked) or ctx ends (then returns ctx's error; what
// was not acked will be re-delivered).
//
// Decoding batch n+1 overlaps the insert of batch n (and of n-1 too with
// Options.Inserts 2, which pays on four cores or more). The source blocks
// while every stage is full, so memory stays bounded: the batch being
// read, the one being decoded and Inserts batches being inserted.
func (p *Pipeline) Run(ctx context.Context, in <-chan Batch) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stage := make(chan decoded)
	var aborted error // set before stage is closed, read after
	go func() {
		defer close(stage)
		prev := make(chan struct{})
		close(prev)
		for b := range in {
			d := p.decode(b)
			d.prev, d.done = prev, make(chan struct{})
			prev = d.done
			select {
			case stage <- d:
			case <-ctx.Done():
				aborted = context.Cause(ctx)
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range p.opt.Inserts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range stage {
				if err := p.store(ctx, d); err != nil {
					cancel(err)
					// Drain so the decode goroutine can finish.
					for range stage {
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	// Stopped by ctx before in was closed: not done, and the caller
	// must know so it stops the source.
	return aborted
}

// decode turns a batch into columns, in parallel over Workers.
func (p *Pipeline) decode(b Batch) decoded {
	start := time.Now()
	p.counts.first.CompareAndSwap(0, start.UnixNano())
	n := len(b.Records)
	p.counts.consumed.Add(int64(n))
	if p.opt.Metrics != nil {
		p.opt.Metrics.Consumed.Add(float64(n))
		p.opt.Metrics.BatchEvents.Observe(float64(n))
	}
	workers := p.opt.Workers
	if n < 256 {
		workers = 1
	}
	parts := make([]*Rows, workers)
	deads := make([][]DeadLetter, workers)
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		rows := p.getRows()
		parts[w] = rows
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			deads[w] = p.decodeRange(b.Records[lo:hi], rows, start)
		}(w)
	}
	wg.Wait()
	var dead []DeadLetter
	for w := range parts {
		dead = append(dead, deads[w]...)
	}
	if b.Decoded != nil {
		// A Kafka batch's raw values are a third of what a batch holds;
		// they go back to the source now instead of after the INSERT.
		b.Decoded()
		b.Records = nil
	}
	return decoded{parts: parts, batch: b, events: n, start: start, decoded: time.Now(), dead: dead}
}

func (p *Pipeline) decodeRange(recs []Record, rows *Rows, now time.Time) []DeadLetter {
	var dead []DeadLetter
	var e Event
	rows.Messages.reserve(len(recs))
	for i := range recs {
		r := &recs[i]
		// The event's strings live in the arena only until Rows.Add has
		// copied them into its columns (a dead letter's are copied below),
		// so one small arena serves the whole range.
		rows.arena.reset()
		if r.Oversize {
			d := DeadLetter{Source: r.Source, Location: r.Where(), Reason: ReasonTooLarge,
				Detail: fmt.Sprintf("event is over the %d-byte limit; raw cut to its first %d bytes", MaxEventBytes, min(len(r.Value), MaxDeadLetterRaw)), Raw: r.Value}.Masked().owned()
			rows.AddDeadLetter(d, now)
			dead = append(dead, d)
			continue
		}
		if err := p.dec.decode(r.Value, &e, &rows.arena); err != nil {
			de := err.(*DecodeError)
			d := DeadLetter{Source: r.Source, Location: r.Where(), Reason: de.Reason, Detail: de.Detail, EventID: strings.Clone(e.EventID), Raw: r.Value}
			if len(r.Value) > MaxDeadLetterRaw {
				d.Detail += " (raw cut to 64 KiB)"
			}
			d = d.Masked().owned()
			rows.AddDeadLetter(d, now)
			dead = append(dead, d)
			continue
		}
		maskEvent(&e)
		if e.Type == TypeMessage && p.opt.Enrich != nil {
			p.opt.Enrich(&e)
		}
		rows.Add(&e, now)
	}
	return dead
}

func (p *Pipeline) store(ctx context.Context, d decoded) error {
	storeStart := time.Now()
	defer func() {
		for _, r := range d.parts {
			p.putRows(r)
		}
	}()
	if err := p.opt.Writer.Write(ctx, d.parts...); err != nil {
		return err
	}
	if len(d.dead) > 0 && p.opt.Sink != nil {
		if err := p.opt.Sink(ctx, d.dead); err != nil {
			return err
		}
	}
	written := time.Now()
	select {
	case <-d.prev:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	defer close(d.done)
	if d.batch.Ack != nil {
		if err := d.batch.Ack(ctx); err != nil {
			// The rows are stored; a failed ack only means re-delivery.
			p.opt.Log.Warn("ack failed; the batch may be delivered again (dedup makes that harmless)", "err", err)
		}
	}
	var stored int64
	for _, r := range d.parts {
		stored += int64(r.Len())
	}
	p.counts.stored.Add(stored)
	dead := p.counts.dead.Add(int64(len(d.dead)))
	p.counts.batches.Add(1)
	p.counts.last.Store(time.Now().UnixNano())
	p.opt.Log.Debug("batch stored", "events", d.events, "decode", d.decoded.Sub(d.start), "wait", storeStart.Sub(d.decoded),
		"write", written.Sub(storeStart), "ack", time.Since(written))
	if m := p.opt.Metrics; m != nil {
		for _, dl := range d.dead {
			m.DeadLettered.WithLabelValues(dl.Reason).Inc()
		}
		m.BatchSeconds.Observe(time.Since(d.start).Seconds())
	}
	if p.opt.MaxDeadLetters > 0 && dead >= p.opt.MaxDeadLetters {
		return &TooManyDeadLettersError{Limit: p.opt.MaxDeadLetters, DeadLettered: dead}
	}
	return nil
}

// TooManyDeadLettersError stops a pipeline that reached
// Options.MaxDeadLetters. What was read before is stored.
type TooManyDeadLettersError struct {
	Limit, DeadLettered int64
}

func (e *TooManyDeadLettersError) Error() string {
	return fmt.Sprintf("stopped after %d dead letters (the limit is %d): the input does not look like contract events; what was read before is stored", e.DeadLettered, e.Limit)
}

// Source sends batches on out until it is done, then closes out.
type Source interface {
	Run(ctx context.Context, out chan<- Batch) error
}

// RunSource stores everything src sends. It returns the pipeline's error
// if storing failed (the source is then stopped and drained, so it never
// blocks), else the source's own error.
func (p *Pipeline) RunSource(ctx context.Context, src Source) error {
	return p.RunSourceFrom(ctx, ctx, src)
}

// RunSourceFrom is RunSource with the source reading under srcCtx: ending
// srcCtx stops reading while what was read is still stored and acked
// (graceful shutdown); ending ctx abandons storing.
func (p *Pipeline) RunSourceFrom(ctx, srcCtx context.Context, src Source) error {
	sctx, stop := context.WithCancel(srcCtx)
	defer stop()
	batches := make(chan Batch)
	errc := make(chan error, 1)
	go func() { errc <- src.Run(sctx, batches) }()
	if err := p.Run(ctx, batches); err != nil {
		stop()
		go func() {
			for range batches {
			}
		}()
		<-errc
		return err
	}
	return <-errc
}
