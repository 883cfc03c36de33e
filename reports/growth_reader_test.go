package reports_test

// What an executive and an operations manager distrusted on the demo's
// GMV dashboard and experiments page: a stacked chart read as lines,
// repurchase cards without their look-back, "crossovers" unexplained, and
// a variant green while the verdict said "not final yet".

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestGMVStackedAndRetention: the stacked GMV chart says it is stacked,
// and the repurchase and reactivation cards say what they look back over
// (and that the look-back does not need the period before).
func TestGMVStackedAndRetention(t *testing.T) {
	g := reporttest.GMV()
	g.Growth = &reports.GrowthCards{Current: reports.GrowthFigures{PaidOrders: 900, BotGuidedRepurchaseGMV: 1_250_000, BotReactivatedBuyers: 7},
		LookbackDays: 365, SilentDays: 90}
	for lang, want := range map[string][2]string{reports.LangEN: {"stacked", "365 days"}, reports.LangZH: {"堆叠", "365 天"}} {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		s := page.String()
		if h := "<h2>" + l.T("gmv.over_time") + "</h2>"; !strings.Contains(h, want[0]) || !strings.Contains(s, h) {
			t.Errorf("%s GMV dashboard: the stacked chart's title does not say %q", lang, want[0])
		}
		note := g.Growth.RetentionNote(l)
		if !strings.Contains(note, want[1]) || !strings.Contains(note, l.T("growth.retention_no_previous")) || !strings.Contains(s, template.HTMLEscapeString(note)) {
			t.Errorf("%s GMV dashboard: no look-back caption under the repurchase cards (%q)", lang, note)
		}
	}
}

// TestExperimentLeading: an arm ahead while the verdict is not final is
// marked "leading, not final" and not green; green only once final; a
// worse significant arm is never green; crossovers are explained.
func TestExperimentLeading(t *testing.T) {
	x := reporttest.Experiments()
	e := x.Experiments[0] // winner limited-time, planned sample reached
	if e.Verdict != metrics.VerdictWinner || !e.SampleReached {
		t.Fatalf("fixture changed: %+v", e)
	}
	early := e
	early.SampleReached = false
	early.Name = "early-script"
	lost := e
	lost.Verdict, lost.Winner, lost.Name = metrics.VerdictControl, "", "lost-script"
	x.Experiments = []reports.Experiment{e, early, lost}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderExperiments(&page, x, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		sections := strings.Split(page.String(), `<section class="experiment">`)[1:]
		if len(sections) != 3 {
			t.Fatalf("%s: %d experiments drawn", lang, len(sections))
		}
		if !strings.Contains(sections[0], `<tr class="good"><td class="id">limited-time<`) {
			t.Errorf("%s: the final winner is not green", lang)
		}
		if strings.Contains(sections[1], `class="good"`) || !strings.Contains(sections[1], `<tr class="flat"><td><span class="id">limited-time</span>`+l.T("exp.leading_tag")+`<`) {
			t.Errorf("%s: the arm leading before the planned sample is green or not marked %q", lang, l.T("exp.leading_tag"))
		}
		if strings.Contains(sections[2], `<tr class="good"><td class="id">limited-time`) {
			t.Errorf("%s: a variant worse than the control is green", lang)
		}
		if !strings.Contains(page.String(), template.HTMLEscapeString(l.T("exp.crossovers_note"))) {
			t.Errorf("%s: crossovers are not explained", lang)
		}
	}
}
