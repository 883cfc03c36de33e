package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

type point struct{ num, den float64 }

// evaluateAlerts evaluates the rules for day d against the stored result
// tables of the baseline days before it (without promotion and
// high-volume days, metrics.md §8 "Alerts v2"), turns the day's intraday
// alerts into its alerts, carries the open/update/close state over from
// the day before, and replaces d's alert partition. It reads through conn
// and writes metric_alerts through store (the same connection on one
// server; on a cluster conn reads the Distributed tables and store is a
// shard's local database).
func evaluateAlerts(ctx context.Context, conn, store warehouse.Conn, s Settings, d time.Time) (int, error) {
	r := s.Alerts
	base0 := d.AddDate(0, 0, -r.BaselineDays)
	monday := weekMonday(d)
	weeks0 := dropoffBaselineStart(r, d)
	from := base0
	if weeks0.Before(from) {
		from = weeks0
	}
	stmt, err := render("alert_series", map[string]string{"From": from.Format(time.DateOnly), "To": d.Format(time.DateOnly)})
	if err != nil {
		return 0, err
	}
	recs, err := queryRecords(ctx, conn, stmt)
	if err != nil {
		return 0, err
	}
	stmt, err = render("orders_watermark", nil)
	if err != nil {
		return 0, err
	}
	var watermark int64
	if err := conn.QueryRow(ctx, stmt).Scan(&watermark); err != nil {
		return 0, err
	}
	ac, err := loadAlertContext(ctx, conn, r, d)
	if err != nil {
		return 0, err
	}
	// The topic share's denominators: each product's customer messages.
	msgs, err := hourSeries(ctx, conn, base0, d, 24, "product_messages")
	if err != nil {
		return 0, err
	}
	productMsgs := map[[2]string]map[string]float64{}
	for _, h := range msgs {
		k := [2]string{h.key.Shop, h.key.Product}
		if productMsgs[k] == nil {
			productMsgs[k] = map[string]float64{}
		}
		productMsgs[k][h.day] = h.p.num
	}
	series := map[SeriesKey]map[string]point{}
	dayKey := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, rec := range recs {
		k := SeriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string)}
		date := dayKey(rec["date"].(time.Time))
		if series[k] == nil {
			series[k] = map[string]point{}
		}
		series[k][date] = point{rec.Float("num"), rec.Float("den")}
	}
	var baseDays []string
	for t := base0; t.Before(d); t = t.AddDate(0, 0, 1) {
		baseDays = append(baseDays, dayKey(t))
	}
	today := dayKey(d)
	// Whether d's orders have all arrived (metrics.md "Maturity"): the
	// rules that wait for them judge only settled days.
	settled := d.AddDate(0, 0, 1).Add(s.AttributionWindow).UnixMilli() <= watermark
	unjudged := func(name string) bool {
		rule, ok := LookupRule(name)
		return ok && rule.WaitsForOrders && !settled
	}
	firing := map[SeriesKey]*Alert{}
	for k, pts := range series {
		rule, ok := LookupRule(k.Rule)
		if !ok {
			return 0, fmt.Errorf("sql/metrics/alert_series.sql gives a series of rule %q, which is not registered", k.Rule)
		}
		if unjudged(k.Rule) {
			continue
		}
		// The shop's baseline: its days with consultations that are not
		// promotion or high-volume days.
		kept := ac.kept(k.Shop)
		if len(kept) < r.MinHistoryDays && !rule.NoBaseline {
			continue
		}
		history := map[string]bool{}
		for _, day := range kept {
			history[day] = true
		}
		in := RuleInput{Settings: s, Day: d, Today: today, Points: pts, BaseDays: baseDays,
			History: history, Monday: monday, Watermark: watermark, Kept: kept,
			ProductMessages: productMsgs[[2]string{k.Shop, k.Product}],
			Excluded:        func(day string) bool { return ac.isExcluded(k.Shop, day) }}
		a, past := rule.Fire(in)
		if a == nil {
			continue
		}
		a.Rule, a.Shop, a.Product, a.Topic, a.Node, a.Subject = k.Rule, k.Shop, k.Product, k.Topic, k.Node, rule.Subject(k)
		a.Severity = rule.severity(past)
		a.ActionZH, a.ActionEN = rule.Action(k)
		a.IntradayHour = -1
		now, moneyDays := pts[today], kept
		if k.Rule == RuleDropoffSpike {
			now, _, _ = dropoffWeeks(in)
			moneyDays = ac.weekBaseline(k.Shop, d)
		}
		a.GMVAtStakeCents = gmvAtStake(k.Rule, a, now, ac.moneyFor(k.Rule, k.Shop, k.Product, k.Topic, k.Node, moneyDays))
		firing[k] = a
	}
	if err := attachEvidence(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	if err := qaAlertDetails(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	if err := adoptIntraday(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	out, err := carryState(ctx, conn, d, firing, unjudged)
	if err != nil {
		return 0, err
	}
	if err := dropDay(ctx, store, "metric_alerts", d); err != nil {
		return 0, err
	}
	return len(out), storeAlerts(ctx, store, d, out)
}

// topicSurge: the §8 count test and the "Alerts v2" share test over the
// kept baseline days (topicVerdict).
func topicSurge(in RuleInput) (*Alert, float64) {
	var vals, msgs []float64
	for _, day := range in.Kept {
		vals = append(vals, in.Points[day].num)
		msgs = append(msgs, in.ProductMessages[day])
	}
	r := in.Settings.Alerts
	return topicVerdict(r, r.TopicSurgeDirection, in.Points[in.Today].num,
		in.ProductMessages[in.Today], vals, msgs, IsPromotionDay(r.PromotionDays, in.Day)).alert()
}

// rateRise: today's rate against the pooled rate of the kept baseline
// days (rateVerdict) in the rule's configured direction.
func rateRise(in RuleInput, dir string, factor, minDen, minExtra float64) (*Alert, float64) {
	r := in.Settings.Alerts
	return rateVerdict(r, dir, in.Points[in.Today], keptPoints(in.Points, in.Kept), factor, minDen, minExtra,
		IsPromotionDay(r.PromotionDays, in.Day)).alert()
}

// conversionDrop: today's order rate against the pooled baseline rate
// (conversionVerdict).
func conversionDrop(in RuleInput) (*Alert, float64) {
	return conversionVerdict(in.Settings.Alerts, in.Points[in.Today], keptPoints(in.Points, in.Kept)).alert()
}

// dropoffSpike: the week so far against the weeks before
// (dropoffVerdict).
func dropoffSpike(in RuleInput) (*Alert, float64) {
	week, weekly, touched := dropoffWeeks(in)
	return dropoffVerdict(in.Settings.Alerts, week, weekly, touched).alert()
}

// keptPoints are pts on the kept baseline days.
func keptPoints(pts map[string]point, kept []string) []point {
	out := make([]point, 0, len(kept))
	for _, day := range kept {
		out = append(out, pts[day])
	}
	return out
}

// dropoffWeeks returns the week so far (Monday..Day, every day), the
// (dropped, touched) of each of the weeks before that had traffic, counted
// over their baseline-worthy days only, and those weeks' touched total.
func dropoffWeeks(in RuleInput) (point, []point, float64) {
	var week point
	for t := in.Monday; !t.After(in.Day); t = t.AddDate(0, 0, 1) {
		p := in.Points[t.Format(time.DateOnly)]
		week.num += p.num
		week.den += p.den
	}
	var weeks []point
	var all float64
	for w := 1; w <= in.Settings.Alerts.DropoffSpikeWeeks; w++ {
		var dropped, touched float64
		start := in.Monday.AddDate(0, 0, -7*w)
		for i := 0; i < 7; i++ {
			day := start.AddDate(0, 0, i).Format(time.DateOnly)
			if in.Excluded != nil && in.Excluded(day) {
				continue
			}
			dropped += in.Points[day].num
			touched += in.Points[day].den
		}
		if touched > 0 {
			weeks = append(weeks, point{dropped, touched})
			all += touched
		}
	}
	return week, weeks, all
}

// adoptIntraday turns the day's intraday alerts into its alerts: a
// subject that also fires over the whole day notes the hour it was first
// raised; one that does not keeps the figures of the last hour it fired
// (an alert announced in the morning does not silently vanish).
func adoptIntraday(ctx context.Context, conn warehouse.Conn, d time.Time, firing map[SeriesKey]*Alert) error {
	rows, err := queryFile(ctx, conn, "alert_intraday_day", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a Alert
		var k SeriesKey
		var first uint8
		if err := rows.Scan(&first, &a.ID, &k.Rule, &k.Shop, &a.Subject, &k.Product, &k.Topic, &a.Opened, &a.Severity, &a.Direction,
			&a.Value, &a.Baseline, &a.Ratio, &a.GMVAtStakeCents, &a.Evidence, &a.ActionZH, &a.ActionEN); err != nil {
			return err
		}
		if f := firing[k]; f != nil {
			f.IntradayHour = int8(first)
			continue
		}
		a.Rule, a.Shop, a.Product, a.Topic, a.IntradayHour = k.Rule, k.Shop, k.Product, k.Topic, int8(first)
		a.ID = "" // carryState gives it the open alert's id or the day's
		firing[k] = &a
	}
	return rows.Err()
}

// binomialZ is how many standard errors the observed rate of n trials lies
// above the baseline rate.
func binomialZ(rate, base, n float64) float64 {
	p := math.Min(math.Max(base, 0.5/n), 1-0.5/n)
	return (rate - base) / math.Sqrt(p*(1-p)/n)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func attachEvidence(ctx context.Context, conn warehouse.Conn, d time.Time, firing map[SeriesKey]*Alert) error {
	if len(firing) == 0 {
		return nil
	}
	stmt, err := render("alert_evidence", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	recs, err := queryRecords(ctx, conn, stmt)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		k := SeriesKey{Rule: rec["rule"].(string), Shop: rec["shop_id"].(string), Product: rec["product_id"].(string), Topic: rec["topic"].(string)}
		if a := firing[k]; a != nil {
			a.Evidence = rec.Strings("evidence")
		}
	}
	return nil
}

// moneySoFar reports whether rule's money at stake is the period so far
// (Rule.MoneySoFar), not a day's share of it.
func moneySoFar(rule string) bool {
	r, ok := LookupRule(rule)
	return ok && r.MoneySoFar
}

// carryState continues the alerts open the day before: a firing subject
// keeps its alert_id, one that stopped firing is closed today. An alert
// of a rule that could not judge d (unjudged: its orders have not all
// arrived) stays open with the figures of the last day judged; its money
// at stake counts the days judged only (a daily rule's rows add up, so
// this one holds 0; a MoneySoFar rule's latest row is its period so far,
// so it keeps it).
func carryState(ctx context.Context, conn warehouse.Conn, d time.Time, firing map[SeriesKey]*Alert, unjudged func(rule string) bool) ([]*Alert, error) {
	prev, err := openAlerts(ctx, conn, d.AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	var out []*Alert
	for _, p := range prev {
		k := SeriesKey{p.Rule, p.Shop, p.Product, p.Topic, p.Node}
		if a := firing[k]; a != nil {
			a.ID, a.Opened = p.ID, p.Opened
			continue
		}
		p.Status = AlertClosed
		if unjudged(p.Rule) {
			p.Status = AlertOpen
			if !moneySoFar(p.Rule) {
				p.GMVAtStakeCents = 0
			}
		}
		out = append(out, &p)
	}
	for k, a := range firing {
		a.Status = AlertOpen
		if a.ID == "" {
			a.Opened = d
			a.ID = alertID(k, d)
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *Alert) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
