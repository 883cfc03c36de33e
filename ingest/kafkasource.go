package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/backoff"
)

// KafkaSource reads the event topic through a consumer group and hands the
// pipeline batches cut by rows, bytes or age, whichever comes first.
// Offsets are committed by a batch's Ack, that is only after ClickHouse
// accepted it; on a rebalance the uncommitted tail is re-delivered to the
// new owner (duplicates, never loss).
//
// It drives kafka-go's ConsumerGroup and reads each assigned partition
// from its leader with Conn.ReadBatch, copying message values straight
// into large buffers shared by a fetch's records. kafka-go's Reader does
// the same reading but then allocates every message and hands it over a
// channel one at a time: at tens of thousands of events a second that
// was a quarter of ingest's CPU (docs/performance.md).
type KafkaSource struct {
	group    *kafka.ConsumerGroup
	dialer   *kafka.Dialer
	brokers  []string
	topic    string
	rows     int
	bytes    int
	age      time.Duration
	idleStop time.Duration
	log      *slog.Logger
	metrics  *Metrics

	chunks  chan chunk
	pending chunk // the part of a chunk the last batch had no room for
	pool    *fetchPool

	lagMu sync.Mutex
	lags  map[int]int64 // per partition of the current generation
}

// chunk is the records of one fetch from one partition; runs says which
// value buffer holds them (in order: the first runs[0].n records are in
// runs[0].buf, …).
type chunk struct {
	gen  *kafka.Generation
	part int
	recs []Record
	runs []bufRun
}

// Fetch tuning: a fetch asks for at most fetchMaxBytes (compressed) and
// waits at most fetchMaxWait for the first byte; values are copied into
// valueBufSize buffers, and a new buffer starts when less than
// valueMinFree is left (a value longer than that is read on its own).
const (
	fetchMaxBytes = 1 << 20
	fetchMaxWait  = 250 * time.Millisecond
	valueBufSize  = 1 << 20
	valueMinFree  = 64 << 10
	readTimeout   = 10 * time.Second
)

// SourceOptions bound a source's batches.
type SourceOptions struct {
	BatchRows  int
	BatchBytes int
	BatchAge   time.Duration
	Log        *slog.Logger
	Metrics    *Metrics
	// StopWhenIdle ends Run once nothing arrived for this long (0: never).
	StopWhenIdle time.Duration
}

// NewKafkaSource joins the consumer group of c.
func NewKafkaSource(c KafkaConfig, o SourceOptions) (*KafkaSource, error) {
	d, err := c.Dialer()
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	gc := kafka.ConsumerGroupConfig{
		ID:          c.Group,
		Brokers:     c.Brokers,
		Dialer:      d,
		Topics:      []string{c.Topic},
		StartOffset: kafka.FirstOffset,
		ErrorLogger: kafka.LoggerFunc(func(msg string, args ...any) { o.Log.Warn("kafka: " + fmt.Sprintf(msg, args...)) }),
	}
	if c.SessionTimeout > 0 {
		// kafka-go's default (30 s) stalls a crashed member's partitions
		// that long; heartbeats must come well inside the timeout.
		gc.SessionTimeout = c.SessionTimeout
		gc.HeartbeatInterval = c.SessionTimeout / 5
	}
	g, err := kafka.NewConsumerGroup(gc)
	if err != nil {
		return nil, fmt.Errorf("join Kafka consumer group %s: %w", c.Group, err)
	}
	return &KafkaSource{group: g, dialer: d, brokers: c.Brokers, topic: c.Topic,
		rows: o.BatchRows, bytes: o.BatchBytes, age: o.BatchAge, idleStop: o.StopWhenIdle, log: o.Log, metrics: o.Metrics,
		chunks: make(chan chunk, 2), lags: map[int]int64{}, pool: newFetchPool()}, nil
}

// Lag returns how many messages of the assigned partitions are not read
// yet, as of each partition's last fetch.
func (s *KafkaSource) Lag() int64 {
	s.lagMu.Lock()
	defer s.lagMu.Unlock()
	var sum int64
	for _, l := range s.lags {
		sum += l
	}
	return sum
}

func (s *KafkaSource) setLag(part int, lag int64) {
	s.lagMu.Lock()
	s.lags[part] = max(lag, 0)
	s.lagMu.Unlock()
}

