package ingest

import (
	"fmt"
	"testing"
)

// TestTakeRuns: a batch that takes the first n records of a chunk takes
// exactly their buffer runs, splitting the run that straddles n.
func TestTakeRuns(t *testing.T) {
	a, b, c := &valueBuf{}, &valueBuf{}, &valueBuf{}
	runs := []bufRun{{a, 3}, {b, 4}, {c, 2}}
	got, rest := takeRuns(nil, runs, 5)
	if fmt.Sprint(got) != fmt.Sprint([]bufRun{{a, 3}, {b, 2}}) || fmt.Sprint(rest) != fmt.Sprint([]bufRun{{b, 2}, {c, 2}}) {
		t.Fatalf("take 5: %v, rest %v", got, rest)
	}
	got, rest = takeRuns(got, rest, 4)
	if len(got) != 4 || len(rest) != 0 || got[3] != (bufRun{c, 2}) {
		t.Fatalf("take the remaining 4: %v, rest %v", got, rest)
	}
}

// TestValueBufferReturnsOnlyWhenFree: a value buffer goes back to the pool
// only once the fetcher let go of it and every record in it was released,
// and releasing more than was held panics instead of handing out a buffer
// that records still point into.
func TestValueBufferReturnsOnlyWhenFree(t *testing.T) {
	p := newFetchPool()
	vb := p.buffer()
	vb.hold(3) // a fetch read three records into it
	vb.release(2, p)
	vb.release(1, p) // the batch of the first two and of the third are stored
	if len(p.bufs) != 0 {
		t.Fatal("buffer pooled while the fetcher still writes into it")
	}
	vb.release(1, p) // the fetcher moves to a new buffer
	if len(p.bufs) != 1 || p.buffer() != vb {
		t.Fatal("a free buffer was not pooled and reused")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a release beyond the holds did not panic")
		}
	}()
	vb.release(2, p)
}
