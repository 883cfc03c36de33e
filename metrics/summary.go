package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// summaryChunkDays bounds one pass of the consultation summary: its memory
// grows with the events it groups, and current servers refuse an insert
// into more than 100 partitions. A pass reads W of events before and after
// its days, so longer passes re-read less.
const summaryChunkDays = 10

// jobChunkDays bounds the days one statement of every other job computes:
// the days share one read of their buyers' orders (and, for the funnel,
// messages), and current servers refuse an insert into more than 100
// partitions.
const jobChunkDays = 31

// summaryParams are what consultations.sql sees.
type summaryParams struct {
	TZ           string
	W            int64      // attribution window, ms
	FromMs, ToMs int64      // the first day's start and the start of the day after the last
	LoSec, HiSec int64      // raw-event read bounds: W before and after the days
	Slice        buyerSlice // the buyers this statement keeps (slices.go)
}

// summaryParamsFor is what consultations.sql sees for the days first..last.
func summaryParamsFor(s Settings, first, last time.Time) summaryParams {
	next := last.AddDate(0, 0, 1)
	w := s.AttributionWindow.Milliseconds()
	return summaryParams{
		TZ: s.Timezone, W: w, FromMs: first.UnixMilli(), ToMs: next.UnixMilli(),
		LoSec: (first.UnixMilli() - w) / 1000, HiSec: (next.UnixMilli()+w)/1000 + 1,
	}
}

// runSummary replaces the consultation summary of the days first..last
// (local midnights) in one pass over their raw events, in buyer slices of
// about Settings.StatementMessages messages (slices.go), and returns its rows.
// With fill the days are known to hold no rows (summaryBackfill) and are
// inserted without a partition drop per day: a fresh database's first run
// backfills up to 21 days before it, most of them without any event.
func runSummary(ctx context.Context, conn warehouse.Conn, s Settings, first, last time.Time, fill bool) (uint64, error) {
	p := summaryParamsFor(s, first, last)
	slices, err := buyerSlices(ctx, conn, messageSlices, p, s.StatementMessages)
	if err != nil {
		return 0, fmt.Errorf("cutting the buyers into slices: %w", err)
	}
	return writeDays(ctx, conn, summaryJob.table, first, last, !fill, slices, func(sl buyerSlice) (string, error) {
		p.Slice = sl
		return render(summaryJob.name, p)
	})
}
