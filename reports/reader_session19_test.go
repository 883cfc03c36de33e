package reports_test

// What session 19 fixed of a newcomer's reading of the demo's pages and of
// serve's (2026-12-07, headless Chromium at 1366 px and on a 390 px phone,
// both languages).

import (
	"bytes"
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
