package ingest

import (
	"context"
	"log/slog"
	"time"
)

// DefaultShutdownGrace is how long a stopping ingest keeps storing and
// acking what it already read.
const DefaultShutdownGrace = 30 * time.Second

// RunSourceDraining is RunSource with the shutdown the ack contract asks
// for: when ctx ends, src stops reading and the pipeline keeps storing
// and acking what was read, for up to grace (ClickHouse may be down at
// that moment); after grace it abandons the unacked batches, which Kafka
// re-delivers (duplicates, never loss). Ending readCtx (a child of ctx or
// an independent one) stops reading the same way but without a deadline.
func (p *Pipeline) RunSourceDraining(ctx, readCtx context.Context, src Source, grace time.Duration, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srcCtx, stopSrc := context.WithCancel(readCtx)
	defer stopSrc()
	pipeCtx, stopPipe := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPipe()
	go func() {
		select {
		case <-ctx.Done():
			stopSrc()
			log.Info("shutting down: flushing and committing what was read", "grace", grace)
			select {
			case <-time.After(grace):
				stopPipe()
			case <-pipeCtx.Done():
			}
		case <-pipeCtx.Done():
		}
	}()
	return p.RunSourceFrom(pipeCtx, srcCtx, src)
}