// Run fetches until ctx ends, sending batches to out; it closes out when
// it returns, after sending the partial batch it holds. Because out is
// unbuffered and the pipeline holds a bounded number of batches, a slow
// or unavailable ClickHouse stops fetching instead of growing memory.
func (s *KafkaSource) Run(ctx context.Context, out chan<- Batch) error {
	defer close(out)
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- s.consume(rctx) }()
	lastEvent, gotAny := time.Now(), false
	for ctx.Err() == nil {
		t0 := time.Now()
		b, last, runs := s.fill(ctx, errc)
		filled := time.Now()
		// Before the first event, joining the group (which waits out a dead
		// member's session after a crash) is not idleness: allow 30 s more.
		limit := s.idleStop
		if !gotAny {
			limit += 30 * time.Second
		}
		if len(b.Records) == 0 && s.idleStop > 0 && time.Since(lastEvent) >= limit {
			return nil
		}
		if len(b.Records) > 0 {
			lastEvent, gotAny = time.Now(), true
			b.Ack, b.Decoded = s.acker(last, runs, b.Records)
			// Hand over even when ctx ended: shutdown flushes what was read.
			out <- b
			s.log.Debug("batch read", "events", len(b.Records), "fill", filled.Sub(t0), "handover", time.Since(filled))
		} else {
			// Idle: the empty batch's slice serves the next fill (a fresh
			// one every batch age was 4 MB of garbage each 100 ms–1 s).
			s.pool.batches.put(b.Records)
		}
		select {
		case err := <-errc:
			if ctx.Err() == nil {
				return err
			}
		default:
		}
		if s.metrics != nil {
			s.metrics.Lag.Set(float64(s.Lag()))
		}
	}
	return nil
}

// consume follows the group's generations: each assigned partition is
// read by its own goroutine of the generation, until the generation ends
// (a rebalance) or ctx does. It returns only when ctx ends or the group
// fails for good.
func (s *KafkaSource) consume(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		gen, err := s.group.Next(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, kafka.ErrGroupClosed) {
				return nil
			}
			s.log.Warn("Kafka consumer group: retrying", "err", err, "attempt", attempt+1)
			if !backoff.Sleep(ctx, retryDelay(attempt)) {
				return nil
			}
			continue
		}
		attempt = 0
		s.lagMu.Lock()
		clear(s.lags)
		s.lagMu.Unlock()
		for _, a := range gen.Assignments[s.topic] {
			gen.Start(func(gctx context.Context) {
				pctx, cancel := context.WithCancel(ctx)
				defer cancel()
				defer context.AfterFunc(gctx, cancel)()
				s.readPartition(pctx, gen, a.ID, a.Offset)
			})
		}
	}
}

// readPartition reads partition part from offset (or its first offset)
// into chunks until ctx ends, reconnecting to the partition's leader after
// any error. A generation ends when one of its goroutines returns, so this
// returns only with ctx.
func (s *KafkaSource) readPartition(ctx context.Context, gen *kafka.Generation, part int, offset int64) {
	var st fetchState
	for attempt := 0; ctx.Err() == nil; attempt++ {
		if attempt > 0 && !backoff.Sleep(ctx, retryDelay(attempt)) {
			return
		}
		conn, err := s.dialPartition(ctx, part, &offset)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("Kafka partition: cannot connect to its leader; retrying", "partition", part, "err", err, "attempt", attempt)
			}
			continue
		}
		// Closing the connection is the only way to interrupt a fetch.
		stop := context.AfterFunc(ctx, func() { conn.Close() })
		for ctx.Err() == nil {
			next, err := s.fetch(ctx, conn, gen, part, offset, &st)
			if next > offset {
				offset, attempt = next, 0
			}
			if err == nil || errors.Is(err, kafka.RequestTimedOut) {
				continue
			}
			if errors.Is(err, kafka.OffsetOutOfRange) {
				conn.SetDeadline(time.Now().Add(readTimeout))
				first, last, oerr := conn.ReadOffsets()
				conn.SetDeadline(time.Time{})
				if oerr == nil && offset < first {
					s.log.Warn("Kafka partition: offset no longer retained; skipping to the first one (those events are lost upstream)",
						"partition", part, "from", offset, "to", first)
					offset = first
					continue
				}
				if oerr == nil && offset <= last {
					continue
				}
			}
			if ctx.Err() == nil {
				s.log.Warn("Kafka partition: fetch failed; reconnecting", "partition", part, "offset", offset, "err", err)
			}
			break
		}
		stop()
		conn.Close()
	}
}

