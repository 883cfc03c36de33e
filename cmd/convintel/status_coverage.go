package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/sql"
)

// metricsCoverage is metrics.Coverage as status prints it: local dates.
type metricsCoverage struct {
	FirstDay        string `json:"first_day,omitempty"`
	LastDay         string `json:"last_day,omitempty"`
	Days            int    `json:"days"`
	CompleteThrough string `json:"complete_through,omitempty"`
	Timezone        string `json:"timezone"`
}

func readMetricsCoverage(ctx context.Context, a *app, conn sql.Conn) (metricsCoverage, error) {
	loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
	if err != nil {
		return metricsCoverage{}, err
	}
	c, err := metrics.ReadCoverage(ctx, conn, loc, a.cfg.Metrics.AttributionWindow)
	if err != nil {
		return metricsCoverage{}, err
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return metricsCoverage{FirstDay: day(c.FirstDay), LastDay: day(c.LastDay), Days: c.Days,
		CompleteThrough: day(c.CompleteThrough), Timezone: loc.String()}, nil
}

// printCoverage says which dates hold events and metrics, so a user who
// opens an empty report knows which period to ask for.
func printCoverage(w io.Writer, st status) {
	m := st.Metrics
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil {
		loc = time.UTC
	}
	if st.LastEvent.IsZero() {
		fmt.Fprintf(w, "events: none stored in %s (load some with convintel import or convintel ingest; another database? --database)\n", st.Database)
	} else {
		fmt.Fprintf(w, "events from %s to %s (%s)\n", st.FirstEvent.In(loc).Format(time.DateOnly), st.LastEvent.In(loc).Format(time.DateOnly), m.Timezone)
	}
	switch {
	case m.LastDay == "" && !st.LastEvent.IsZero():
		fmt.Fprintf(w, "metrics: none computed yet (convintel metrics run --from %s --to %s)\n",
			st.FirstEvent.In(loc).Format(time.DateOnly), st.LastEvent.In(loc).Format(time.DateOnly))
	case m.LastDay == "":
		fmt.Fprintln(w, "metrics: none computed")
	default:
		through := m.CompleteThrough
		if through == "" {
			through = "no day yet"
		}
		fmt.Fprintf(w, "metrics computed for %s to %s (%d days); order windows complete through %s\n", m.FirstDay, m.LastDay, m.Days, through)
	}
}
