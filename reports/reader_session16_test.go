package reports_test

// Session 16: what a reader would still distrust.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// weeklyChange is one printed change of the weekly page: its colour class
// (good, bad, flat, small), its text and the promotion mark after it.
type weeklyChange struct{ class, text, mark string }

var changeCell = regexp.MustCompile(`class="(?:delta |num ?)(good|bad|flat|small)">([^<]*?) ?(?:<span class="promo-mark">([^<]*)</span>)?</(?:div|td)>`)

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
				out = append(out, weeklyChange{m[1], m[2], m[3]})
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
