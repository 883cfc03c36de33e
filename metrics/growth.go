package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

// GrowthParams are what the §11–§14 job templates (experiments.sql,
// hourly.sql, retention.sql, roi.sql) see beside rangeParams: numbers
// computed from validated settings, and the two §11 names quoted here.
type GrowthParams struct {
	NightFrom, NightTo   int   // §12 night hours [from, to)
	LookbackDays         int   // §13
	SilentDays           int   // §13
	LookbackMs, SilentMs int64 // the same in ms
	MinHumanOnly         int   // §14: below this a day uses the 28-day median
	WrapUpMs             int64
	HourlyCostCents      int64
	HoursPerDay          float64
	// ControlSQL and SplitSQL are experiments.control and .split as SQL
	// literals (escaped by sqlString: the names are user text).
	ControlSQL, SplitSQL string
}

// roiMinHumanOnly is §14's "fewer than 20 human-only consultations".
const roiMinHumanOnly = 20

func growthParams(s Settings) GrowthParams {
	from, to, _ := s.Hourly.hours() // validated
	const day = 24 * 3600 * 1000
	return GrowthParams{
		NightFrom: from, NightTo: to,
		LookbackDays: s.Retention.Lookback, SilentDays: s.Retention.SilentAfter,
		LookbackMs: int64(s.Retention.Lookback) * day, SilentMs: int64(s.Retention.SilentAfter) * day,
		MinHumanOnly:    roiMinHumanOnly,
		WrapUpMs:        s.ROI.WrapUp.Milliseconds(),
		HourlyCostCents: int64(s.ROI.HourlyCost*100 + 0.5),
		HoursPerDay:     s.ROI.HoursPerDay,
		ControlSQL:      sqlString(s.Experiments.Control),
		SplitSQL:        sqlStrings(s.Experiments.Split),
	}
}

// sqlString quotes s as a ClickHouse string literal: backslash and quote
// escaped, control characters as \xHH.
func sqlString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\x%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func sqlStrings(list []string) string {
	if len(list) == 0 {
		return "emptyArrayString()"
	}
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = sqlString(strings.TrimSpace(s))
	}
	return "CAST([" + strings.Join(parts, ", ") + "] AS Array(String))"
}

// growthMetric is a §11–§14 roll-up: its --by dimensions (the first is
// the default), the ones every roll-up keeps, its fields and the fields
// that compare rows.
type growthMetric struct {
	dims, keep []string
	derive     func(growthRec) Row
	finish     func(keys []string, rows []Row)
}

var growthMetrics = map[string]growthMetric{
	"experiments": {dims: []string{"experiment", "variant", "shop_id", "exposure_date"}, keep: []string{"experiment", "variant"},
		derive: deriveExperiments, finish: finishExperiments},
	"hourly":    {dims: []string{"date", "week", "shop_id", "hour", "weekday"}, derive: deriveHourly},
	"retention": {dims: []string{"date", "week", "shop_id"}, derive: deriveRetention},
	"roi":       {dims: []string{"date", "week", "shop_id"}, derive: deriveROI},
}

// showGrowth is Show for the metrics of growthMetrics.
func showGrowth(ctx context.Context, conn convsql.Conn, name string, g growthMetric, q Query) ([]Row, error) {
	by := q.By
	if len(by) == 0 {
		by = g.dims[:1]
	}
	var keys []string
	for _, d := range append(slices.Clone(by), g.keep...) {
		if !slices.Contains(g.dims, d) {
			return nil, fmt.Errorf("show %s: cannot group by %q; choose from %s", name, d, strings.Join(g.dims, ", "))
		}
		if !slices.Contains(keys, d) {
			keys = append(keys, d)
		}
	}
	var sel strings.Builder
	for _, k := range keys {
		if k == "week" {
			sel.WriteString("toMonday(date) AS week, ")
		} else {
			fmt.Fprintf(&sel, "%s, ", k)
		}
	}
	args := []any{q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)}
	if q.Shop != "" {
		args = append(args, q.Shop)
	}
	stmt, err := render("show_"+name, map[string]any{"Keys": sel.String(), "GroupBy": strings.Join(keys, ", "), "Shop": q.Shop != ""})
	if err != nil {
		return nil, err
	}
	recs, err := queryRecords(ctx, conn, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("show %s: %w", name, err)
	}
	out := make([]Row, 0, len(recs))
	for _, rec := range recs {
		row := make(Row, 0, len(keys)+24)
		for _, k := range keys {
			row = append(row, Field{k, dimValue(rec[k])})
		}
		out = append(out, append(row, g.derive(growthRec(rec))...))
	}
	if g.finish != nil {
		g.finish(keys, out)
	}
	return out, nil
}
