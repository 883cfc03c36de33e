package reports

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
)

// TestRateTrendLeavesGaps: an alert's trend of a rate has no value on a
// day without consultations (no row) or with a rate over nothing (a nil
// field since metrics' empty denominators are null); it is a gap in the
// chart, where it was plotted as 0 % and read as a collapse the day before
// the alert. A count's day without rows stays 0.
func TestRateTrendLeavesGaps(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 9, d, 0, 0, 0, 0, time.UTC) }
	row := func(d int, v any) metrics.Row {
		return metrics.Row{{Key: "date", Value: metrics.Date(day(d))}, {Key: "order_rate", Value: v}}
	}
	a := Alert{Alert: metrics.Alert{Rule: "conversion_drop", Date: day(5)}}
	tr := metrics.Trend{Metric: "conversion", Field: "order_rate", By: []string{"date"}}
	got := trendOf(tr, a, []metrics.Row{row(1, 0.4), row(3, nil), row(4, 0.0), row(5, 0.2)}, day(1))
	want := []TrendPoint{{"2026-09-01", 0.4, false}, {"2026-09-02", 0, true}, {"2026-09-03", 0, true}, {"2026-09-04", 0, false}, {"2026-09-05", 0.2, false}}
	if len(got) != len(want) {
		t.Fatalf("trend %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	// A count (topic_surge's messages) without rows is 0, not missing.
	c := Alert{Alert: metrics.Alert{Rule: "topic_surge", Date: day(2), Product: "p1", Topic: "size"}}
	ctr := metrics.Trend{Metric: "topics", Field: "messages", By: []string{"date", "product_id", "topic"}}
	for _, p := range trendOf(ctr, c, nil, day(1)) {
		if p.Missing || p.Value != 0 {
			t.Errorf("count trend point %+v, want 0", p)
		}
	}

	// The chart leaves the missing days empty ("-", ECharts' gap) and
	// keeps 0 where the rate was 0.
	ch := sparkline("", []string{"09-01", "09-02", "09-03", "09-04", "09-05"}, []float64{0.4, 0, 0, 0, 0.2},
		[]bool{false, true, true, false, false}, "Abandonment", 0.4, "Baseline 40 %", fmtPct, false)
	b, err := json.Marshal(ch.Option)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `{"value":0.4},{"value":"-"},{"value":"-"},{"value":0},{"value":0.2}`) {
		t.Errorf("sparkline data: %s", b)
	}
}
