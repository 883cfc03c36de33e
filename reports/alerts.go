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
	rows, err := src(ctx, "alerts", query(p, scope.Shop))
	if err != nil {
		return nil, err
	}
	loc := p.From.Location()
	var open, closed []Alert
	for _, r := range rows {
		a := Alert{
			ID: fString(r, "alert_id"), Rule: fString(r, "rule"), Shop: fString(r, "shop_id"),
			Subject: fString(r, "subject"), Product: fString(r, "product_id"), Topic: fString(r, "topic"),
			Node: fString(r, "node"), Opened: fDate(r, "opened", loc), Date: fDate(r, "date", loc),
			Status: fString(r, "status"), Severity: fString(r, "severity"), Value: fFloat(r, "value"),
			Baseline: fFloat(r, "baseline"), Ratio: fFloat(r, "ratio"), Evidence: fStrings(r, "evidence"),
			ActionZH: fString(r, "action_zh"), ActionEN: fString(r, "action_en"),
			GMVAtStake: fMoney(r, "gmv_at_stake_period"), Direction: fString(r, "direction"),
			IntradayHour: int(fFloat(r, "intraday_hour")), Muted: fBool(r, "muted"),
		}
		if a.Status == "closed" {
			closed = append(closed, a)
			continue
		}
		open = append(open, a)
	}
	if err := addTrends(ctx, src, open); err != nil {
		return nil, err
	}
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
	rep := &Alerts{Scope: scope, Closed: closed}
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

// compareAlerts orders alerts as metrics.md §8 "Alerts v2" asks: by
// severity, then by money at stake (most first); muted ones after the
// others of their severity, then by ratio and id for a stable order.
func compareAlerts(a, b Alert) int {
	muted := func(x Alert) int {
		if x.Muted {
			return 1
		}
		return 0
	}
	return cmp.Or(cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(muted(a), muted(b)),
		cmp.Compare(b.GMVAtStake, a.GMVAtStake), cmp.Compare(b.Ratio, a.Ratio), cmp.Compare(a.ID, b.ID))
}

func severityRank(s string) int {
	switch s {
	case "critical":
		return 0
	case "warning":
		return 1
	case "info":
		return 2
	}
	return 3
}

// rateRule says whether a rule's value is a ratio (shown as a percentage)
// rather than a count.
func rateRule(rule string) bool { return rule != "topic_surge" }

// addTrends fills each alert's Trend from the metric its rule watches:
// one query per (shop, metric), shared by the shop's alerts.
func addTrends(ctx context.Context, src Source, alerts []Alert) error {
	type key struct{ shop, series string }
	need := map[key]Period{}
	seriesOf := func(rule string) string {
		switch rule {
		case "topic_surge":
			return "topics"
		case "dropoff_spike":
			return "dropoff"
		case "fallback_spike":
			return "service"
		case "conversion_drop":
			return "conversion"
		}
		return ""
	}
	for _, a := range alerts {
		s := seriesOf(a.Rule)
		if s == "" || a.Date.IsZero() {
			continue
		}
		k := key{a.Shop, s}
		span := Period{From: a.Date.AddDate(0, 0, -(TrendDays - 1)), To: a.Date}
		if s == "dropoff" {
			span.From = WeekOf(a.Date).From.AddDate(0, 0, -7*7)
		}
		if old, ok := need[k]; ok {
			span.From = minTime(span.From, old.From)
			span.To = maxTime(span.To, old.To)
		}
		need[k] = span
	}
	got := map[key][]metrics.Row{}
	f := &fetch{ctx: ctx, src: src}
	keys := make([]key, 0, len(need))
	for k := range need {
		keys = append(keys, k)
	}
	results := make([][]metrics.Row, len(keys))
	for i, k := range keys {
		var by []string
		switch k.series {
		case "topics":
			by = []string{"date", "product_id", "topic"}
		case "dropoff":
			by = []string{"week", "node"}
		default:
			by = []string{"date"}
		}
		f.show(&results[i], k.series, query(need[k], k.shop, by...), "")
	}
	if err := f.wait(); err != nil {
		return err
	}
	for i, k := range keys {
		got[k] = results[i]
	}
	for i := range alerts {
		a := &alerts[i]
		s := seriesOf(a.Rule)
		rows := got[key{a.Shop, s}]
		loc := a.Date.Location()
		switch s {
		case "dropoff":
			for _, r := range rows {
				wk := fDate(r, "week", loc)
				if fString(r, "node") == a.Node && !wk.After(a.Date) {
					a.Trend = append(a.Trend, TrendPoint{Label: ISOWeek(wk), Value: fFloat(r, "abandonment_rate")})
				}
			}
			continue
		case "":
			// negative_surge: its per-product series is not a stored
			// metric, so the chart compares the baseline with today.
			continue
		}
		vals := map[string]float64{}
		for _, r := range rows {
			switch s {
			case "topics":
				if fString(r, "product_id") != a.Product || fString(r, "topic") != a.Topic {
					continue
				}
				vals[fDate(r, "date", loc).Format(time.DateOnly)] += fFloat(r, "messages")
			case "service":
				vals[fDate(r, "date", loc).Format(time.DateOnly)] = fFloat(r, "fallback_rate")
			case "conversion":
				vals[fDate(r, "date", loc).Format(time.DateOnly)] = fFloat(r, "order_rate")
			}
		}
		for d := a.Date.AddDate(0, 0, -(TrendDays - 1)); !d.After(a.Date); d = d.AddDate(0, 0, 1) {
			k := d.Format(time.DateOnly)
			a.Trend = append(a.Trend, TrendPoint{Label: k, Value: vals[k]})
		}
	}
	return nil
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

func fBool(r metrics.Row, k string) bool {
	v, _ := r.Get(k)
	b, _ := v.(bool)
	return b
}
