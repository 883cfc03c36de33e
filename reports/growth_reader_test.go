package reports_test

// What an executive and an operations manager distrusted on the demo's
// GMV dashboard and experiments page: a stacked chart read as lines,
// repurchase cards without their look-back, "crossovers" unexplained, and
// a variant green while the verdict said "not final yet".

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"time"

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
		if strings.Contains(sections[1], `class="good"`) || !strings.Contains(sections[1], `<tr class="leading"><td><span class="id">limited-time</span>`+l.T("exp.leading_tag")+`<`) {
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

// noRows is a Source with no stored rows.
type noRows struct{}

func (noRows) Show(context.Context, string, metrics.Query) ([]metrics.Row, error) { return nil, nil }
func (noRows) Alerts(context.Context, metrics.Query) ([]metrics.Alert, error)     { return nil, nil }

// TestGrowthCardsStateTheDeploymentsRetention: the caption under the
// repurchase cards states the look-back the deployment configured
// (metrics.retention), not the defaults; the zero value is the defaults.
func TestGrowthCardsStateTheDeploymentsRetention(t *testing.T) {
	p := reports.Period{From: time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)}
	def := metrics.DefaultSettings().Retention
	for _, c := range []struct {
		set                metrics.RetentionSettings
		lookback, silentAt int
	}{{metrics.RetentionSettings{Lookback: 180, SilentAfter: 60}, 180, 60}, {metrics.RetentionSettings{}, def.Lookback, def.SilentAfter}} {
		g, err := reports.BuildGrowthCards(context.Background(), noRows{}, reports.Scope{Period: p, Retention: c.set}, p.Previous())
		if err != nil {
			t.Fatal(err)
		}
		if g.LookbackDays != c.lookback || g.SilentDays != c.silentAt {
			t.Errorf("retention %+v: cards say %d / %d days, want %d / %d", c.set, g.LookbackDays, g.SilentDays, c.lookback, c.silentAt)
		}
		l, _ := reports.NewLocale(reports.LangEN)
		if note := g.RetentionNote(l); !strings.Contains(note, fmt.Sprintf("%d days", c.lookback)) {
			t.Errorf("the caption does not state the %d-day look-back: %q", c.lookback, note)
		}
	}
}

// TestFTELabelSaysSaved: the bot-value card of full-time agents says they
// are saved. "Agents (full-time) per day 8.1" beside "Agent hours saved"
// read as the shops' staff; it is the hours saved over 8-hour days.
func TestFTELabelSaysSaved(t *testing.T) {
	g := reporttest.GMV()
	g.Growth = &reports.GrowthCards{Current: reports.GrowthFigures{HasValue: true, HoursSaved: 1812, FTEAvg: 8.1}}
	for lang, want := range map[string]string{reports.LangEN: "saved", reports.LangZH: "节省"} {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderGMV(&page, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		label := l.T("growth.fte")
		if !strings.Contains(label, want) || !strings.Contains(page.String(), `<div class="label">`+label+`</div><div class="value">8.1</div>`) {
			t.Errorf("%s GMV dashboard: the full-time agents card %q does not say they are saved (%q)", lang, label, want)
		}
	}
}

// TestExperimentLiftIsRelative: the lift is relative (38.7 % against
// 31.8 % read "+21.7 %"), which a bot owner took for percentage points
// (the arms differ by 6.9): the column, the verdict and the planned
// sample say relative.
func TestExperimentLiftIsRelative(t *testing.T) {
	want := map[string]string{reports.LangEN: "relative", reports.LangZH: "相对"}
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		for _, key := range []string{"exp.lift", "exp.verdict.winner", "exp.sample"} {
			if text := l.T(key); !strings.Contains(strings.ToLower(text), want[lang]) {
				t.Errorf("%s experiments: %s reads %q: a relative lift that does not say so reads as percentage points", lang, key, text)
			}
		}
		var page bytes.Buffer
		if err := reports.RenderExperiments(&page, reporttest.Experiments(), reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page.String(), ">"+template.HTMLEscapeString(l.T("exp.lift"))+"</th>") {
			t.Errorf("%s experiments: no column %q", lang, l.T("exp.lift"))
		}
	}
}
