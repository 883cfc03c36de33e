package metrics

import (
	"context"
	"fmt"
	"hash/fnv"
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
}

// seriesKey identifies one alert subject.
type seriesKey struct{ rule, shop, product, topic, node, who string }

func (k seriesKey) subject() string {
	switch k.rule {
	case "topic_surge":
		return k.product + "/" + k.topic
	case "negative_surge":
		return k.product
	case "dropoff_spike":
		return k.node
	case ruleQAViolation:
		return k.who
	}
	return k.shop
}

type point struct{ num, den float64 }

// evaluateAlerts evaluates the five rules for day d against the stored
// result tables of the days before, carries the open/update/close state
// over from the day before, and replaces d's alert partition. It reads
// through conn and writes metric_alerts through store (the same
// connection on one server; on a cluster conn reads the Distributed
// tables and store is a shard's local database).
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
	series := map[seriesKey]map[string]point{}
	history := map[string]map[string]bool{} // shop → days with traffic before d
	dayKey := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, rec := range recs {
		k := seriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string), ""}
		date := dayKey(rec["date"].(time.Time))
		if series[k] == nil {
			series[k] = map[string]point{}
		}
		series[k][date] = point{num(rec, "num"), num(rec, "den")}
		if k.rule == "fallback_spike" && date < dayKey(d) && date >= dayKey(base0) {
			if history[k.shop] == nil {
				history[k.shop] = map[string]bool{}
			}
			history[k.shop][date] = true
		}
	}
	var baseDays []string
	for t := base0; t.Before(d); t = t.AddDate(0, 0, 1) {
		baseDays = append(baseDays, dayKey(t))
	}
	today := dayKey(d)
	firing := map[seriesKey]*alert{}
	for k, pts := range series {
		if len(history[k.shop]) < r.MinHistoryDays {
			continue
		}
		var a *alert
		switch k.rule {
		case "topic_surge":
			a = topicSurge(r, pts, today, baseDays, history[k.shop])
		case "negative_surge":
			a = rateRise(pts, today, baseDays, r.NegativeSurgeRatio, float64(r.NegativeMinConsults), r.MinZ)
		case "fallback_spike":
			a = rateRise(pts, today, baseDays, r.FallbackSpikeRatio, float64(r.FallbackMinMessages), r.MinZ)
		case "conversion_drop":
			// A day's conversion is final only once its window has passed
			// for every event stored: earlier it is censored, not dropping.
			if d.AddDate(0, 0, 1).Add(s.AttributionWindow).UnixMilli() <= watermark {
				a = conversionDrop(r, pts, today, baseDays)
			}
		case "dropoff_spike":
			a = dropoffSpike(r, pts, monday)
		}
		if a != nil {
			a.Rule, a.Shop, a.Product, a.Topic, a.Node, a.Subject = k.rule, k.shop, k.product, k.topic, k.node, k.subject()
			a.ActionZh, a.ActionEn = suggestedAction(k)
			firing[k] = a
		}
	}
	if err := attachEvidence(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	if err := qaAlerts(ctx, conn, d, firing); err != nil {
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

// topicSurge: count ≥ min, ≥ ratio × baseline mean and robust z
// (median/MAD over the baseline days with traffic) ≥ threshold.
func topicSurge(r AlertRules, pts map[string]point, today string, baseDays []string, hist map[string]bool) *alert {
	c := pts[today].num
	if c < float64(r.TopicSurgeMinCount) {
		return nil
	}
	var vals []float64
	for _, day := range baseDays {
		if hist[day] {
			vals = append(vals, pts[day].num)
		}
	}
	mean := 0.0
	for _, v := range vals {
		mean += v
	}
	mean /= float64(len(vals))
	med := median(vals)
	dev := make([]float64, len(vals))
	for i, v := range vals {
		dev[i] = math.Abs(v - med)
	}
	// A MAD of 0 (a topic rarely asked) would make any count infinitely
	// unusual; one message is the smallest meaningful spread.
	scale := math.Max(1.4826*median(dev), 1)
	z := (c - med) / scale
	if c < r.TopicSurgeRatio*mean || z < r.TopicSurgeRobustZ {
		return nil
	}
	ratio := c / math.Max(mean, 1e-9)
	return &alert{Value: c, Baseline: mean, Ratio: ratio, Severity: severity(ratio/r.TopicSurgeRatio, 1.67, 3.33)}
}

// rateRise: today's rate ≥ factor × the pooled baseline rate, with at
// least minDen in today's denominator.
func rateRise(pts map[string]point, today string, baseDays []string, factor, minDen, minZ float64) *alert {
	p := pts[today]
	if p.den < minDen || p.num == 0 {
		return nil
	}
	var n, dd float64
	for _, day := range baseDays {
		n += pts[day].num
		dd += pts[day].den
	}
	if dd == 0 {
		return nil
	}
	rate, base := p.num/p.den, n/dd
	if rate < factor*base || binomialZ(rate, base, p.den) < minZ {
		return nil
	}
	ratio := rate / math.Max(base, 1e-9)
	return &alert{Value: rate, Baseline: base, Ratio: ratio, Severity: severity(ratio/factor, 1.5, 2.5)}
}

// conversionDrop: today's order rate is at least the configured share
// below the pooled baseline rate, with enough consulting buyers.
func conversionDrop(r AlertRules, pts map[string]point, today string, baseDays []string) *alert {
	p := pts[today]
	if p.den < float64(r.ConversionMinBuyers) {
		return nil
	}
	var n, dd float64
	for _, day := range baseDays {
		n += pts[day].num
		dd += pts[day].den
	}
	if dd == 0 || n == 0 {
		return nil
	}
	rate, base := p.num/p.den, n/dd
	drop := 1 - rate/base
	if drop < r.ConversionDropRel || -binomialZ(rate, base, p.den) < r.MinZ {
		return nil
	}
	return &alert{Value: rate, Baseline: base, Ratio: rate / base, Severity: severity(drop/r.ConversionDropRel, 1.5, 2)}
}

// dropoffSpike: the abandonment rate of the week so far (Monday..d) is at
// least the configured points above the mean weekly rate of the weeks
// before, with enough touched consultations this week.
func dropoffSpike(r AlertRules, pts map[string]point, monday time.Time) *alert {
	week := func(start time.Time) (dropped, touched float64) {
		for i := 0; i < 7; i++ {
			p := pts[start.AddDate(0, 0, i).Format(time.DateOnly)]
			dropped += p.num
			touched += p.den
		}
		return
	}
	dn, tn := week(monday)
	if tn < float64(r.DropoffMinTouched) {
		return nil
	}
	var sum float64
	var n int
	for w := 1; w <= r.DropoffSpikeWeeks; w++ {
		d, t := week(monday.AddDate(0, 0, -7*w))
		if t > 0 {
			sum += d / t
			n++
		}
	}
	if n == 0 {
		return nil
	}
	rate, base := dn/tn, sum/float64(n)
	points := (rate - base) * 100
	if points < r.DropoffSpikePoints || binomialZ(rate, base, tn) < r.MinZ {
		return nil
	}
	return &alert{Value: rate, Baseline: base, Ratio: rate / math.Max(base, 1e-9), Severity: severity(points/r.DropoffSpikePoints, 1.5, 2)}
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
	recs, err := queryRecords(ctx, conn, `SELECT alert_id, rule, shop_id, subject, product_id, topic, node, opened,
        severity, value, baseline, ratio, evidence, action_zh, action_en
    FROM metric_alerts WHERE date = toDate(?) AND status = 'open'`, prev)
	if err != nil {
		return nil, err
	}
	var out []*alert
	for _, rec := range recs {
		k := seriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string), ""}
		if k.rule == ruleQAViolation {
			k.who = rec["subject"].(string)
		}
		if a := firing[k]; a != nil {
			a.ID, a.Opened = rec["alert_id"].(string), rec["opened"].(time.Time)
			continue
		}
		ev, _ := rec["evidence"].([]string)
		out = append(out, &alert{ID: rec["alert_id"].(string), Rule: k.rule, Shop: k.shop, Subject: rec["subject"].(string),
			Product: k.product, Topic: k.topic, Node: k.node, Opened: rec["opened"].(time.Time), Status: "closed",
			Severity: rec["severity"].(string), Value: num(rec, "value"), Baseline: num(rec, "baseline"), Ratio: num(rec, "ratio"),
			Evidence: ev, ActionZh: rec["action_zh"].(string), ActionEn: rec["action_en"].(string)})
	}
	for k, a := range firing {
		a.Status = "open"
		if a.ID == "" {
			a.Opened = d
			h := fnv.New64a()
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", k.rule, k.shop, k.product, k.topic, k.node, d.Format(time.DateOnly))
			if k.who != "" {
				fmt.Fprintf(h, "\x00%s", k.who)
			}
			a.ID = fmt.Sprintf("%s-%012x", k.rule, h.Sum64()&0xffffffffffff)
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
	b, err := conn.PrepareBatch(ctx, `INSERT INTO metric_alerts (date, alert_id, rule, shop_id, subject, product_id, topic, node,
        opened, status, severity, value, baseline, ratio, evidence, action_zh, action_en)`)
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
			a.Value, a.Baseline, a.Ratio, ev, a.ActionZh, a.ActionEn); err != nil {
			b.Abort()
			return err
		}
	}
	return b.Send()
}