// dialPartition connects to the leader of part and resolves *offset when
// it is kafka.FirstOffset or kafka.LastOffset (or older than retention).
func (s *KafkaSource) dialPartition(ctx context.Context, part int, offset *int64) (*kafka.Conn, error) {
	var lastErr error
	for _, broker := range s.brokers {
		conn, err := s.dialer.DialLeader(ctx, "tcp", broker, s.topic, part)
		if err != nil {
			lastErr = err
			continue
		}
		conn.SetDeadline(time.Now().Add(readTimeout))
		first, last, err := conn.ReadOffsets()
		conn.SetDeadline(time.Time{})
		if err != nil {
			conn.Close()
			return nil, err
		}
		switch {
		case *offset == kafka.FirstOffset, *offset >= 0 && *offset < first:
			*offset = first
		case *offset == kafka.LastOffset:
			*offset = last
		}
		return conn, nil
	}
	return nil, lastErr
}

// fetchState is what one partition's fetches carry over: the value buffer
// being filled (records keep pointing into the part already written) and
// the size of the last fetch, to size the next chunk's record slice.
type fetchState struct {
	buf     *valueBuf
	lastLen int
}

// fetch reads one fetch response of part starting at offset, sends its
// records as a chunk and returns the offset to read next.
func (s *KafkaSource) fetch(ctx context.Context, conn *kafka.Conn, gen *kafka.Generation, part int, offset int64, st *fetchState) (int64, error) {
	if _, err := conn.Seek(offset, kafka.SeekAbsolute|kafka.SeekDontCheck); err != nil {
		return offset, err
	}
	// The broker answers within fetchMaxWait, empty if nothing came; the
	// deadline is for a broker that does not answer at all.
	conn.SetReadDeadline(time.Now().Add(fetchMaxWait + readTimeout))
	batch := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: fetchMaxBytes, MaxWait: fetchMaxWait})
	c := chunk{gen: gen, part: part, recs: s.pool.recs.get(st.lastLen, 64)}
	// Records are counted into runs of the buffer they are in; a run's
	// count is added to the buffer's references before the fetcher lets go
	// of the buffer, so it is never free while a record points into it.
	var run bufRun
	endRun := func() {
		if run.n > 0 {
			run.buf.hold(run.n)
			c.runs = append(c.runs, run)
		}
		run = bufRun{}
	}
	// A fetch returns whole record batches, so it may begin before the
	// offset asked for; Batch.Read (unlike ReadMessage) does not skip
	// those messages: they are dropped here.
	from := offset
	var err error
	for {
		if st.buf == nil || cap(st.buf.b)-len(st.buf.b) < valueMinFree {
			endRun()
			if st.buf != nil {
				st.buf.release(1, s.pool) // the fetcher's own hold
			}
			st.buf = s.pool.buffer()
		}
		buf := st.buf.b
		var n int
		n, err = batch.Read(buf[len(buf):cap(buf)])
		if errors.Is(err, io.ErrShortBuffer) {
			// A value over valueMinFree: the batch is spent; read that
			// message on its own (allocated whole) and carry on after it.
			batch.Close()
			next := max(batch.Offset(), from)
			m, merr := s.readOne(conn, next)
			if merr != nil {
				err = merr
				break
			}
			endRun()
			c.recs = append(c.recs, s.record(m.Value, part, m.Offset))
			c.runs = append(c.runs, bufRun{n: 1}) // its own allocation, not pooled
			offset = m.Offset + 1
			st.lastLen = len(c.recs)
			endRun()
			s.send(ctx, &c)
			return offset, nil
		}
		if err != nil {
			break
		}
		if batch.Offset()-1 < from {
			continue
		}
		v := buf[len(buf) : len(buf)+n : len(buf)+n]
		st.buf.b = buf[:len(buf)+n]
		offset = batch.Offset()
		c.recs = append(c.recs, s.record(v, part, offset-1))
		if run.buf != st.buf {
			endRun()
			run.buf = st.buf
		}
		run.n++
	}
	hwm := batch.HighWaterMark()
	if cerr := batch.Close(); err == nil || errors.Is(err, io.EOF) {
		err = cerr
	}
	conn.SetReadDeadline(time.Time{})
	if hwm > 0 {
		s.setLag(part, hwm-offset)
	}
	st.lastLen = len(c.recs)
	endRun()
	s.send(ctx, &c)
	return offset, err
}

// readOne reads the single message at offset, whatever its size.
func (s *KafkaSource) readOne(conn *kafka.Conn, offset int64) (kafka.Message, error) {
	if _, err := conn.Seek(offset, kafka.SeekAbsolute|kafka.SeekDontCheck); err != nil {
		return kafka.Message{}, err
	}
	conn.SetReadDeadline(time.Now().Add(readTimeout))
	defer conn.SetReadDeadline(time.Time{})
	batch := conn.ReadBatchWith(kafka.ReadBatchConfig{MinBytes: 1, MaxBytes: MaxEventBytes * 2})
	m, err := batch.ReadMessage()
	batch.Close()
	return m, err
}

