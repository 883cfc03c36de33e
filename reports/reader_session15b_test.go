package reports_test

// Session 15, second pass: what the first left of the newcomer's review.
// The layout items (bracketed ranges on two lines, a chart of days without
// its last day's label, a shaded band's label wider than the band) are
// TestBrowser's (dashboards), which failed on each before.

import (
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestPromotionDayNamedBesideChanges: the demo's weekly page read "+41.2 %
// consultations vs previous week" in green over a week holding its
// promotion day (10-01, four times the traffic), and did not say so. The
// page names the configured promotion days (metrics.alerts.promotion_days,
// the list the early warnings keep out of their baselines) inside either
// side of a comparison, under the line naming the days compared.
func TestPromotionDayNamedBesideChanges(t *testing.T) {
	promo := func(s string) []string {
		var out []string
		for _, p := range strings.Split(s, `<p class="note promo">`)[1:] {
			// after the mark its changes carry (TestPromotionChangesNotColoured)
			_, p, _ = strings.Cut(p, "</span> ")
			out = append(out, p[:strings.Index(p, "</p>")])
		}
		return out
	}
	for _, lang := range reports.Langs {
		w := reporttest.Weekly() // 2026-W47: conversion 11-16 – 11-19 against 11-09 – 11-12, the rest the whole weeks
		if got := promo(renderWeekly(t, w, reports.RenderOptions{Lang: lang})); got != nil {
			t.Errorf("%s: promotion notes with no promotion days configured: %q", lang, got)
		}
		// The defaults (11-11, 6-18): 11-11 is in the week before, on
		// both sides' days.
		w.PromotionDays = metrics.DefaultSettings().Alerts.PromotionDays
		s := renderWeekly(t, w, reports.RenderOptions{Lang: lang})
		want := map[string]string{
			reports.LangEN: "Promotion day: 2026-11-11 (previous week). A promotion&#39;s traffic is not an ordinary day&#39;s: these changes are partly the promotion, not a trend, and are shown without colour.",
			reports.LangZH: "大促日：2026-11-11（上周）。大促当天的流量不同于平日：这些变化部分来自大促，并非趋势，所以不标红绿。",
		}[lang]
		got := promo(s)
		// conversion cards, shop × channel, drop-off; sentiment, service
		if len(got) != 5 {
			t.Errorf("%s: %d promotion notes, want 5 (beside each comparison): %q", lang, len(got), got)
		}
		for _, g := range got {
			if g != want {
				t.Errorf("%s: promotion note %q, want %q", lang, g, want)
			}
		}
		if !strings.Contains(s, `</p><p class="note promo"><span class="promo-mark">`) || !strings.Contains(s, "</p>\n"+`<p class="note promo"><span class="promo-mark">`) {
			t.Errorf("%s: the promotion note does not follow the lines naming the days compared", lang)
		}
		// A day of this week after the final days (11-20, one year only):
		// sentiment and service compare the whole week and name it; the
		// conversion compares 11-16 – 11-19 and does not.
		w.PromotionDays = []string{"2026-11-20", "2025-11-10"}
		got = promo(renderWeekly(t, w, reports.RenderOptions{Lang: lang}))
		want = map[string]string{reports.LangEN: "Promotion day: 2026-11-20 (this week).", reports.LangZH: "大促日：2026-11-20（本周）。"}[lang]
		if len(got) != 2 || !strings.HasPrefix(got[0], want) || got[0] != got[1] {
			t.Errorf("%s: with 2026-11-20: %q, want two notes starting %q", lang, got, want)
		}
		// Both weeks, a range of dates.
		w.PromotionDays = []string{"11-10", "11-17"}
		w.Period.Week, w.PrevCompared.Week, w.PrevObserved.Week = "", "", ""
		got = promo(renderWeekly(t, w, reports.RenderOptions{Lang: lang}))
		want = map[string]string{reports.LangEN: "Promotion days: 2026-11-17 (this period), 2026-11-10 (period before).",
			reports.LangZH: "大促日：2026-11-17（本期）、2026-11-10（上期）。"}[lang]
		if len(got) != 5 || !strings.HasPrefix(got[0], want) {
			t.Errorf("%s: both periods: %q, want notes starting %q", lang, got, want)
		}
	}
}

// TestBracketedRangesKeptWhole: a phone broke "Night order share (00–" over
// "06)" and the Chinese experiments header "满意度（4–" over "5 星）".
// A short bracketed range is kept on one line, as dates are.
func TestBracketedRangesKeptWhole(t *testing.T) {
	for lang, want := range map[string][]string{
		reports.LangEN: {`<span class="nw">(00–06)</span>`, `<span class="nw">(4–5 ★)</span>`},
		reports.LangZH: {`<span class="nw">（0–6 点）</span>`, `<span class="nw">（4–5 星）</span>`},
	} {
		hours, _ := hoursPage(t, weeklyWithHours(nil), lang)
		if !strings.Contains(hours, want[0]) {
			t.Errorf("%s: the night share's hours are not kept whole (want %s)", lang, want[0])
		}
		if !strings.Contains(fixturePages(t, lang)["experiments"], want[1]) {
			t.Errorf("%s: the CSAT header's stars are not kept whole (want %s)", lang, want[1])
		}
	}
}
