package reports_test

// What session 18 fixed of a newcomer's reading of the demo's pages
// (2026-12-07, headless Chromium at 1280 px and on a 390 px phone, both
// languages).

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// hyphenNumber is a number written with an ASCII hyphen for its sign, as
// a reader sees it: after a space, a bracket or the start of a text.
var hyphenNumber = regexp.MustCompile(`(^|[\s(（>:：,，])-[¥\d]`)

// pageText is a page's text as a reader sees it: no scripts, styles or
// tags, entities decoded.
func pageText(page string) string {
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	return html.UnescapeString(tags.ReplaceAllString(page, " "))
}

// TestChangesPrintMinus: every change read "-3.5 %", "-2.1 pp", "-0.02"
// with an ASCII hyphen, and the sentiment scale "from -1": a hyphen is a
// dash to a reader, shorter than the "+" of the rising figures beside it.
// Whatever Locale writes for people takes the minus sign U+2212; the
// fixture pages hold no number with a hyphen for its sign.
func TestChangesPrintMinus(t *testing.T) {
	en, _ := reports.NewLocale(reports.LangEN)
	zh, _ := reports.NewLocale(reports.LangZH)
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(en.Points(0.30, 0.321), "−2.1 pp")
	f(zh.Points(0.30, 0.321), "−2.1 个百分点")
	f(en.Change(96.5, 100), "−3.5 %")
	f(en.Change(100, 100), "±0.0 %")
	f(en.Change(103.5, 100), "+3.5 %")
	f(en.Decimal(-0.02, 2), "−0.02")
	f(en.Count(-1234), "−1,234")
	f(en.Money(-123456), "−¥1,234.56")
	f(en.MoneyCompact(-2_500_000), "−¥25k")
	f(zh.MoneyCompact(-2_500_000), "−¥2.5万")
	f(en.Percent(-0.035), "−3.5 %")
	f(en.Millis(-1500), "−1.5 s")
	f(en.Hours(-2.5), "−2.5 h")
	lift := -0.034
	f(reports.ExperimentArm{Lift: &lift}.LiftText(), "−3.4 %")

	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		if strings.Contains(l.T("base.avg_score"), "-1") {
			t.Errorf("%s: the sentiment scale reads %q", lang, l.T("base.avg_score"))
		}
		w := reporttest.Weekly()
		w.Previous.OrderRate = w.Current.OrderRate + 0.021 // a fall
		w.PrevSentiment.Consultations = w.Sentiment.Consultations + 500
		w.Sentiment.AvgScore = -0.02
		pages := fixturePages(t, lang)
		pages["weekly"] = renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		for name, page := range pages {
			text := pageText(page)
			if m := hyphenNumber.FindStringIndex(text); m != nil {
				t.Errorf("%s %s: a number with an ASCII hyphen for its sign: …%s…", lang, name, text[max(0, m[0]-40):min(len(text), m[1]+20)])
			}
		}
		text := pageText(pages["weekly"])
		for _, want := range []string{l.Points(w.Current.OrderRate, w.Previous.OrderRate), l.Change(float64(w.Sentiment.Consultations), float64(w.PrevSentiment.Consultations)), "−0.02"} {
			if !strings.HasPrefix(want, reports.Minus) || !strings.Contains(text, want) {
				t.Errorf("%s: the weekly page does not show the fall %q", lang, want)
			}
		}
	}
	// What machines read keeps its hyphen: a row as metrics.Show gives it
	// to exports and the API is not the page's text.
	if s := metrics.Money(-123456).String(); strings.Contains(s, reports.Minus) {
		t.Errorf("an amount as exports write it: %q", s)
	}
}
