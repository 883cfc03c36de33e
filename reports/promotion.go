package reports

import (
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
)

// The weekly page compares a week with the week before. A promotion day
// (11-11, the demo's 10-01: four times the traffic) inside either week
// makes a change read as growth or decline that is only the promotion:
// the demo's page said "+41.2 % consultations vs previous week" in green
// over a week holding its promotion day, and did not say so. The days are
// the deployment's metrics.alerts.promotion_days, the list the early
// warnings keep out of their baselines (Scope.PromotionDays).

// promotionDaysIn are the days of p that the list names, in order.
func promotionDaysIn(list []string, p Period) []time.Time {
	if len(list) == 0 || p.From.IsZero() {
		return nil
	}
	var out []time.Time
	for d := p.From; !d.After(p.To); d = d.AddDate(0, 0, 1) {
		if metrics.IsPromotionDay(list, d) {
			out = append(out, d)
		}
	}
	return out
}

// promotionNote says which promotion days lie in the days compared (days)
// or in those they are compared with (prev), and how to read the changes
// beside it: "Promotion day: 2026-10-01 (this week). A promotion's traffic
// is not an ordinary day's: these changes are partly the promotion, not a
// trend." "" when neither holds one.
func (w *Weekly) promotionNote(l Locale, days, prev Period) string {
	cur, before := promotionDaysIn(w.PromotionDays, days), promotionDaysIn(w.PromotionDays, prev)
	if len(cur)+len(before) == 0 {
		return ""
	}
	var named []string
	for _, d := range cur {
		named = append(named, l.Tf("promo.day", d.Format(time.DateOnly), l.T(w.key("promo.this"))))
	}
	for _, d := range before {
		named = append(named, l.Tf("promo.day", d.Format(time.DateOnly), l.T(w.key("promo.prev"))))
	}
	k := "promo.one"
	if len(named) > 1 {
		k = "promo.many"
	}
	return l.Tf(k, strings.Join(named, l.T("list_sep"))) + sentenceGap(l) + l.T("promo.why")
}

// promotionMark is the mark that ties the changes a promotion note
// explains to it ("promo" / 大促), "" without a note.
func promotionMark(l Locale, note string) string {
	if note == "" {
		return ""
	}
	return l.T("promo.mark")
}

// markPromoted shows the changes of ks that the promotion explains (mark
// set) without colour and with the mark, keeping the number: green or red
// says "better" or "worse", which a week holding 11-11 does not tell.
func markPromoted(ks []kpi, mark string) {
	if mark == "" {
		return
	}
	for i := range ks {
		if ks[i].Delta != "" {
			ks[i].Trend, ks[i].Promo = "flat", mark
		}
	}
}

// hasDelta says whether any of ks shows a change.
func hasDelta(ks []kpi) bool {
	for _, k := range ks {
		if k.Delta != "" {
			return true
		}
	}
	return false
}

func init() {
	for k, v := range map[string][2]string{
		"promo.why_growth":             {"A promotion's traffic is not an ordinary day's: these changes, and those under “%s” below, are partly the promotion, not a trend, and are shown without colour.", "大促当天的流量不同于平日：这些变化及下方“%s”各卡片的变化部分来自大促，并非趋势，所以不标红绿。"},
		"gmv.promo_why_changes":        {"The changes of the cards above are partly the promotion, not a trend, and are shown without colour.", "上方卡片的涨跌部分来自大促，并非趋势，所以不标红绿。"},
		"gmv.promo_why_changes_growth": {"The changes of the cards above, and of those under “%s” below, are partly the promotion, not a trend, and are shown without colour.", "上方卡片及下方“%s”各卡片的涨跌部分来自大促，并非趋势，所以不标红绿。"},
	} {
		en[k], zhCN[k] = v[0], v[1]
	}
}