func (s *KafkaSource) record(v []byte, part int, offset int64) Record {
	return Record{Value: v, Source: "kafka", Origin: s.topic, Partition: int32(part), Offset: offset}
}

// send hands a non-empty chunk to fill.
func (s *KafkaSource) send(ctx context.Context, c *chunk) {
	if len(c.recs) == 0 {
		return
	}
	select {
	case s.chunks <- *c:
	case <-ctx.Done():
	}
	c.recs, c.runs = nil, nil
}

// partOffset is the highest offset of one partition in a batch, with the
// generation that fetched it (whose membership commits it).
type partOffset struct {
	gen    *kafka.Generation
	part   int
	offset int64
}

// fill collects one batch: chunks until BatchRows or BatchBytes, or until
// BatchAge passed since it began (so no event waits longer), or ctx ends.
func (s *KafkaSource) fill(ctx context.Context, errc <-chan error) (Batch, []partOffset, []bufRun) {
	b := Batch{Records: s.pool.batches.get(s.rows, 0)} // no regrowth per batch
	var last []partOffset
	var runs []bufRun
	timer := time.NewTimer(s.age)
	defer timer.Stop()
	for len(b.Records) < s.rows && b.Bytes < s.bytes {
		c := s.pending
		if len(c.recs) == 0 {
			select {
			case c = <-s.chunks:
			case <-timer.C:
				return b, last, runs
			case <-ctx.Done():
				return b, last, runs
			}
		}
		take, bytes := 0, 0
		for take < len(c.recs) && len(b.Records)+take < s.rows && b.Bytes+bytes < s.bytes {
			bytes += len(c.recs[take].Value)
			take++
		}
		if take == 0 {
			s.pending = c
			break
		}
		b.Records = append(b.Records, c.recs[:take]...)
		b.Bytes += bytes
		last = notePartOffset(last, c.gen, c.part, c.recs[take-1].Offset)
		runs, c.runs = takeRuns(runs, c.runs, take)
		if take == len(c.recs) {
			s.pool.recs.put(c.recs) // copied into the batch
			s.pending = chunk{}
		} else {
			s.pending = chunk{gen: c.gen, part: c.part, recs: c.recs[take:], runs: c.runs}
		}
	}
	return b, last, runs
}

func notePartOffset(last []partOffset, gen *kafka.Generation, part int, offset int64) []partOffset {
	for i := range last {
		if last[i].gen == gen && last[i].part == part {
			last[i].offset = max(last[i].offset, offset)
			return last
		}
	}
	return append(last, partOffset{gen, part, offset})
}

// acker commits, per generation, the offset after the highest one of each
// partition of a batch. A generation that ended (rebalance) refuses the
// commit; the new owner then re-reads those events, which dedup by
// event_id makes harmless.
//
// The batch's records and value buffers go back to the source's pool for
// the fetches to come once the batch is decoded (the second function,
// Batch.Decoded), or at the latest when it is stored (Ack).
func (s *KafkaSource) acker(last []partOffset, runs []bufRun, recs []Record) (ack func(context.Context) error, decoded func()) {
	var released atomic.Bool
	decoded = func() {
		if !released.Swap(true) {
			for _, r := range runs {
				r.buf.release(int64(r.n), s.pool)
			}
			s.pool.batches.put(recs)
		}
	}
	return func(context.Context) error {
		decoded()
		var errs []error
		for len(last) > 0 {
			gen := last[0].gen
			offsets := map[int]int64{}
			rest := last[:0:0]
			for _, po := range last {
				if po.gen == gen {
					offsets[po.part] = po.offset + 1
				} else {
					rest = append(rest, po)
				}
			}
			if err := gen.CommitOffsets(map[string]map[int]int64{s.topic: offsets}); err != nil {
				errs = append(errs, fmt.Errorf("commit offsets of generation %d: %w", gen.ID, err))
			}
			last = rest
		}
		return errors.Join(errs...)
	}, decoded
}

// Close leaves the consumer group.
func (s *KafkaSource) Close() error { return s.group.Close() }

// retryDelay is the wait before retry attempt n of a Kafka fetch or
// commit: 100 ms doubling to 5 s.
func retryDelay(attempt int) time.Duration {
	return backoff.Delay(100*time.Millisecond, 5*time.Second, attempt)
}
