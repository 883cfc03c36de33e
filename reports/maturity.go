package reports

import (
	"strconv"
	"strings"
	"time"
)

// The weekly report's figures that wait W for orders (conversion, funnel,
// drop-off) are compared only over days whose windows have closed, with
// the same days of the previous period: a Monday report would otherwise
// compare last week's unfinished weekend with a finished one and show a
// decline that is only orders not yet placed (issue 14, item 1).

// windowText is W as a reader says it: "72 h" / "72 小时".
func windowText(l Locale, w time.Duration) string {
	if w <= 0 {
		w = 72 * time.Hour
	}
	h := strconv.FormatFloat(w.Hours(), 'f', -1, 64)
	if l.Lang == LangZH {
		return h + " 小时"
	}
	return h + " h"
}

func shortRange(p Period) string {
	if p.From.Equal(p.To) {
		return p.From.Format(time.DateOnly)
	}
	return p.From.Format(time.DateOnly) + " – " + p.To.Format(time.DateOnly)
}

// MaturityNote says up to which day the data is complete, what is compared
// with what (conversion, funnel and drop-off; then sentiment and service),
// and which days are still maturing; "" when coverage is unknown.
func (w *Weekly) MaturityNote(l Locale) string {
	c := w.Coverage
	if c.Watermark.IsZero() && c.LastDay.IsZero() {
		return ""
	}
	win := windowText(l, c.Window)
	through := l.T("maturity.none_complete")
	if !c.CompleteThrough.IsZero() {
		through = c.CompleteThrough.Format(time.DateOnly)
	}
	var note string
	switch {
	case !w.Comparable:
		note = l.Tf("maturity.nothing", through, win)
	case w.nothingBefore():
		// the first week of the data: the page shows no change, and said
		// "Every figure compares the whole week with the previous week"
		note = l.Tf("maturity.whole", through, win)
		if w.HasTail {
			note = l.Tf("maturity.partial_alone", through, shortRange(w.Tail))
		}
		return note + sentenceGap(l) + l.Tf(w.key("maturity.no_previous"), shortRange(w.Period.Previous()))
	case w.HasTail:
		note = l.Tf(w.key("maturity.partial"), through, shortRange(w.Compared), shortRange(w.PrevCompared), win, shortRange(w.Tail))
	case w.whole(w.Observed):
		return l.Tf("maturity.whole", through, win) + sentenceGap(l) + l.Tf(w.key("maturity.all_whole"), shortRange(w.PrevObserved))
	default:
		note = l.Tf("maturity.whole", through, win)
	}
	if w.whole(w.Observed) {
		return note + sentenceGap(l) + l.Tf(w.key("maturity.others_whole"), shortRange(w.PrevObserved))
	}
	return note + sentenceGap(l) + l.Tf(w.key("maturity.others_so_far"), shortRange(w.Observed), shortRange(w.PrevObserved))
}

// nothingBefore says whether the period before holds no data to compare
// with, for conversion nor for sentiment and service: the page then shows
// no change at all.
func (w *Weekly) nothingBefore() bool {
	return w.Previous.ConsultingBuyers == 0 && w.PrevSentiment.Consultations == 0 && w.PrevService.Consultations == 0
}

// sentenceGap is what separates two sentences: a space, none after 。.
func sentenceGap(l Locale) string {
	if l.Lang == LangZH {
		return ""
	}
	return " "
}

// whole says whether days is the report's whole period; unset days (a
// Weekly not from BuildWeekly) count as the whole period.
func (w *Weekly) whole(days Period) bool {
	return days.From.IsZero() || days.From.Equal(w.Period.From) && days.To.Equal(w.Period.To)
}

// key is the message key for a week, or its "_range" variant for a range
// of dates, which is compared with the range of the same length before.
func (w *Weekly) key(k string) string {
	if w.Period.Week != "" {
		return k
	}
	return k + "_range"
}

