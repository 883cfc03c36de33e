package reports

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/convintel/convintel/metrics"
)

// TrendDays is how many days an alert's trend chart shows, ending on the
// day it last fired.
const TrendDays = 28

// BuildAlerts reads the alerts open at the end of scope, grouped by shop
// and product, each with the trend of the series its rule watches, and
// lists those that closed during scope.
func BuildAlerts(ctx context.Context, src Source, scope Scope) (*Alerts, error) {
	p := scope.Period
	stored, err := src.Alerts(ctx, query(p, scope.Shop))
	if err != nil {
		return nil, err
	}
	loc := p.From.Location()
	var open, closed, conduct []Alert
	for _, m := range stored {
		m.Opened, m.Date = inZone(m.Opened, loc), inZone(m.Date, loc)
		a := Alert{Alert: m}
		if a.Rule == metrics.RuleQAViolation {
			conduct = append(conduct, a)
			continue
		}
		if a.Status == metrics.AlertClosed {
			closed = append(closed, a)
			continue
		}
		open = append(open, a)
	}
	all := append(append([]Alert{}, open...), closed...)
	if err := addTrends(ctx, src, all, scope.Coverage); err != nil {
		return nil, err
	}
	open, closed = all[:len(open)], all[len(open):]
	groups := map[[2]string]*AlertGroup{}
	var out []*AlertGroup
	for _, a := range open {
		k := [2]string{a.Shop, a.Product}
		g := groups[k]
		if g == nil {
			g = &AlertGroup{Shop: a.Shop, Product: a.Product}
			groups[k] = g
			out = append(out, g)
		}
		g.Alerts = append(g.Alerts, a)
	}
	slices.SortStableFunc(closed, func(a, b Alert) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(conduct, func(a, b Alert) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.ID, b.ID))
	})
	rep := &Alerts{Scope: scope, Closed: closed, Conduct: conduct}
	for _, g := range out {
		slices.SortStableFunc(g.Alerts, func(a, b Alert) int {
			return compareAlerts(a, b)
		})
		rep.Groups = append(rep.Groups, *g)
	}
	slices.SortStableFunc(rep.Groups, func(a, b AlertGroup) int {
		return cmp.Or(compareAlerts(a.Alerts[0], b.Alerts[0]), cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Product, b.Product))
	})
	return rep, nil
}

// inZone is the calendar date of a stored Date (UTC midnight) as
// midnight in loc.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// compareAlerts orders alerts as metrics.md §8 "Alerts v2" asks: by
// severity, then by money at stake over the period (most first); muted
// ones after the others of their severity; then ratio and id.
func compareAlerts(a, b Alert) int {
	muted := func(x Alert) int {
		if x.Muted {
			return 1
		}
		return 0
	}
	return cmp.Or(cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(muted(a), muted(b)),
		cmp.Compare(b.PeriodGMVAtStakeCents, a.PeriodGMVAtStakeCents), cmp.Compare(b.Ratio, a.Ratio), cmp.Compare(a.ID, b.ID))
}

func severityRank(s string) int {
	switch s {
	case metrics.SeverityCritical:
		return 0
	case metrics.SeverityWarning:
		return 1
	case metrics.SeverityInfo:
		return 2
	}
	return 3
}

// rateRule says whether a rule's value is a ratio (shown as a percentage)
// rather than a count.
func rateRule(rule string) bool {
	r, ok := metrics.LookupRule(rule)
	return !ok || r.Rate
}

// JudgedDays are the days whose figures the stored value of an alert of
// a weekly rule covers: its week so far, Monday up to the last day it
// judged. A rule that waits for orders (metrics.Rule.WaitsForOrders, the
// drop-off spike) judges a day only once its order window has closed, and
// an open alert keeps the figures of the last day it judged on the days
// after it; a closed alert's row repeats the figures of the day before it
// (the last day it fired). The demo's card read 64.4 % "over every day of
// the week so far, days still inside the order window included" beside a
// trend whose last week, read up to the alert's day, was 66.5 %: the 64.4 %
// was 09-28 – 09-30, the week's final days. cov is the page's coverage
// (zero: the alert's day is taken as judged). ok is false for a rule whose
// trend is not by week.
func JudgedDays(a metrics.Alert, cov metrics.Coverage) (Period, bool) {
	r, ok := metrics.LookupRule(a.Rule)
	if !ok || !weekly(r.Trend) || a.Date.IsZero() {
		return Period{}, false
	}
	last := LastFired(a, cov)
	return Period{From: WeekOf(last).From, To: last, Week: WeekOf(last).Week}, true
}

