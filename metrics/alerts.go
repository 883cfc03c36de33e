package metrics

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

type point struct{ num, den float64 }

// evaluateAlerts evaluates the five rules for day d against the stored
// result tables of the days before, carries the open/update/close state
// over from the day before, and replaces d's alert partition. It reads
// through conn and writes metric_alerts through store (the same
// connection on one server; on a cluster conn reads the Distributed
// tables and store is a shard's local database).
func evaluateAlerts(ctx context.Context, conn, store warehouse.Conn, s Settings, d time.Time) (int, error) {
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
	stmt, err = render("orders_watermark", nil)
	if err != nil {
		return 0, err
	}
	var watermark int64
	if err := conn.QueryRow(ctx, stmt).Scan(&watermark); err != nil {
		return 0, err
	}
	series := map[SeriesKey]map[string]point{}
	history := map[string]map[string]bool{} // shop → days with traffic before d
	dayKey := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, rec := range recs {
		k := SeriesKey{rec["rule"].(string), rec["shop_id"].(string), rec["product_id"].(string), rec["topic"].(string), rec["node"].(string)}
		date := dayKey(rec["date"].(time.Time))
		if series[k] == nil {
			series[k] = map[string]point{}
		}
		series[k][date] = point{rec.Float("num"), rec.Float("den")}
		// A shop's history is its days with consultations: the days the
		// fallback series (from metric_service) has a point.
		if k.Rule == RuleFallbackSpike && date < dayKey(d) && date >= dayKey(base0) {
			if history[k.Shop] == nil {
				history[k.Shop] = map[string]bool{}
			}
			history[k.Shop][date] = true
		}
	}
	var baseDays []string
	for t := base0; t.Before(d); t = t.AddDate(0, 0, 1) {
		baseDays = append(baseDays, dayKey(t))
	}
	today := dayKey(d)
	firing := map[SeriesKey]*Alert{}
	for k, pts := range series {
		rule, ok := LookupRule(k.Rule)
		if !ok {
			return 0, fmt.Errorf("sql/metrics/alert_series.sql gives a series of rule %q, which is not registered", k.Rule)
		}
		if len(history[k.Shop]) < r.MinHistoryDays && !rule.NoBaseline {
			continue
		}
		a, past := rule.Fire(RuleInput{Settings: s, Day: d, Today: today, Points: pts, BaseDays: baseDays,
			History: history[k.Shop], Monday: monday, Watermark: watermark})
		if a == nil {
			continue
		}
		a.Rule, a.Shop, a.Product, a.Topic, a.Node, a.Subject = k.Rule, k.Shop, k.Product, k.Topic, k.Node, rule.Subject(k)
		a.Severity = rule.severity(past)
		a.ActionZH, a.ActionEN = rule.Action(k)
		firing[k] = a
	}
	if err := attachEvidence(ctx, conn, d, firing); err != nil {
		return 0, err
	}
	if err := qaAlertDetails(ctx, conn, d, firing); err != nil {
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
func topicSurge(r AlertRules, pts map[string]point, today string, baseDays []string, hist map[string]bool) (*Alert, float64) {
	c := pts[today].num
	if c < float64(r.TopicSurgeMinCount) {
		return nil, 0
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
		return nil, 0
	}
	ratio := c / math.Max(mean, 1e-9)
	return &Alert{Value: c, Baseline: mean, Ratio: ratio}, ratio / r.TopicSurgeRatio
}

// rateRise: today's rate ≥ factor × the pooled baseline rate, with at
// least minDen in today's denominator.
func rateRise(pts map[string]point, today string, baseDays []string, factor, minDen, minZ float64) (*Alert, float64) {
	p := pts[today]
	if p.den < minDen || p.num == 0 {
		return nil, 0
	}
	var n, dd float64
	for _, day := range baseDays {
		n += pts[day].num
		dd += pts[day].den
	}
	if dd == 0 {
		return nil, 0
	}
	rate, base := p.num/p.den, n/dd
	if rate < factor*base || binomialZ(rate, base, p.den) < minZ {
		return nil, 0
	}
	ratio := rate / math.Max(base, 1e-9)
	return &Alert{Value: rate, Baseline: base, Ratio: ratio}, ratio / factor
}

// conversionDrop: today's order rate is at least the configured share
// below the pooled baseline rate, with enough consulting buyers.
func conversionDrop(r AlertRules, pts map[string]point, today string, baseDays []string) (*Alert, float64) {
	p := pts[today]
	if p.den < float64(r.ConversionMinBuyers) {
		return nil, 0
	}
	var n, dd float64
	for _, day := range baseDays {
		n += pts[day].num
		dd += pts[day].den
	}
	if dd == 0 || n == 0 {
		return nil, 0
	}
	rate, base := p.num/p.den, n/dd
	drop := 1 - rate/base
	if drop < r.ConversionDropRel || -binomialZ(rate, base, p.den) < r.MinZ {
		return nil, 0
	}
	return &Alert{Value: rate, Baseline: base, Ratio: rate / base}, drop / r.ConversionDropRel
}

// dropoffSpike: the abandonment rate of the week so far (Monday..d) is at
// least the configured points above the mean weekly rate of the weeks
// before, with enough touched consultations this week.
func dropoffSpike(r AlertRules, pts map[string]point, monday time.Time) (*Alert, float64) {
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
		return nil, 0
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
		return nil, 0
	}
	rate, base := dn/tn, sum/float64(n)
	points := (rate - base) * 100
	if points < r.DropoffSpikePoints || binomialZ(rate, base, tn) < r.MinZ {
		return nil, 0
	}
	return &Alert{Value: rate, Baseline: base, Ratio: rate / math.Max(base, 1e-9)}, points / r.DropoffSpikePoints
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

// carryState continues the alerts open the day before: a firing subject
// keeps its alert_id, one that stopped firing is closed today.
func carryState(ctx context.Context, conn warehouse.Conn, d time.Time, firing map[SeriesKey]*Alert) ([]*Alert, error) {
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
		out = append(out, &p)
	}
	for k, a := range firing {
		a.Status = AlertOpen
		if a.ID == "" {
			a.Opened = d
			h := fnv.New64a()
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", k.Rule, k.Shop, k.Product, k.Topic, k.Node, d.Format(time.DateOnly))
			a.ID = fmt.Sprintf("%s-%012x", k.Rule, h.Sum64()&0xffffffffffff)
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *Alert) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
