package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/warehouse"
)

// metricsCoverage is metrics.Coverage as status prints it: local dates.
type metricsCoverage struct {
	FirstDay        string `json:"first_day,omitempty"`
	LastDay         string `json:"last_day,omitempty"`
	Days            int    `json:"days"`
	CompleteThrough string `json:"complete_through,omitempty"`
	Timezone        string `json:"timezone"`
}

func readMetricsCoverage(ctx context.Context, a *app, conn warehouse.Conn) (metricsCoverage, error) {
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
		fmt.Fprintf(w, "events: none stored in %s (load some with convintel import or convintel ingest; another database? --database, e.g. --database convintel_demo for the demo's)\n", st.Database)
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

// explainNoRows tells, on stderr (stdout keeps the empty table, JSON or
// CSV), which dates do hold metrics when q's range has none.
func explainNoRows(cmd *cobra.Command, a *app, conn warehouse.Conn, q metrics.Query) {
	c, err := readMetricsCoverage(cmd.Context(), a, conn)
	if err != nil {
		return
	}
	w := cmd.ErrOrStderr()
	span := q.From.Format(time.DateOnly) + " .. " + q.To.Format(time.DateOnly)
	if c.LastDay == "" {
		fmt.Fprintf(w, "no rows for %s: no metrics are computed in database %s yet (convintel metrics run --from … --to …; another database? --database, e.g. --database convintel_demo for the demo's)\n", span, a.cfg.ClickHouse.Database)
		return
	}
	fmt.Fprintf(w, "no rows for %s: metrics are computed for %s .. %s (%d days); run convintel metrics run --from … --to … for other dates\n", span, c.FirstDay, c.LastDay, c.Days)
}