// finalDaysOfItsWeek says whether judged, the days a weekly alert's value
// covers, are the days the weekly report of that week compares: Monday up
// to its last day whose order window has closed (cov.CompleteThrough), or
// the whole week. Its drop-off table, filtered to the alert's shop, then
// reads the alert's rate. False without coverage.
func finalDaysOfItsWeek(judged Period, cov metrics.Coverage) bool {
	c := inZone(cov.CompleteThrough, judged.To.Location())
	if c.IsZero() || judged.From.IsZero() {
		return false
	}
	end := WeekOf(judged.From).To
	if c.Before(end) {
		end = c
	}
	return judged.To.Equal(end)
}

// alertsShareTheTable says whether every drop-off spike a weekly page of
// one shop lists is that shop's over the days its drop-off table covers,
// so that the table's rate for the node is the alert's.
func (w *Weekly) alertsShareTheTable() bool {
	if w.Shop == "" || !w.Comparable || len(w.DropOffAlerts) == 0 {
		return false
	}
	for _, a := range w.DropOffAlerts {
		judged, ok := JudgedDays(a.Alert, w.Coverage)
		if !ok || a.Shop != w.Shop || !judged.From.Equal(w.Compared.From) || !judged.To.Equal(w.Compared.To) {
			return false
		}
	}
	return true
}

// LastFired is the last day an alert fired on judged figures: the day
// whose figures its stored value holds. A closed alert's row repeats the
// day before it; an open alert of a rule that waits for orders
// (metrics.Rule.WaitsForOrders) keeps, on the days whose order window is
// still open, the figures of the last day it judged (the last complete
// day of cov, when that is before its row); any other open alert fired
// on its row's day. The demo's drop-off spike read "Last fired:
// 2026-10-04" beside a rate over 2026-09-28 – 2026-09-30 and "2026-10-01 –
// 2026-10-04 are not in this rate yet": it fired on 09-30, and its rows
// of 10-01 – 10-04 only kept it open. cov zero takes the row's day as
// judged.
func LastFired(a metrics.Alert, cov metrics.Coverage) time.Time {
	r, _ := metrics.LookupRule(a.Rule)
	last := a.Date
	switch c := inZone(cov.CompleteThrough, a.Date.Location()); {
	case a.Status == metrics.AlertClosed:
		last = a.Date.AddDate(0, 0, -1)
	case r.WaitsForOrders && !c.IsZero() && c.Before(last):
		last = c
	}
	return last
}

// trendKey is one query behind the trends: a shop's rows of one rule's
// trend metric; for a weekly rule, up to the day through which the alert
// judged (JudgedDays), so that its last week is the card's value.
type trendKey struct {
	shop, rule string
	through    time.Time
}

// trendKeyOf is alert a's query: the shop's and rule's, and for a weekly
// rule the last day its value covers.
func trendKeyOf(a Alert, cov metrics.Coverage) trendKey {
	k := trendKey{shop: a.Shop, rule: a.Rule}
	if d, ok := JudgedDays(a.Alert, cov); ok {
		k.through = d.To
	}
	return k
}

