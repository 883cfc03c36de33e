package metrics

import (
	"context"
	"math"
	"slices"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

// alert is one evaluated alert of a day, before it is stored.
type alert struct {
	ID, Rule, Shop, Subject, Product, Topic, Node string
	Opened                                        time.Time
	Status, Severity                              string
	Value, Baseline, Ratio                        float64
	Evidence                                      []string
	ActionZh, ActionEn                            string
	// Alerts v2: what fixing it is worth (cents), which way the series
	// moved, the hour the hourly evaluation first raised it (-1: none).
	GMVAtStakeCents int64
	Direction       string
	IntradayHour    int8
}

// seriesKey identifies one alert subject.
type seriesKey struct{ rule, shop, product, topic, node string }

func (k seriesKey) subject() string {
	switch k.rule {
	case "topic_surge":
		return k.product + "/" + k.topic
	case "negative_surge":
		return k.product
	case "dropoff_spike":
		return k.node
	}
	return k.shop
}

type point struct{ num, den float64 }

// evaluateAlerts evaluates the five rules for day d against the stored
// result tables of the baseline days before it (without promotion and
// high-volume days, metrics.md §8 "Alerts v2"), turns the day's intraday
// alerts into its alerts, carries the open/update/close state over from
// the day before, and replaces d's alert partition. It reads through conn
// and writes metric_alerts through store (the same connection on one
// server; on a cluster conn reads the Distributed tables and store is a
// shard's local database).
func evaluateAlerts(ctx context.Context, conn, store convsql.Conn, s Settings, d time.Time) (int, error) {
	r := s.Alerts
	base0 := d.AddDate(0, 0, -r.BaselineDays)
	monday := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	weeks0 := monday.AddDate(0, 0, -7*r.DropoffSpikeWeeks)
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
	var watermark int64
	if err := conn.QueryRow(ctx, "SELECT max(ts_ms) FROM orders").Scan(&watermark); err != nil {
		return 0, err
	}
	ac, err := loadAlertContext(ctx, conn, r, d)
	if err != nil {
		return 0, err
	}
	msgs, err := hourSeries(ctx, conn, base0, d, 24, "product_messages")
	if err != nil {
		return 0, err
	}
	productMsgs := map[[2]string]map[string]float64{}
	for _, h := range msgs {
		k := [2]string{h.key.shop, h.key.product}
		if productMsgs[k] == nil {
			productMsgs[k] = map[string]float64{}
		}
		productMsgs[k][h.day] = h.p.num
	}
	series := map[seriesKey]map[string]point{}
	dayKey := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, rec := range recs {
		k := seriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string)}
		date := dayKey(rec["date"].(time.Time))
		if series[k] == nil {
			series[k] = map[string]point{}
		}
		series[k][date] = point{num(rec, "num"), num(rec, "den")}
	}
	today := dayKey(d)
	firing := map[seriesKey]*alert{}
	for k, pts := range series {
		kept := ac.kept(k.shop)
		if len(kept) < r.MinHistoryDays {
			continue
		}
		var v *verdict
		var now point
		switch k.rule {
		case RuleTopicSurge:
			pm := productMsgs[[2]string{k.shop, k.product}]
			var vals, base []float64
			for _, day := range kept {
				vals = append(vals, pts[day].num)
				base = append(base, pm[day])
			}
			now = pts[today]
			v = topicVerdict(r, r.TopicSurgeDirection, now.num, pm[today], vals, base)
		case RuleNegativeSurge, RuleFallbackSpike:
			factor, minDen, dir := r.NegativeSurgeRatio, float64(r.NegativeMinConsults), r.NegativeSurgeDirection
			if k.rule == RuleFallbackSpike {
				factor, minDen, dir = r.FallbackSpikeRatio, float64(r.FallbackMinMessages), r.FallbackSpikeDirection
			}
			now = pts[today]
			v = rateVerdict(dir, now, keptPoints(pts, kept), factor, minDen, r.MinZ)
		case RuleConversionDrop:
			// A day's conversion is final only once its window has passed
			// for every event stored: earlier it is censored, not dropping.
			if d.AddDate(0, 0, 1).Add(s.AttributionWindow).UnixMilli() <= watermark {
				now = pts[today]
				v = conversionVerdict(r, now, keptPoints(pts, kept))
			}
		case RuleDropoffSpike:
			var weekly []float64
			var touched float64
			now, weekly, touched = dropoffWeeks(r, pts, monday, d, ac, k.shop)
			v = dropoffVerdict(r, now, weekly, touched)
		}
		if v == nil {
			continue
		}
		a := &alert{Value: v.Value, Baseline: v.Baseline, Ratio: v.Ratio, Severity: v.Severity, Direction: v.Direction, IntradayHour: -1,
			GMVAtStakeCents: gmvAtStake(k.rule, v, now, ac.moneyFor(k.rule, k.shop, k.product, k.topic, k.node, kept))}
		a.Rule, a.Shop, a.Product, a.Topic, a.Node, a.Subject = k.rule, k.shop, k.product, k.topic, k.node, k.subject()
		a.ActionZh, a.ActionEn = suggestedAction(k)
		firing[k] = a
	}
	if err := attachEvidence(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	if err := adoptIntraday(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	out, err := carryState(ctx, conn, d, firing)
	if err != nil {
		return 0, err
	}
	if err := dropDay(ctx, store, "metric_alerts", d); err != nil {
		return 0, err
	}
	return len(out), storeAlerts(ctx, store, d, out)
}

// keptPoints are pts on the kept baseline days.
func keptPoints(pts map[string]point, kept []string) []point {
	out := make([]point, 0, len(kept))
	for _, day := range kept {
		out = append(out, pts[day])
	}
	return out
}

// dropoffWeeks returns the week so far (Monday..d, every day), the
// abandonment rate of each of the weeks before that had traffic, counted
// over their baseline-worthy days only, and those weeks' touched total.
func dropoffWeeks(r AlertRules, pts map[string]point, monday, d time.Time, ac *alertContext, shop string) (point, []float64, float64) {
	var week point
	for t := monday; !t.After(d); t = t.AddDate(0, 0, 1) {
		p := pts[t.Format(time.DateOnly)]
		week.num += p.num
		week.den += p.den
	}
	var rates []float64
	var all float64
	for w := 1; w <= r.DropoffSpikeWeeks; w++ {
		var dropped, touched float64
		start := monday.AddDate(0, 0, -7*w)
		for i := 0; i < 7; i++ {
			day := start.AddDate(0, 0, i).Format(time.DateOnly)
			if ac.isExcluded(shop, day) {
				continue
			}
			dropped += pts[day].num
			touched += pts[day].den
		}
		if touched > 0 {
			rates = append(rates, dropped/touched)
			all += touched
		}
	}
	return week, rates, all
}

// adoptIntraday turns the day's intraday alerts into its alerts: a
// subject that also fires over the whole day notes the hour it was first
// raised; one that does not keeps the figures of the last hour it fired
// (an alert announced in the morning does not silently vanish).
func adoptIntraday(ctx context.Context, conn convsql.Conn, d time.Time, firing map[seriesKey]*alert) error {
	stmt, err := render("alert_intraday_day", map[string]string{"Date": d.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a alert
		var k seriesKey
		var first uint8
		if err := rows.Scan(&first, &a.ID, &k.rule, &k.shop, &a.Subject, &k.product, &k.topic, &a.Opened, &a.Severity, &a.Direction,
			&a.Value, &a.Baseline, &a.Ratio, &a.GMVAtStakeCents, &a.Evidence, &a.ActionZh, &a.ActionEn); err != nil {
			return err
		}
		if f := firing[k]; f != nil {
			f.IntradayHour = int8(first)
			continue
		}
		a.Rule, a.Shop, a.Product, a.Topic, a.IntradayHour = k.rule, k.shop, k.product, k.topic, int8(first)
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

// severity grades how far past its threshold a rule fired (m = 1 at the
// threshold).
func severity(m, warning, critical float64) string {
	switch {
	case m >= critical:
		return "critical"
	case m >= warning:
		return "warning"
	}
	return "info"
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

func attachEvidence(ctx context.Context, conn convsql.Conn, d time.Time, firing map[seriesKey]*alert) error {
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
		k := seriesKey{rule: rec["rule"].(string), shop: rec["shop_id"].(string), product: rec["product_id"].(string), topic: rec["topic"].(string)}
		if a := firing[k]; a != nil {
			a.Evidence, _ = rec["evidence"].([]string)
		}
	}
	return nil
}

// carryState continues the alerts open the day before: a firing subject
// keeps its alert_id, one that stopped firing is closed today.
func carryState(ctx context.Context, conn convsql.Conn, d time.Time, firing map[seriesKey]*alert) ([]*alert, error) {
	prev := d.AddDate(0, 0, -1).Format(time.DateOnly)
	stmt, err := render("alert_open", nil)
	if err != nil {
		return nil, err
	}
	recs, err := queryRecords(ctx, conn, stmt, prev)
	if err != nil {
		return nil, err
	}
	var out []*alert
	for _, rec := range recs {
		k := seriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string)}
		if a := firing[k]; a != nil {
			a.ID, a.Opened = rec["alert_id"].(string), rec["opened"].(time.Time)
			continue
		}
		ev, _ := rec["evidence"].([]string)
		out = append(out, &alert{ID: rec["alert_id"].(string), Rule: k.rule, Shop: k.shop, Subject: rec["subject"].(string),
			Product: k.product, Topic: k.topic, Node: k.node, Opened: rec["opened"].(time.Time), Status: "closed",
			Severity: rec["severity"].(string), Value: num(rec, "value"), Baseline: num(rec, "baseline"), Ratio: num(rec, "ratio"),
			Evidence: ev, ActionZh: rec["action_zh"].(string), ActionEn: rec["action_en"].(string),
			GMVAtStakeCents: cnt(rec, "gmv_at_stake_cents"), Direction: rec["direction"].(string), IntradayHour: int8(num(rec, "intraday_hour"))})
	}
	for k, a := range firing {
		a.Status = "open"
		if a.ID == "" {
			a.Opened = d
			a.ID = alertID(k, d)
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *alert) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out, nil
}

// storeAlerts inserts the day's alert rows (PrepareBatch: bound VALUES
// through Exec hang on 18.16).
func storeAlerts(ctx context.Context, conn convsql.Conn, d time.Time, out []*alert) error {
	if len(out) == 0 {
		return nil
	}
	header, err := render("alert_insert", nil)
	if err != nil {
		return err
	}
	b, err := conn.PrepareBatch(ctx, header)
	if err != nil {
		return err
	}
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, a := range out {
		opened := time.Date(a.Opened.Year(), a.Opened.Month(), a.Opened.Day(), 0, 0, 0, 0, time.UTC)
		ev := a.Evidence
		if ev == nil {
			ev = []string{}
		}
		if err := b.Append(day, a.ID, a.Rule, a.Shop, a.Subject, a.Product, a.Topic, a.Node, opened, a.Status, a.Severity,
			a.Value, a.Baseline, a.Ratio, ev, a.ActionZh, a.ActionEn, a.GMVAtStakeCents, a.Direction, a.IntradayHour); err != nil {
			b.Abort()
			return err
		}
	}
	return b.Send()
}
