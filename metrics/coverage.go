package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// Coverage says which days hold computed metrics and up to which day the
// windows that wait W for orders (conversion, drop-off, funnel) are
// complete. Reports use it to open on a period that has data, to say
// which dates do when a period has none, and to compare only complete
// days (docs/reports.md, "Unfinished windows").
type Coverage struct {
	// FirstDay and LastDay are the first and last day with stored metric
	// rows (local midnights); both zero when nothing has been computed.
	FirstDay, LastDay time.Time
	// Days is how many distinct days between them hold rows.
	Days int
	// Watermark is the time of the latest stored order event (zero when
	// there are no orders).
	Watermark time.Time
	// CompleteThrough is the last day d whose windows have closed for
	// every stored event: end of d + W ≤ Watermark. Zero when no day is
	// complete yet.
	CompleteThrough time.Time
	// Window is the attribution window W the completeness was judged with.
	Window time.Duration
	// ConsultationsFrom is the first day of the stored consultations
	// (metric_consultations; zero when there are none). An order looks back
	// W for the consultations it is credited to, so the orders of the
	// first days after it may have had consultations that were never
	// stored: see AttributionComplete.
	ConsultationsFrom time.Time
}

// AttributionComplete says whether every order of day d looks back over
// stored consultations only: d's midnight − W is not before
// ConsultationsFrom. On the days before, part of the GMV that a
// consultation earned shows as unattributed (静默下单) and the bot's share
// reads low, because the consultation happened before the data begins.
// A zero ConsultationsFrom (unknown) counts every day as complete.
func (c Coverage) AttributionComplete(d time.Time) bool {
	if c.ConsultationsFrom.IsZero() {
		return true
	}
	return !d.Add(-c.Window).Before(c.ConsultationsFrom)
}

// Empty says whether no metric has been computed at all.
func (c Coverage) Empty() bool { return c.LastDay.IsZero() }

// Complete says whether day d's windows have closed. A zero Coverage
// (unknown) counts every day as complete, as reports did before coverage
// existed.
func (c Coverage) Complete(d time.Time) bool {
	if c.Watermark.IsZero() && c.LastDay.IsZero() {
		return true
	}
	return !c.CompleteThrough.IsZero() && !d.After(c.CompleteThrough)
}

// Overlaps says whether [from, to] holds any day with data.
func (c Coverage) Overlaps(from, to time.Time) bool {
	return !c.Empty() && !to.Before(c.FirstDay) && !from.After(c.LastDay)
}

// ReadCoverage reads the coverage of the stored metrics; loc is the
// reporting time zone and window the attribution window W.
func ReadCoverage(ctx context.Context, conn warehouse.Conn, loc *time.Location, window time.Duration) (Coverage, error) {
	stmt, err := render("coverage", nil)
	if err != nil {
		return Coverage{}, err
	}
	var first, last, consults time.Time
	var days uint64
	var wm int64
	if err := conn.QueryRow(ctx, stmt).Scan(&first, &last, &days, &wm, &consults); err != nil {
		return Coverage{}, fmt.Errorf("read data coverage: %w", err)
	}
	c := coverageOf(first, last, int(days), wm, loc, window)
	if consults.Year() > 1970 {
		c.ConsultationsFrom = time.Date(consults.Year(), consults.Month(), consults.Day(), 0, 0, 0, 0, loc)
	}
	return c, nil
}

// coverageOf turns the scanned values into a Coverage: ClickHouse gives
// the zero date (1970-01-01 or 0000-00-00) for min/max over no rows.
func coverageOf(first, last time.Time, days int, watermarkMs int64, loc *time.Location, window time.Duration) Coverage {
	c := Coverage{Window: window}
	if days > 0 && last.Year() > 1970 {
		c.FirstDay = time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc)
		c.LastDay = time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc)
		c.Days = days
	}
	if watermarkMs > 0 {
		c.Watermark = time.UnixMilli(watermarkMs).In(loc)
		// Day d is complete when the midnight after it plus W has passed:
		// midnight(d+1) ≤ watermark − W, i.e. d ≤ day(watermark − W) − 1.
		x := c.Watermark.Add(-window)
		c.CompleteThrough = time.Date(x.Year(), x.Month(), x.Day()-1, 0, 0, 0, 0, loc)
	}
	return c
}
