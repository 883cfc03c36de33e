package reports

import (
	"strconv"
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
// with what, and which days are still maturing; "" when coverage is
// unknown.
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
	switch {
	case !w.Comparable:
		return l.Tf("maturity.nothing", through, win)
	case w.HasTail:
		return l.Tf("maturity.partial", through, shortRange(w.Compared), shortRange(w.PrevCompared), win, shortRange(w.Tail))
	}
	return l.Tf("maturity.whole", through, win)
}

// vsPrev is the words after a delta: the previous period, or its same
// days when only part of this period is compared.
func (w *Weekly) vsPrev(l Locale) string {
	if w.HasTail {
		return l.T("vs_prev_same_days")
	}
	return l.T("vs_prev")
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
