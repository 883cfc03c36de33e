package metrics

import (
	"context"
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
	W            int64 // attribution window, ms
	FromMs, ToMs int64 // the first day's start and the start of the day after the last
	LoSec, HiSec int64 // raw-event read bounds: W before and after the days
}

// runSummary replaces the consultation summary of the days first..last
// (local midnights) in one pass over their raw events and returns its rows.
func runSummary(ctx context.Context, conn warehouse.Conn, s Settings, first, last time.Time) (uint64, error) {
	next := last.AddDate(0, 0, 1)
	w := s.AttributionWindow.Milliseconds()
	stmt, err := render(summaryJob.name, summaryParams{
		TZ: s.Timezone, W: w, FromMs: first.UnixMilli(), ToMs: next.UnixMilli(),
		LoSec: (first.UnixMilli() - w) / 1000, HiSec: (next.UnixMilli()+w)/1000 + 1,
	})
	if err != nil {
		return 0, err
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if err := dropDay(ctx, conn, summaryJob.table, d); err != nil {
			return 0, err
		}
	}
	if err := conn.Exec(ctx, stmt); err != nil {
		return 0, err
	}
	return dayRows(ctx, conn, summaryJob.table, first, last)
}
