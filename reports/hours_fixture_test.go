package reports_test

import (
	"bytes"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// hoursCell is a cell of a fixture heat-map: the consultations started in
// an hour of a weekday (1 = Monday).
type hoursCell struct {
	Weekday, Hour int
	Consultations int64
}

// weeklyWithHours is the fixture week (reporttest.Weekly) with an hours
// heat-map of cells and coverage-gap slots, over several shops as the
// demo's: CoverageGaps is the slots' gaps added up.
func weeklyWithHours(cells []hoursCell, gaps ...reports.GapSlot) *reports.Weekly {
	w := reporttest.Weekly()
	w.Hours = &reports.HoursHeat{ByShop: true, GapSlots: gaps}
	for _, c := range cells {
		w.Hours.Consultations[c.Weekday-1][c.Hour] = c.Consultations
	}
	for _, g := range gaps {
		w.Hours.CoverageGaps += g.Gaps
	}
	return w
}

// hoursPage renders the weekly page w in lang and returns it with its
// heat-map's chart option.
func hoursPage(t *testing.T, w *reports.Weekly, lang string) (string, map[string]any) {
	t.Helper()
	var b bytes.Buffer
	if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: lang}); err != nil {
		t.Fatal(err)
	}
	if w.Hours == nil {
		return b.String(), nil
	}
	return b.String(), chartOption(t, b.String(), "chart-hours")
}
