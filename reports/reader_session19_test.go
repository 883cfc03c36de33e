package reports_test

// What session 19 fixed of a newcomer's reading of the demo's pages and of
// serve's (2026-12-07, headless Chromium at 1366 px and on a 390 px phone,
// both languages).

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
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

// TestDropOffAlertSameScopeSaysSo: the weekly page of Goodies Store read
// "Shipping 64.4 %" in its drop-off table and "Shipping at Goodies Store:
// 64.4 % abandonment over 2026-09-28 – 2026-09-30" under it, followed by
// "the table above is Goodies Store over the days with final figures only
// (2026-09-28 – 2026-09-30), so its rate for the same node differs"; and
// the alert's card said the weekly table's rate "is not this one" whatever
// the shop chosen. When the table is the alert's shop over the alert's
// days, both say it reads the alert's rate.
func TestDropOffAlertSameScopeSaysSo(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		w := reporttest.Weekly()
		w.DropOffAlerts = []reports.Alert{{Alert: metrics.Alert{ID: "a3", Rule: metrics.RuleDropoffSpike, Shop: "shop-01", Node: "shipping",
			Status: metrics.AlertOpen, Severity: metrics.SeverityCritical, Value: 0.644, Baseline: 0.437, Ratio: 1.5,
			Opened: w.Period.From, Date: w.Period.To}}}
		if judged, _ := reports.JudgedDays(w.DropOffAlerts[0].Alert, w.Coverage); !judged.To.Equal(w.Compared.To) {
			t.Fatalf("fixture: the alert judged %v, the table covers %v", judged, w.Compared)
		}
		differs := strings.SplitN(l.T("weekly.dropoff_alert_scope"), "%s", 2)[1]
		same := strings.SplitN(l.T("weekly.dropoff_alert_scope_same"), "%s", 2)[1]
		page := html.UnescapeString(renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) }))
		if !strings.Contains(page, differs) || strings.Contains(page, same) {
			t.Errorf("%s: the page of all shops does not say that its table's rate differs", lang)
		}
		w.Scope.Shop = "shop-01"
		page = html.UnescapeString(renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) }))
		if strings.Contains(page, differs) || !strings.Contains(page, same) {
			t.Errorf("%s: the page of the alert's shop says the rates differ, or not that they are one", lang)
		}
		// an alert of another shop on that page keeps "differs"
		w.DropOffAlerts[0].Shop = "shop-02"
		page = html.UnescapeString(renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderWeekly(b, w, o) }))
		if strings.Contains(page, same) {
			t.Errorf("%s: another shop's alert is said to read the table's rate", lang)
		}

		// The card: with the coverage, its judged days are the week's final
		// days, and the weekly table of its shop reads its rate.
		a := reporttest.Alerts()
		var al metrics.Alert
		for _, g := range a.Groups {
			for _, x := range g.Alerts {
				if x.Rule == metrics.RuleDropoffSpike {
					al = x.Alert
				}
			}
		}
		card := func() string {
			page := html.UnescapeString(plainDates(renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error { return reports.RenderAlerts(b, a, o) })))
			m := regexp.MustCompile(`<div class="note scope">([^<]*)</div>`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("%s: no scope note on the drop-off spike's card", lang)
			}
			return m[1]
		}
		tail := func(key string) string {
			s := l.T(key)
			return s[strings.LastIndex(s, "%[3]s")+len("%[3]s"):]
		}
		if c := card(); !strings.Contains(c, strings.ReplaceAll(tail("alerts.dropoff_scope"), "%[1]s", "")) {
			t.Errorf("%s: without coverage the card keeps \"is not this one\": %q", lang, c)
		}
		a.Scope.Coverage = metrics.Coverage{FirstDay: al.Date.AddDate(0, 0, -40), LastDay: al.Date, Days: 41,
			Watermark: al.Date.Add(20 * time.Hour), CompleteThrough: al.Date.AddDate(0, 0, -1), Window: 72 * time.Hour}
		want := strings.SplitN(tail("alerts.dropoff_scope_same_days"), "%[1]s", 2)
		if c := card(); !strings.Contains(c, want[0]) || !strings.HasSuffix(c, want[1]) {
			t.Errorf("%s: the card whose days are its week's final ones does not say the weekly table of its shop reads its rate: %q", lang, c)
		}
	}
}

// TestAlertGroupHeadingsNameShopFirst: the alerts page's groups were headed
// "Shop-wide · Shop Goodies Store" and "Product Infant formula milk powder
// stage 3 · Shop Goodies Store" (全店 · 店铺 良品小铺): a label before each
// name, the shop last. They read "Goodies Store · whole shop" and "Goodies
// Store · Infant formula milk powder stage 3".
func TestAlertGroupHeadingsNameShopFirst(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := html.UnescapeString(renderPage(t, lang, func(b *bytes.Buffer, o reports.RenderOptions) error {
			return reports.RenderAlerts(b, reporttest.Alerts(), o)
		}))
		heads := regexp.MustCompile(`<h2><span[^>]*>([^<]*)</span> · (?:<span[^>]*>)?([^<]*)`).FindAllStringSubmatch(page, -1)
		if len(heads) == 0 {
			t.Fatalf("%s: no group heading starts with its shop", lang)
		}
		shopWide := false
		for _, h := range heads {
			shopWide = shopWide || h[2] == l.T("alerts.no_product")
		}
		if !shopWide {
			t.Errorf("%s: no shop-wide group reads \"shop · %s\": %v", lang, l.T("alerts.no_product"), heads)
		}
		for _, stale := range []string{l.T("alerts.product") + " <span", l.T("alerts.no_product") + " · " + l.T("shop")} {
			if strings.Contains(page, stale) {
				t.Errorf("%s: a heading still reads %q", lang, stale)
			}
		}
	}
}
