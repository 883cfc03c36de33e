package reports

import (
	"context"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/warehouse"
)

// CoverageFunc reads which days hold data (metrics.ReadCoverage in
// production, cached by the dashboards).
type CoverageFunc func(ctx context.Context) (metrics.Coverage, error)

// ShowCoverage reads the coverage of the metric tables of conn; loc is the
// reporting zone and window the attribution window W.
func ShowCoverage(conn warehouse.Conn, loc *time.Location, window time.Duration) CoverageFunc {
	return func(ctx context.Context) (metrics.Coverage, error) {
		return metrics.ReadCoverage(ctx, conn, loc, window)
	}
}

// LatestWithData returns p when it holds data (or when nothing has been
// computed at all), else the latest period like p that does: the week of
// the last day with data for a week, otherwise the range of p's length
// ending on that day. Reports opened without a period start here, so a
// first look never lands on an empty page.
func LatestWithData(p Period, cov metrics.Coverage) Period {
	if cov.Empty() || cov.Overlaps(p.From, p.To) {
		return p
	}
	if p.Week != "" {
		return WeekOf(cov.LastDay)
	}
	return Period{From: cov.LastDay.AddDate(0, 0, -(p.Days() - 1)), To: cov.LastDay}
}

// emptyNote says, for a period without data, which dates do hold data;
// "" when the period has data or the coverage is unknown.
func emptyNote(l Locale, p Period, cov metrics.Coverage) string {
	switch {
	case cov.Empty() && cov.Watermark.IsZero():
		return ""
	case cov.Empty():
		return l.T("empty.nothing_computed")
	case cov.Overlaps(p.From, p.To):
		return ""
	}
	return l.Tf("empty.elsewhere", p.Label(), cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly), cov.Days)
}

// latestQuery is the dashboard URL query of the latest period with data
// like p (for the empty state's link), "" when there is none.
func latestQuery(p Period, cov metrics.Coverage) string {
	if cov.Empty() || cov.Overlaps(p.From, p.To) {
		return ""
	}
	q := LatestWithData(p, cov)
	if q.Week != "" {
		return "week=" + q.Week
	}
	return "from=" + q.From.Format(time.DateOnly) + "&to=" + q.To.Format(time.DateOnly)
}
