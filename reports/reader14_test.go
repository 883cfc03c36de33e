package reports_test

// What a newcomer reading the demo's pages flagged in session 12 and
// session 14 fixed: alert rate axes in "0.0 % … 70.0 %".

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// pctDecimals are the decimals of the page script's percent formatters
// (reports/templates/page.js).
var pctDecimals = map[string]int{"fmt:pct0": 0, "fmt:pct": 1, "fmt:pct2": 2}

// TestAlertRateAxisLabels: an alert's rate chart labelled its axis with one
// decimal whatever the step ("0.0 %, 10.0 % … 70.0 %"), while whole percent
// would print "1 %" twice on a rate that moves within a few points. The
// axis is fixed in the option (min, max, a step) and its labels carry the
// decimals the step needs: every tick's label exact, no two alike, and one
// decimal fewer would no longer be exact.
func TestAlertRateAxisLabels(t *testing.T) {
	a := reporttest.Alerts()
	trend := func(lo, hi float64) []reports.TrendPoint {
		tr := a.Groups[0].Alerts[0].Trend
		out := make([]reports.TrendPoint, len(tr))
		for i, p := range tr {
			out[i] = reports.TrendPoint{Label: p.Label, Value: lo + (hi-lo)*float64(i%5)/4}
		}
		return out
	}
	open := a.Groups[1].Alerts // dropoff_spike (weekly trend), fallback_spike
	open[0].Trend = trend(0.2, 0.7)
	open[0].Value, open[0].Baseline = 0.7, 0.3
	open[1].Trend = trend(0.005, 0.024) // moves within a few points
	open[1].Value, open[1].Baseline = 0.024, 0.011
	a.Groups[2].Alerts[0].Trend = trend(0.0011, 0.0034)                        // a fraction of a point
	a.Groups[0].Alerts[1].Value, a.Groups[0].Alerts[1].Baseline = 0.021, 0.008 // no trend: bars
	var page bytes.Buffer
	if err := reports.RenderAlerts(&page, a, reports.RenderOptions{Lang: reports.LangEN}); err != nil {
		t.Fatal(err)
	}
	s := page.String()
	checked := 0
	for n := 0; strings.Contains(s, `"chart-alert-`+strconv.Itoa(n)+`"`); n++ {
		id := "chart-alert-" + strconv.Itoa(n)
		y, _ := chartOption(t, s, id)["yAxis"].([]any)
		if len(y) != 1 {
			t.Fatalf("%s: yAxis %v", id, y)
		}
		ax := y[0].(map[string]any)
		label, _ := ax["axisLabel"].(map[string]any)
		f, _ := label["formatter"].(string)
		d, rate := pctDecimals[f]
		if !rate {
			continue // a count
		}
		checked++
		lo, okLo := ax["min"].(float64)
		hi, okHi := ax["max"].(float64)
		step, okStep := ax["minInterval"].(float64)
		if !okLo || !okHi || !okStep || ax["maxInterval"] != step || step <= 0 || hi <= lo {
			t.Errorf("%s: the rate axis is left to ECharts (min %v, max %v, interval %v–%v): its labels cannot follow its step", id, ax["min"], ax["max"], ax["minInterval"], ax["maxInterval"])
			continue
		}
		var labels []string
		seen := map[string]bool{}
		exactWithFewer := true
		for v := lo; v <= hi+step/2; v += step {
			p := v * 100
			l := strconv.FormatFloat(p, 'f', d, 64) + " %"
			if seen[l] {
				t.Errorf("%s: label %q twice on an axis in steps of %.2g points", id, l, step*100)
			}
			seen[l] = true
			labels = append(labels, l)
			if pp, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'f', d, 64), 64); math.Abs(pp-p) > 1e-6 {
				t.Errorf("%s: tick %.4g %% labelled %q", id, p, l)
			}
			if d == 0 {
				continue
			}
			if pp, _ := strconv.ParseFloat(strconv.FormatFloat(p, 'f', d-1, 64), 64); math.Abs(pp-p) > 1e-6 {
				exactWithFewer = false
			}
		}
		if d > 0 && exactWithFewer {
			t.Errorf("%s: labels %v carry a decimal the step (%.2g points) does not need", id, labels, step*100)
		}
		if len(labels) < 3 || len(labels) > 7 {
			t.Errorf("%s: %d labels on a 140 px axis: %v", id, len(labels), labels)
		}
		series, _ := chartOption(t, s, id)["series"].([]any)
		for _, sr := range series {
			data, _ := sr.(map[string]any)["data"].([]any)
			for _, x := range data {
				if v, _ := x.(map[string]any)["value"].(float64); v < lo || v > hi {
					t.Errorf("%s: value %v outside the axis %v–%v", id, v, lo, hi)
				}
			}
		}
	}
	if checked < 4 {
		t.Errorf("%d rate charts checked, want at least 4 (three trends and a baseline-value bar chart)", checked)
	}
}
