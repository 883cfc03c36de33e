package reports

import (
	"time"

	"github.com/convintel/convintel/metrics"
)

// RefundDays is how long after paying a buyer is taken to ask for a
// refund: the seven days of 七天无理由退货, the after-sale window the
// simulator's refunds also fall in (one to seven days after payment).
// Refunds sit on the row of the order's paid day, whenever they come
// (metrics.md §2), so a paid day's refunds are all in only once that
// many days have passed after it; before, its refunded amount and
// refund rate can still rise. The demo's daily refund rate read 7–14 %
// up to 10-01, then 2.7 %, 0.7 % and 0.2 % on its last three days.
const RefundDays = 7

// refundsDue says whether refunds of orders paid on d can still come in:
// the midnight after d plus RefundDays has not passed the watermark (the
// latest stored order event). False when the coverage is unknown.
func refundsDue(d time.Time, cov metrics.Coverage) bool {
	return !cov.Watermark.IsZero() && cov.Watermark.Before(d.AddDate(0, 0, 1+RefundDays))
}

// refundsDuePeriod returns the GMV period's days with data whose refunds
// can still come in (zero when none), and the refund rate over the days
// before them (ok false when the period has none).
func (g *GMV) refundsDuePeriod() (due Period, settledRate float64, ok bool) {
	var refunded, total metrics.Money
	for _, d := range g.Daily {
		if !refundsDue(d.Date, g.Coverage) {
			refunded, total, ok = refunded+d.Refunded, total+d.Total, ok || d.Total > 0
			continue
		}
		if due.From.IsZero() {
			due.From = d.Date
		}
		due.To = d.Date
	}
	return due, rate(float64(refunded), float64(total)), ok
}

// markRefundsDue marks the GMV dashboard's refund cards when part of their
// days can still receive refunds: each names those days under its value,
// and a change (against a period whose refunds are in) loses its colour
// and carries the mark, as a promotion's do. It returns the note under the
// cards, "" when every day's refunds are in or the coverage is unknown.
func (p *page) markRefundsDue(g *GMV) string {
	l := p.L
	due, settled, ok := g.refundsDuePeriod()
	if due.From.IsZero() {
		return ""
	}
	for i := range p.KPIs {
		if k := &p.KPIs[i]; k.Label == l.T("gmv.refunded") || k.Label == l.T("gmv.refund_rate") {
			k.Base = l.Tf("gmv.refunds_due_base", shortDayRange(due))
			if k.Delta != "" {
				k.Trend, k.Promo = "flat", l.T("gmv.refunds_due_mark")
			}
		}
	}
	note := l.Tf("gmv.refunds_due_note", RefundDays, shortRange(due))
	if ok {
		before := Period{From: g.Daily[0].Date, To: due.From.AddDate(0, 0, -1)}
		note += sentenceGap(l) + l.Tf("gmv.refunds_settled", shortRange(before), l.Percent(settled))
	}
	return note
}

func init() {
	for k, v := range map[string][2]string{
		"gmv.refunds_due_base": {"refunds of %s still coming in", "%s 的退款尚未到齐"},
		"gmv.refunds_due_mark": {"refunds due", "退款未齐"},
		"gmv.refunds_due_note": {"Refunds are counted on the order's paid day, whenever they come, and a buyer can ask for one up to %d days after paying: the refunds of the orders paid on %s are not all in yet, so the refunded amount and the refund rate can still rise, and a change of them is not coloured.", "退款计入订单的付款日，不论何时发生；买家付款后 %d 天内都可申请退款：%s 付款的订单退款尚未到齐，所以退款金额与退款率还可能上升，其涨跌不标红绿。"},
		"gmv.refunds_settled":  {"Over the paid days before them, %s, the refund rate is %s.", "此前各付款日（%s）的退款率为 %s。"},
	} {
		en[k], zhCN[k] = v[0], v[1]
	}
}