// vsLabel is the words after a delta of figures over days (Compared or
// Observed): the previous week when they are the whole week, else the
// same days of the previous week. The sentiment and service cards said
// "vs previous week" also when a report built mid-week compared the days
// so far with the same days before.
func (w *Weekly) vsLabel(l Locale, days Period) string {
	if w.whole(days) {
		return l.T(w.key("vs_prev"))
	}
	return l.T(w.key("vs_prev_same_days"))
}

// compareNote names the days a group of cards covers and the days they
// are compared with, above the cards: "Whole week 2026-09-28 – 2026-10-04,
// compared with the previous week, 2026-09-21 – 2026-09-27." final says
// that days shorter than the period are those with final figures (the
// conversion cards), not the days so far.
func (w *Weekly) compareNote(l Locale, days, prev Period, final bool) string {
	k := "compare.so_far"
	switch {
	case w.whole(days):
		k = "compare.whole"
	case final:
		k = "compare.final"
	}
	return l.Tf(w.key(k), shortRange(days), shortRange(prev))
}

// funnelNote puts the headline's 询单→下单 beside the funnel's 下单 step,
// so the two numbers read as the answers to two questions, not as a
// contradiction.
func (w *Weekly) funnelNote(l Locale) string {
	var ordered int64
	var rate float64
	found := false
	for _, st := range w.Funnel {
		if st.Name == "order_created" {
			ordered, rate, found = st.Buyers, st.FromStart, true
		}
	}
	if !found {
		return l.T("weekly.funnel_note_plain")
	}
	return l.Tf("weekly.funnel_note", l.Count(w.Current.OrderedBuyers), l.Percent(w.Current.OrderRate), l.Count(ordered), l.Percent(rate))
}

// comparedLegend names the two sides of a comparison in a chart's legend:
// "This week" and "Previous week" when the whole week is compared, else
// the days themselves ("09-28 – 09-30", "09-21 – 09-23"). The drop-off
// chart said "This week" and "Previous week" over bars of the three
// complete days and the same days before, beside a table that said "vs
// same days before".
func (w *Weekly) comparedLegend(l Locale) (this, prev string) {
	if w.Period.Week != "" && w.Compared.From.Equal(w.Period.From) && w.Compared.To.Equal(w.Period.To) {
		return l.T("this"), l.T("prev")
	}
	days := func(p Period) string {
		if p.From.Equal(p.To) {
			return p.From.Format("01-02")
		}
		return p.From.Format("01-02") + " – " + p.To.Format("01-02")
	}
	return days(w.Compared), days(w.PrevCompared)
}

// GapsNote says which days and shops the knowledge gaps count: the days
// with data of the period (Observed), as sentiment and service, all shops
// together or the one chosen, and a promotion day among them. The page
// listed "亲，包邮吗 94 … Floral chiffon dress" without a word on the days
// or the shops it counted.
func (w *Weekly) GapsNote(l Locale) string {
	days := w.Observed
	if days.From.IsZero() {
		days = w.Period
	}
	shops := l.T("weekly.gaps_all_shops")
	if w.Shop != "" {
		shops = l.Tf("weekly.gaps_one_shop", l.Display("shop", w.Shop))
	}
	key := w.key("weekly.gaps_whole")
	if !w.whole(days) {
		key = "weekly.gaps_so_far"
	}
	note := l.Tf(key, shortRange(days), shops)
	var promo []string
	for _, d := range promotionDaysIn(w.PromotionDays, days) {
		promo = append(promo, d.Format(time.DateOnly))
	}
	if len(promo) > 0 {
		note += sentenceGap(l) + l.Tf("weekly.gaps_promo", strings.Join(promo, l.T("list_sep")))
	}
	return note
}

// ShopText names the shops that sell the gap's top product in l.
func (g KnowledgeGap) ShopText(l Locale) string {
	names := make([]string, len(g.TopProductShops))
	for i, s := range g.TopProductShops {
		names[i] = l.Display("shop", s)
	}
	return strings.Join(names, l.T("list_sep"))
}