// addTrends fills each alert's Trend from the metric its rule charts
// (metrics.Rule.Trend): one query per shop and rule, shared by the
// shop's alerts of that rule. A trend starts no earlier than first, the
// first day with data (when known): a run of zeros before the data began
// would read as a quiet period.
func addTrends(ctx context.Context, src Source, alerts []Alert, cov metrics.Coverage) error {
	first := cov.FirstDay
	need := trendSpans(alerts, cov)
	keys := make([]trendKey, 0, len(need))
	for k := range need {
		keys = append(keys, k)
	}
	results := make([][]metrics.Row, len(keys))
	f := &fetch{ctx: ctx, src: src}
	for i, k := range keys {
		tr := ruleTrend(k.rule)
		f.show(&results[i], tr.Metric, query(need[k], k.shop, tr.By...), "")
	}
	if err := f.wait(); err != nil {
		return err
	}
	got := map[trendKey][]metrics.Row{}
	for i, k := range keys {
		got[k] = results[i]
	}
	for i := range alerts {
		a := &alerts[i]
		if tr := ruleTrend(a.Rule); tr.Metric != "" {
			a.Trend = trendOf(tr, *a, got[trendKeyOf(*a, cov)], first)
		}
	}
	return nil
}

func ruleTrend(rule string) metrics.Trend {
	r, _ := metrics.LookupRule(rule)
	return r.Trend
}

// weekly says whether a trend is by week.
func weekly(tr metrics.Trend) bool { return len(tr.By) > 0 && tr.By[0] == "week" }

// trendSpans are the periods each (shop, rule) query must cover: the
// union of the alerts' trend spans (TrendDays up to the day it last fired,
// or the weeks before the alert's week up to the last day its value
// covers, JudgedDays).
func trendSpans(alerts []Alert, cov metrics.Coverage) map[trendKey]Period {
	first := cov.FirstDay
	need := map[trendKey]Period{}
	for _, a := range alerts {
		tr := ruleTrend(a.Rule)
		if tr.Metric == "" || a.Date.IsZero() {
			continue
		}
		k := trendKeyOf(a, cov)
		span := Period{From: trendStart(a.Date, first), To: a.Date}
		if weekly(tr) {
			span.To = k.through
			span.From = WeekOf(span.To).From.AddDate(0, 0, -7*tr.Weeks)
			if !first.IsZero() && span.From.Before(WeekOf(first).From) {
				span.From = WeekOf(first).From
			}
		}
		if old, ok := need[k]; ok {
			span.From = minTime(span.From, old.From)
			span.To = maxTime(span.To, old.To)
		}
		need[k] = span
	}
	return need
}

// trendOf is alert a's trend from the rows of its rule's trend metric:
// the rows of a's subject (its product_id, topic, node where the trend
// groups by them), by week up to a's week as stored, or by day for the
// TrendDays up to a's day with days without rows as zero, except that a
// rate's day or week without a value (no row, or a rate over nothing) is
// Missing. qa_violation keeps its responder in Node
// (metrics.RuleQAViolation).
func trendOf(tr metrics.Trend, a Alert, rows []metrics.Row, first time.Time) []TrendPoint {
	subject := map[string]string{"product_id": a.Product, "topic": a.Topic, "node": a.Node, "responder": a.Node}
	loc := a.Date.Location()
	rate := rateRule(a.Rule)
	last := a.Date // a weekly rule's rows end on the day its value covers (trendSpans)
	vals := map[string]float64{}
	has := map[string]bool{}
	var weeks []TrendPoint
	for _, r := range rows {
		mine := true
		for _, d := range tr.By[1:] {
			mine = mine && fString(r, d) == subject[d]
		}
		if !mine {
			continue
		}
		v, _ := r.Get(tr.Field)
		f, ok := metrics.Float(v) // no value: nil, a rate over nothing
		if weekly(tr) {
			if wk := fDate(r, "week", loc); !wk.After(last) {
				weeks = append(weeks, TrendPoint{Label: ISOWeek(wk), Value: f, Missing: rate && !ok})
			}
			continue
		}
		k := fDate(r, "date", loc).Format(time.DateOnly)
		vals[k] += f
		has[k] = has[k] || ok
	}
	if weekly(tr) {
		return weeks
	}
	var out []TrendPoint
	for d := trendStart(a.Date, first); !d.After(a.Date); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		out = append(out, TrendPoint{Label: k, Value: vals[k], Missing: rate && !has[k]})
	}
	return out
}

// trendStart is the first day of a daily trend ending on last.
func trendStart(last, first time.Time) time.Time {
	start := last.AddDate(0, 0, -(TrendDays - 1))
	if !first.IsZero() && start.Before(first) && !first.After(last) {
		return first
	}
	return start
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
