package reports_test

// Session 16: what a reader would still distrust.

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// weeklyChange is one printed change of the weekly page: its colour class
// (good, bad, flat, small), its text and the promotion mark after it.
type weeklyChange struct{ class, text, mark string }

// A card keeps the change's last word with the mark in a span (session
// 21, third pass): "+2.9 pp vs previous <span class="nw">week <span
// class="promo-mark">promo</span></span>".
var changeCell = regexp.MustCompile(`class="(?:delta |num ?)(good|bad|flat|small)">([^<]*?)(?:<span class="nw">([^<\s]*))? ?(?:<span class="promo-mark">([^<]*)</span>)?(?:</span>)?</(?:div|td)>`)

// weeklyChanges reads the changes of the weekly page s, split into the
// conversion group (cards, shop × channel, drop-off) and the sentiment and
// service group (the two sections headed by l's titles).
func weeklyChanges(t *testing.T, s string, l reports.Locale) (conversion, observed []weeklyChange) {
	t.Helper()
	cut := strings.Index(s, "<section><h2>"+l.T("weekly.sentiment")+"</h2>")
	end := strings.Index(s, "<h2>"+l.T("weekly.gaps")+"</h2>")
	if cut < 0 || end < cut {
		t.Fatal("no sentiment or knowledge-gap section on the weekly page")
	}
	read := func(part string) []weeklyChange {
		var out []weeklyChange
		for _, m := range changeCell.FindAllStringSubmatch(part, -1) {
			if m[2] != "–" {
				out = append(out, weeklyChange{m[1], m[2] + m[3], m[4]})
			}
		}
		return out
	}
	return read(s[:cut]), read(s[cut:end])
}

// TestPromotionChangesNotColoured: the demo's weekly page painted
// "+41.2 % consultations vs previous week" green right beside the note
// saying the change is partly the promotion. A change whose compared days
// hold a promotion day is shown without colour (the muted class of a flat
// change), its number kept, followed by the mark that starts the note
// ("promo" / 大促); a group whose days hold none keeps its colours.
func TestPromotionChangesNotColoured(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		mark := l.T("promo.mark")
		check := func(name string, got []weeklyChange, promoted bool) {
			t.Helper()
			if len(got) < 3 {
				t.Fatalf("%s %s: %d changes found, the check would prove nothing: %v", lang, name, len(got), got)
			}
			coloured := 0
			for _, c := range got {
				if c.class == "good" || c.class == "bad" {
					coloured++
				}
				if !strings.ContainsAny(c.text, "0123456789") {
					t.Errorf("%s %s: change %q lost its number", lang, name, c.text)
				}
				switch {
				case promoted && (c.class == "good" || c.class == "bad"):
					t.Errorf("%s %s: %q coloured %s beside the promotion note", lang, name, c.text, c.class)
				case promoted && c.mark != mark:
					t.Errorf("%s %s: %q without the promotion mark %q (got %q)", lang, name, c.text, mark, c.mark)
				case !promoted && c.mark != "":
					t.Errorf("%s %s: %q marked %q with no promotion day in its days", lang, name, c.text, c.mark)
				}
			}
			if !promoted && coloured == 0 {
				t.Errorf("%s %s: no change coloured without a promotion: %v", lang, name, got)
			}
		}
		w := reporttest.Weekly() // conversion 11-16 – 11-19 against 11-09 – 11-12, the rest the whole weeks
		conv, obs := weeklyChanges(t, renderWeekly(t, w, reports.RenderOptions{Lang: lang}), l)
		check("no promotion, conversion", conv, false)
		check("no promotion, sentiment and service", obs, false)

		// 11-11 lies in the days both groups compare with.
		w.PromotionDays = []string{"11-11"}
		s := renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		conv, obs = weeklyChanges(t, s, l)
		check("11-11, conversion", conv, true)
		check("11-11, sentiment and service", obs, true)
		if n := strings.Count(s, `<p class="note promo"><span class="promo-mark">`+mark+`</span> `); n != 5 {
			t.Errorf("%s: %d promotion notes start with the mark %q, want 5", lang, n, mark)
		}

		// 11-20 is a day of this week after the final days: only sentiment
		// and service compare it.
		w.PromotionDays = []string{"2026-11-20"}
		conv, obs = weeklyChanges(t, renderWeekly(t, w, reports.RenderOptions{Lang: lang}), l)
		check("11-20, conversion", conv, false)
		check("11-20, sentiment and service", obs, true)
	}
}

