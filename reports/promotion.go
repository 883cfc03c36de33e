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

// promoBands are the promotion days (Scope.PromotionDays) among a chart's
// days, as bands of their label: the QA page's violations per day jumped
// from about 250 to 970 on the demo's 10-01 and the alerts' trends of days
// rose four times on it, with nothing naming the day the weekly page and
// the GMV dashboard shade. labels are the chart's x categories and dates
// their days (a zero date: not a day, such as a week).
func promoBands(l Locale, list []string, labels []string, dates []time.Time) (bands []band, days []time.Time) {
	for i, d := range dates {
		if !d.IsZero() && metrics.IsPromotionDay(list, d) {
			bands = append(bands, band{From: labels[i], To: labels[i], Label: l.T("promo.mark"), Color: promoBand})
			days = append(days, d)
		}
	}
	return bands, days
}

// withBands shades bands on a chart drawn without them (an alert card's
// sparkline), as lineChart's carriers do.
func withBands(c Chart, bands []band) Chart {
	if len(bands) == 0 {
		return c
	}
	m := withSeries(c.Option, nil)
	series, _ := m["series"].([]any)
	for _, b := range bands {
		carrier := withSeries(option(shadeCarrier(b)), nil)
		if s, _ := carrier["series"].([]any); len(s) > 0 {
			series = append(series, s[0])
		}
	}
	m["series"] = series
	c.Option = m
	return c
}

// promoDayList names days as the notes do ("2026-10-01").
func promoDayList(l Locale, days []time.Time) string {
	var names []string
	for _, d := range days {
		names = append(names, d.Format(time.DateOnly))
	}
	return strings.Join(names, l.T("list_sep"))
}

func init() {
	for k, v := range map[string][2]string{
		"qa.promo_note":     {"Promotion day, shaded “promo” in the chart: %s. A promotion's traffic is not an ordinary day's: its violations rise with its consultations; the share (dashed) says whether service got worse.", "大促日（图中标“大促”）：%s。大促当天的流量不同于平日：违规数随咨询量上升，服务是否变差请看违规会话占比（虚线）。"},
		"alerts.promo_note": {"Shaded “promo”: %s, a promotion day. Its traffic is not an ordinary day's, and the early warnings leave it out of their baselines and judgement.", "标“大促”的 %s 为大促日：当天流量不同于平日，预警的基线与判断都不计入这一天。"},
		"agents.promo_note": {"The period holds a promotion day, %s: its consultations and sales count in every row, so compare agents within the period rather than with an ordinary week.", "本期含大促日 %s：各行都计入当天的接待与销售，请在本期内比较客服，而不要与平常的一周相比。"},
	} {
		en[k], zhCN[k] = v[0], v[1]
	}
}
