package reports_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestPeriodWithoutDataShowsOnlyTheNote: a week outside the data (serve's
// /weekly?week=2026-W30 on the demo) said "No data for 2026-W30 … Data
// exists from …", then showed the whole report at 0 below it, its figures
// "final" and compared with a week as empty. The page now holds the note
// and its link only, and draws no chart.
func TestPeriodWithoutDataShowsOnlyTheNote(t *testing.T) {
	pages := map[string]func(b *bytes.Buffer, cov metrics.Coverage, o reports.RenderOptions) error{
		"weekly": func(b *bytes.Buffer, cov metrics.Coverage, o reports.RenderOptions) error {
			w := reporttest.Weekly()
			w.Coverage = cov
			return reports.RenderWeekly(b, w, o)
		},
		"gmv": func(b *bytes.Buffer, cov metrics.Coverage, o reports.RenderOptions) error {
			g := reporttest.GMV()
			g.Coverage = cov
			return reports.RenderGMV(b, g, o)
		},
		"qa": func(b *bytes.Buffer, cov metrics.Coverage, o reports.RenderOptions) error {
			q := reporttest.QA()
			q.Scope.Coverage = cov
			return reports.RenderQA(b, q, o)
		},
	}
	for name, render := range pages {
		for _, lang := range reports.Langs {
			period := reporttest.Weekly().Period
			elsewhere := metrics.Coverage{FirstDay: period.To.AddDate(0, 0, 30), LastDay: period.To.AddDate(0, 0, 57), Days: 28,
				Window: 72 * time.Hour, Watermark: period.To.AddDate(0, 0, 58)}
			var b bytes.Buffer
			if err := render(&b, elsewhere, reports.RenderOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			if !strings.Contains(page, `<section class="empty">`) {
				t.Errorf("%s %s: no empty state for a period outside the data", name, lang)
			}
			for _, s := range []string{`class="kpis"`, `<table`, `class="chart"`} {
				if strings.Contains(page, s) {
					t.Errorf("%s %s: the page outside the data still holds %s", name, lang, s)
				}
			}
			if !strings.Contains(page, `"charts":[]`) {
				t.Errorf("%s %s: the page outside the data still draws charts", name, lang)
			}
			// the same page over its data is whole
			b.Reset()
			inside := metrics.Coverage{FirstDay: period.From.AddDate(0, 0, -21), LastDay: period.To, Days: 28,
				Window: 72 * time.Hour, Watermark: period.To.Add(23 * time.Hour)}
			if err := render(&b, inside, reports.RenderOptions{Lang: lang}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), `<section class="empty">`) || !strings.Contains(b.String(), `class="chart"`) {
				t.Errorf("%s %s: the page over its data shows the empty state or no chart", name, lang)
			}
		}
	}
}