// shadedBand reads the shaded band of a line chart's option: the series
// that carries it, the categories it starts and ends on, and its width in
// days as ECharts draws it. A line series' markArea runs from the centre
// of its first category to the centre of its last (to - from days); a bar
// series' covers its categories to their edges (to - from + 1).
func shadedBand(t *testing.T, o map[string]any) (carrier map[string]any, from, to string, days int) {
	t.Helper()
	var cats []string
	for _, c := range o["xAxis"].([]any)[0].(map[string]any)["data"].([]any) {
		cats = append(cats, c.(string))
	}
	for _, se := range o["series"].([]any) {
		s := se.(map[string]any)
		ma, ok := s["markArea"].(map[string]any)
		if !ok {
			continue
		}
		if carrier != nil {
			t.Fatal("two series carry a shaded band")
		}
		pair := ma["data"].([]any)[0].([]any)
		carrier, from, to = s, pair[0].(map[string]any)["xAxis"].(string), pair[1].(map[string]any)["xAxis"].(string)
	}
	if carrier == nil {
		t.Fatal("no shaded band")
	}
	a, b := slices.Index(cats, from), slices.Index(cats, to)
	if a < 0 || b < a {
		t.Fatalf("band %s – %s is not a range of the categories %v", from, to, cats)
	}
	days = b - a
	if carrier["type"] == "bar" {
		days++
	}
	return carrier, from, to, days
}

// TestOneDayShadeHasWidth: with one day not final, the daily chart's band
// started and ended on that day: a line series' markArea runs between the
// categories' centres, so it had no width and the label "* not final"
// stood over nothing shaded. The band is carried by a bar series without
// data, whose markArea covers its days to their edges: one day is a day
// wide, and a band of several days covers the same days, each whole.
func TestOneDayShadeHasWidth(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		f := func(notFinal int) {
			t.Helper()
			w := reporttest.Weekly()
			for i := range w.Daily {
				w.Daily[i].Immature = i >= len(w.Daily)-notFinal
			}
			o := chartOption(t, renderWeekly(t, w, reports.RenderOptions{Lang: lang}), "chart-daily")
			carrier, from, to, days := shadedBand(t, o)
			first := w.Daily[len(w.Daily)-notFinal].Date.Format("01-02") + "*"
			last := w.Daily[len(w.Daily)-1].Date.Format("01-02") + "*"
			if from != first || to != last {
				t.Errorf("%s, %d days not final: band %s – %s, want %s – %s", lang, notFinal, from, to, first, last)
			}
			if days != notFinal {
				t.Errorf("%s, %d days not final: the band is drawn %d days wide", lang, notFinal, days)
			}
			if d, _ := carrier["data"].([]any); len(d) != 0 || carrier["name"] != nil {
				t.Errorf("%s: the band's carrier draws data or has a name: %v", lang, carrier)
			}
			// the legend names the three lines only
			legend, _ := o["legend"].(map[string]any)["data"].([]any)
			if want := []any{l.T("order_rate"), l.T("same_day_pay_rate"), l.T("final_pay_rate")}; !slices.Equal(legend, want) {
				t.Errorf("%s: legend %v, want %v", lang, legend, want)
			}
			// a tick on every day's edge, where the band is placed
			if tick, _ := o["xAxis"].([]any)[0].(map[string]any)["axisTick"].(map[string]any); tick["interval"] != "0" {
				t.Errorf("%s: axis ticks %v, want one on every day", lang, tick)
			}
		}
		f(1)
		f(3)
	}
}
