package main

import (
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// TestEmptyPeriodWarning: a report period given by flags that holds no
// computed metrics is announced on stderr with the command that fills it.
func TestEmptyPeriodWarning(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cov := metrics.Coverage{FirstDay: day("2026-09-07"), LastDay: day("2026-10-04"), Days: 28}
	f := func(week string, cov metrics.Coverage, want string) {
		t.Helper()
		p, err := reports.ParseWeek(week, loc)
		if err != nil {
			t.Fatal(err)
		}
		got := emptyPeriodWarning(p, cov)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%s: warning %q, want one containing %q", week, got, want)
		}
	}
	f("2026-W10", cov, "metrics exist for 2026-09-07 .. 2026-10-04 (compute the period with: convintel metrics run --from 2026-03-02 --to 2026-03-08)")
	f("2026-W40", cov, "")
	f("2026-W10", metrics.Coverage{}, "") // nothing computed: the page explains
}
