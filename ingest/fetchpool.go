package ingest

import "sync/atomic"

// fetchPool recycles what the Kafka source allocates per fetch and per
// batch: the 1 MiB buffers message values are copied into, the record
// slices of fetches and the record slice of a batch. Left to the
// collector they were two thirds of the bytes ingest allocated (≈ 550 MB
// per million events), and each fresh buffer is zeroed and faulted in
// again: that zeroing and copying into new pages was a tenth of ingest's
// CPU (docs/performance.md). A value buffer goes back once every record
// in it was stored (its batch's Ack) and the fetcher has moved on to
// another buffer; a batch that is never acked (a crash, ctx ended) just
// leaves its buffers to the collector.
type fetchPool struct {
	bufs    chan *valueBuf
	recs    recordPool // fetch-sized record slices
	batches recordPool // batch-sized record slices
}

// Pool bounds: enough for the batches in flight (a 32 MiB batch spans
// about 32 buffers; the pipeline holds a few batches), and few enough that
// idle memory after a burst stays small.
const (
	pooledValueBufs    = 48
	pooledFetchRecords = 8
	pooledBatchRecords = 4
)

func newFetchPool() *fetchPool {
	return &fetchPool{
		bufs:    make(chan *valueBuf, pooledValueBufs),
		recs:    make(recordPool, pooledFetchRecords),
		batches: make(recordPool, pooledBatchRecords),
	}
}

// valueBuf is a buffer message values are copied into, shared by the
// records read into it. refs counts those records not yet stored, plus one
// while the fetcher still writes into it.
type valueBuf struct {
	b    []byte
	refs atomic.Int64
}

// bufRun is n consecutive records whose values are in buf (nil: a value
// allocated on its own).
type bufRun struct {
	buf *valueBuf
	n   int
}

// buffer returns an empty value buffer held by the fetcher (refs 1).
func (p *fetchPool) buffer() *valueBuf {
	var vb *valueBuf
	select {
	case vb = <-p.bufs:
		vb.b = vb.b[:0]
	default:
		vb = &valueBuf{b: make([]byte, 0, valueBufSize)}
	}
	vb.refs.Store(1)
	return vb
}

func (vb *valueBuf) hold(n int) {
	if vb != nil {
		vb.refs.Add(int64(n))
	}
}

// release drops n references; the last one returns the buffer to p.
func (vb *valueBuf) release(n int64, p *fetchPool) {
	if vb == nil {
		return
	}
	switch left := vb.refs.Add(-n); {
	case left == 0:
		select {
		case p.bufs <- vb:
		default: // enough pooled
		}
	case left < 0:
		panic("ingest: a Kafka value buffer was released more often than it was held")
	}
}

// recordPool recycles record slices of one use (fetches or batches).
type recordPool chan []Record

// get returns an empty record slice with room for n records: a pooled one
// when it is large enough, else a new one of capacity max(n, least).
func (p recordPool) get(n, least int) []Record {
	select {
	case r := <-p:
		if cap(r) >= n {
			return r[:0]
		}
	default:
	}
	return make([]Record, 0, max(n, least))
}

// put returns a slice whose records were copied into a batch (a fetch's)
// or stored (a batch's).
func (p recordPool) put(r []Record) {
	clear(r) // no value stays reachable from the pool (beyond len it is zero already)
	select {
	case p <- r[:0]:
	default: // enough pooled
	}
}

// takeRuns moves the runs of the first n records of a chunk from runs to
// dst, splitting a run that straddles n, and returns both.
func takeRuns(dst, runs []bufRun, n int) ([]bufRun, []bufRun) {
	for n > 0 && len(runs) > 0 {
		r := runs[0]
		if r.n <= n {
			dst = append(dst, r)
			n -= r.n
			runs = runs[1:]
			continue
		}
		dst = append(dst, bufRun{r.buf, n})
		runs[0].n -= n
		n = 0
	}
	return dst, runs
}
