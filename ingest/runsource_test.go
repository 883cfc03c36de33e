package ingest

import (
	"context"
	"errors"
	"testing"
	"time"
)

// stubbornSource sends empty batches until told to stop through ctx, but
// like KafkaSource at shutdown it hands over a batch without watching ctx.
type stubbornSource struct{ sent int }

func (s *stubbornSource) Run(ctx context.Context, out chan<- Batch) error {
	defer close(out)
	for ctx.Err() == nil {
		out <- Batch{} // no select: blocks until someone reads
		s.sent++
	}
	return nil
}

// TestRunSourceStopsOnAbort: when storing is abandoned (ctx ends), the
// pipeline says so and RunSource neither hangs on the blocked source nor
// reports success.
func TestRunSourceStopsOnAbort(t *testing.T) {
	p := NewPipeline(Options{Writer: NewWriter(nil, nil, nil)}) // empty batches never reach ClickHouse
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	src := &stubbornSource{}
	done := make(chan error, 1)
	go func() { done <- p.RunSource(ctx, src) }()
	select {
	case err := <-done:
		// Either the pipeline noticed first (abandoned: it must say so) or
		// the source did and closed its channel (then all it sent is stored).
		switch {
		case errors.Is(err, context.DeadlineExceeded):
		case err == nil && p.Counts().Batches == int64(src.sent):
		default:
			t.Fatalf("RunSource returned %v after storing %d of %d batches; want the deadline error, or nil with all stored",
				err, p.Counts().Batches, src.sent)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunSource hung on a source blocked in send after the pipeline stopped")
	}
	if src.sent == 0 {
		t.Fatal("the source sent nothing: the test did not exercise the pipeline")
	}
}
