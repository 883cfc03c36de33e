package metrics

import (
	"fmt"
	"strings"
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

// The metrics of metrics.md §11–§14: result tables in
// sql/migrations/0041_growth_results.sql, jobs sql/metrics/<name>.sql,
// roll-ups sql/metrics/show_<name>.sql, fields in growth_show.go.
func init() {
	Register(Metric{
		Name: "experiments", Section: 11, Table: "metric_experiments",
		Grain: []string{"date", "exposure_date", "shop_id", "experiment", "variant"},
		Job:   "experiments", ShowSQL: "show_experiments",
		// --from/--to filter exposure dates (show_experiments.sql)
		Dimensions: []string{"experiment", "variant", "shop_id", "exposure_date"},
		Keep:       []string{"experiment", "variant"},
		Derive:     func(r Record) Row { return deriveExperiments(growthRec(r)) },
		Finish:     finishExperiments,
	})
	Register(Metric{
		Name: "hourly", Section: 12, Table: "metric_hourly",
		Grain: []string{"date", "shop_id", "hour"},
		Job:   "hourly", ShowSQL: "show_hourly",
		Dimensions: []string{"date", "week", "shop_id", "hour", "weekday"},
		Derive:     func(r Record) Row { return deriveHourly(growthRec(r)) },
	})
	Register(Metric{
		Name: "retention", Section: 13, Table: "metric_retention",
		Grain: []string{"date", "shop_id"},
		Job:   "retention", ShowSQL: "show_retention",
		Dimensions: []string{"date", "week", "shop_id"},
		Derive:     func(r Record) Row { return deriveRetention(growthRec(r)) },
	})
	Register(Metric{
		Name: "roi", Section: 14, Table: "metric_roi",
		Grain: []string{"date", "shop_id"},
		Job:   "roi", ShowSQL: "show_roi",
		// a shop's median handling time spans every shard's buyers
		CrossShard: true,
		Dimensions: []string{"date", "week", "shop_id"},
		Derive:     func(r Record) Row { return deriveROI(growthRec(r)) },
	})
}
