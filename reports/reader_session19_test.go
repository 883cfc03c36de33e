package reports_test

// What session 19 fixed of a newcomer's reading of the demo's pages and of
// serve's (2026-12-07, headless Chromium at 1366 px and on a 390 px phone,
// both languages).

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// baselineKeyText is the text of an alert trend's baseline key (the
// graphic above the plot), "" without one.
func baselineKeyText(opt map[string]any) string {
	graphics, _ := opt["graphic"].([]any)
	for _, g := range graphics {
		gm, _ := g.(map[string]any)
		children, _ := gm["children"].([]any)
		for _, c := range children {
			cm, _ := c.(map[string]any)
			if cm["type"] != "text" {
				continue
			}
			style, _ := cm["style"].(map[string]any)
			text, _ := style["text"].(string)
			return text
		}
	}
	return ""
}

// TestAlertBaselineKeyAbovePlot: an alert trend's "Baseline 9.1
// messages/day" stood inside the plot above the dashed line's right end,
// where an alert's spike is drawn: on the demo's shelf-life surge (and the
// drop-off and fallback spikes) the label ran across the red line, on a
// phone over its last ten days. The line carries no label now; the
// baseline is named in a key above the plot, whose top leaves it room.
func TestAlertBaselineKeyAbovePlot(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderAlerts(b, reporttest.Alerts(), o)
		})
		trends := 0
		for id, opt := range pageCharts(t, page) {
			series, _ := opt["series"].([]any)
			if len(series) == 0 || series[0].(map[string]any)["type"] != "line" {
				continue
			}
			trends++
			ml, _ := series[0].(map[string]any)["markLine"].(map[string]any)
			if label, _ := ml["label"].(map[string]any); label["show"] != false {
				t.Errorf("%s %s: the dashed baseline carries a label inside the plot: %v", lang, id, label)
			}
			if text := baselineKeyText(opt); !strings.HasPrefix(text, l.T("alerts.baseline")+" ") {
				t.Errorf("%s %s: no baseline key above the plot (%q)", lang, id, text)
			}
			grid, _ := opt["grid"].([]any)
			gm, _ := grid[0].(map[string]any)
			graphic := opt["graphic"].([]any)[0].(map[string]any)
			top, _ := graphic["top"].(float64)
			var gridTop float64
			switch v := gm["top"].(type) {
			case string:
				for _, c := range v {
					gridTop = gridTop*10 + float64(c-'0')
				}
			case float64:
				gridTop = v
			}
			// the key's text is 10 px high, its stroke at 7 px
			if top+12 > gridTop {
				t.Errorf("%s %s: the key (top %v) reaches into the plot (top %v)", lang, id, top, gridTop)
			}
		}
		if trends == 0 {
			t.Fatalf("%s: no alert trend on the fixture page", lang)
		}
	}
}

// TestOneDayPeriodLabel: the early-warning page of one day (serve's
// default, the scheduled daily archive) read "Period: 2026-10-04 –
// 2026-10-04" in its header and title, a range from a day to itself.
func TestOneDayPeriodLabel(t *testing.T) {
	day := time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)
	p := reports.Period{From: day, To: day}
	if got := p.Label(); got != "2026-10-04" {
		t.Errorf("one day's label %q, want 2026-10-04", got)
	}
	for _, lang := range reports.Langs {
		a := reporttest.Alerts()
		a.Period = p
		page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderAlerts(b, a, o) })
		if strings.Contains(page, "2026-10-04 – 2026-10-04") {
			t.Errorf("%s: the one-day page names its day as a range", lang)
		}
		if !strings.Contains(page, "2026-10-04</span></div>") && !strings.Contains(page, "2026-10-04</div>") {
			i := strings.Index(page, `<div class="sub">`)
			t.Errorf("%s: the header does not end on the day: %.200s", lang, page[i:])
		}
	}
}

// TestFirstWeekSaysNothingIsCompared: the weekly page of the data's first
// week (serve's week picker, the first scheduled report of a deployment)
// said "Every figure compares the whole week with the previous week
// (2026-08-31 – 2026-09-06)" above cards and a table that showed no change
// at all, that week holding no data. The note now says no change is shown
// and why, with the days still inside the order window or without.
func TestFirstWeekSaysNothingIsCompared(t *testing.T) {
	for _, tail := range []bool{false, true} {
		for _, lang := range reports.Langs {
			l, _ := reports.NewLocale(lang)
			w := reporttest.Weekly()
			w.Previous, w.PrevSentiment, w.PrevService = reports.Conversion{}, reports.Sentiment{}, reports.Service{}
			for i := range w.ByShopChannel {
				w.ByShopChannel[i].Previous = reports.Conversion{}
			}
			if !tail {
				w.HasTail, w.Compared = false, w.Period
			}
			note := w.MaturityNote(l)
			prev := w.Period.Previous()
			want := l.Tf("maturity.no_previous", prev.From.Format(time.DateOnly)+" – "+prev.To.Format(time.DateOnly))
			if !strings.Contains(note, want) {
				t.Errorf("%s tail=%v: the note %q does not say that nothing is compared (%q)", lang, tail, note, want)
			}
			for _, claim := range []string{"compares", "compared with", "对比的是", "对比上周"} {
				if strings.Contains(note, claim) {
					t.Errorf("%s tail=%v: the note claims a comparison (%q): %q", lang, tail, claim, note)
				}
			}
			page := renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) })
			if !strings.Contains(page, template.HTMLEscapeString(want)) && !strings.Contains(page, "No change is shown") && !strings.Contains(page, "未显示变化") {
				t.Errorf("%s tail=%v: the page does not carry the note", lang, tail)
			}
			if strings.Contains(page, l.T("vs_prev")) {
				t.Errorf("%s tail=%v: a change is labelled against the empty week", lang, tail)
			}
		}
	}
}
