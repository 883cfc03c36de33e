package metrics

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

// IntradayRules are the rules the hourly evaluation runs (metrics.md §8
// "Alerts v2": the others need the day's end).
var IntradayRules = []string{RuleTopicSurge, RuleNegativeSurge, RuleFallbackSpike}

// IntradayAlert is an alert the hourly evaluation raised for the day so
// far.
type IntradayAlert struct {
	ID, Rule, Shop, Subject, Product, Topic string
	// Hour is the evaluation's cutoff hour (the day so far is 00:00 to
	// Hour:00); FirstHour the cutoff at which it was first raised today.
	Hour, FirstHour        int
	Date, Opened           time.Time
	Severity, Direction    string
	Value, Baseline, Ratio float64
	GMVAtStakeCents        int64
	Evidence               []string
	ActionZh, ActionEn     string
	// New: not open the day before and not raised at an earlier hour
	// today.
	New bool
}

// IntradayReport says what one hourly evaluation did.
type IntradayReport struct {
	Date    time.Time
	Hour    int
	Alerts  []IntradayAlert // raised at this hour, new or still firing
	Elapsed time.Duration
}

// alertID is the id of an alert of rule k opened on day d: the same for
// the hourly and the daily evaluation, and for every rerun.
func alertID(k seriesKey, d time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", k.rule, k.shop, k.product, k.topic, k.node, d.Format(time.DateOnly))
	return fmt.Sprintf("%s-%012x", k.rule, h.Sum64()&0xffffffffffff)
}

// EvaluateIntraday evaluates topic_surge, negative_surge and
// fallback_spike on the day so far: the consultations of cutoff's local
// day that started before cutoff (truncated to the hour), against the same
// hours of the baseline days (the 28 before, without promotion and
// high-volume days). It rewrites the day's hour in metric_alerts_intraday
// (other hours kept), so a rerun gives the same rows. The daily evaluation
// turns the day's intraday alerts into the day's alerts.
func EvaluateIntraday(ctx context.Context, conn convsql.Conn, s Settings, cutoff time.Time) (IntradayReport, error) {
	return evaluateIntraday(ctx, conn, conn, s, cutoff)
}

func evaluateIntraday(ctx context.Context, conn, store convsql.Conn, s Settings, cutoff time.Time) (IntradayReport, error) {
	t0 := time.Now()
	if err := s.Validate(); err != nil {
		return IntradayReport{}, err
	}
	loc := s.location()
	d := localDay(cutoff.Add(-time.Millisecond), loc) // a midnight cutoff closes the day before
	hour := int(cutoff.In(loc).Sub(d) / time.Hour)
	cut := d.Add(time.Duration(hour) * time.Hour)
	rep := IntradayReport{Date: d, Hour: hour}
	if hour < 1 {
		return rep, nil
	}
	r := s.Alerts
	ac, err := loadAlertContext(ctx, conn, r, d)
	if err != nil {
		return rep, err
	}
	// The same hours of the baseline days.
	base := map[seriesKey]map[string]point{}
	rows, err := hourSeries(ctx, conn, d.AddDate(0, 0, -r.BaselineDays), d.AddDate(0, 0, -1), hour,
		RuleTopicSurge, RuleNegativeSurge, RuleFallbackSpike, "product_messages")
	if err != nil {
		return rep, err
	}
	for _, h := range rows {
		if base[h.key] == nil {
			base[h.key] = map[string]point{}
		}
		base[h.key][h.day] = h.p
	}
	// The day so far.
	p := map[string]int64{"FromMs": d.UnixMilli(), "FromSec": d.Unix(), "CutoffMs": cut.UnixMilli(), "CutoffSec": cut.Unix()}
	stmt, err := render("alert_intraday", p)
	if err != nil {
		return rep, err
	}
	today := map[seriesKey]point{}
	q, err := conn.Query(ctx, stmt)
	if err != nil {
		return rep, err
	}
	for q.Next() {
		var k seriesKey
		var pt point
		if err := q.Scan(&k.rule, &k.shop, &k.product, &k.topic, &pt.num, &pt.den); err != nil {
			q.Close()
			return rep, err
		}
		today[k] = pt
	}
	q.Close()
	if err := q.Err(); err != nil {
		return rep, err
	}
	keys := map[seriesKey]bool{}
	for k := range today {
		keys[k] = true
	}
	for k := range base {
		keys[k] = true
	}
	dirs := map[string]string{RuleTopicSurge: r.TopicSurgeDirection, RuleNegativeSurge: r.NegativeSurgeDirection, RuleFallbackSpike: r.FallbackSpikeDirection}
	firing := map[seriesKey]*IntradayAlert{}
	for k := range keys {
		dir, ok := dirs[k.rule]
		if !ok {
			continue
		}
		kept := ac.kept(k.shop)
		if len(kept) < r.MinHistoryDays {
			continue
		}
		var v *verdict
		var todayPt point
		switch k.rule {
		case RuleTopicSurge:
			mk := seriesKey{rule: "product_messages", shop: k.shop, product: k.product}
			var vals, msgs []float64
			for _, day := range kept {
				vals = append(vals, base[k][day].num)
				msgs = append(msgs, base[mk][day].num)
			}
			todayPt = today[k]
			v = topicVerdict(r, dir, todayPt.num, today[mk].num, vals, msgs)
		case RuleNegativeSurge, RuleFallbackSpike:
			var pts []point
			for _, day := range kept {
				pts = append(pts, base[k][day])
			}
			todayPt = today[k]
			factor, minDen := r.NegativeSurgeRatio, float64(r.NegativeMinConsults)
			if k.rule == RuleFallbackSpike {
				factor, minDen = r.FallbackSpikeRatio, float64(r.FallbackMinMessages)
			}
			v = rateVerdict(dir, todayPt, pts, factor, minDen, r.MinZ)
		}
		if v == nil {
			continue
		}
		a := &IntradayAlert{Rule: k.rule, Shop: k.shop, Product: k.product, Topic: k.topic, Subject: k.subject(),
			Hour: hour, FirstHour: hour, Date: d, Opened: d, Severity: v.Severity, Direction: v.Direction,
			Value: v.Value, Baseline: v.Baseline, Ratio: v.Ratio,
			GMVAtStakeCents: gmvAtStake(k.rule, v, todayPt, ac.moneyFor(k.rule, k.shop, k.product, k.topic, "", kept)),
			ID:              alertID(k, d), New: true}
		a.ActionZh, a.ActionEn = suggestedAction(k)
		firing[k] = a
	}
	if err := intradayEvidence(ctx, conn, p, firing); err != nil {
		return rep, err
	}
	if err := continueIntraday(ctx, conn, d, hour, firing); err != nil {
		return rep, err
	}
	out := make([]IntradayAlert, 0, len(firing))
	for _, a := range firing {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b IntradayAlert) int { return compareStrings(a.ID, b.ID) })
	if err := storeIntraday(ctx, conn, store, d, hour, out); err != nil {
		return rep, err
	}
	rep.Alerts = out
	rep.Elapsed = time.Since(t0)
	return rep, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// intradayEvidence attaches up to 5 masked messages of the day so far.
func intradayEvidence(ctx context.Context, conn convsql.Conn, p map[string]int64, firing map[seriesKey]*IntradayAlert) error {
	if len(firing) == 0 {
		return nil
	}
	files := []string{"alert_intraday_evidence"}
	for k := range firing {
		if k.rule == RuleFallbackSpike {
			files = append(files, "alert_intraday_fallbacks")
			break
		}
	}
	for _, f := range files {
		stmt, err := render(f, p)
		if err != nil {
			return err
		}
		rows, err := conn.Query(ctx, stmt)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k seriesKey
			var ev []string
			if err := rows.Scan(&k.rule, &k.shop, &k.product, &k.topic, &ev); err != nil {
				rows.Close()
				return err
			}
			if a := firing[k]; a != nil {
				a.Evidence = ev
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// continueIntraday gives a firing subject the id of the alert open for it
// the day before (it keeps firing: updated, not new), or of the one raised
// at an earlier hour today (with that first hour).
func continueIntraday(ctx context.Context, conn convsql.Conn, d time.Time, hour int, firing map[seriesKey]*IntradayAlert) error {
	if len(firing) == 0 {
		return nil
	}
	stmt, err := render("alert_intraday_continue", map[string]string{"Prev": d.AddDate(0, 0, -1).Format(time.DateOnly), "Date": d.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k seriesKey
		var id, source string
		var opened time.Time
		var first uint8
		if err := rows.Scan(&source, &id, &k.rule, &k.shop, &k.product, &k.topic, &k.node, &opened, &first); err != nil {
			return err
		}
		a := firing[k]
		if a == nil {
			continue
		}
		switch source {
		case "open":
			a.ID, a.Opened, a.New = id, time.Date(opened.Year(), opened.Month(), opened.Day(), 0, 0, 0, 0, d.Location()), false
		case "intraday":
			if int(first) < hour {
				a.FirstHour, a.New = int(first), false
			}
			if a.Opened.Equal(d) {
				a.ID = id
			}
		}
	}
	return rows.Err()
}

// storeIntraday replaces hour's rows of day d, keeping the other hours.
func storeIntraday(ctx context.Context, conn, store convsql.Conn, d time.Time, hour int, out []IntradayAlert) error {
	stmt, err := render("alert_intraday_rows", map[string]any{"Date": d.Format(time.DateOnly), "Hour": hour})
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		return err
	}
	var keep []IntradayAlert
	for rows.Next() {
		var a IntradayAlert
		var h uint8
		if err := rows.Scan(&h, &a.ID, &a.Rule, &a.Shop, &a.Subject, &a.Product, &a.Topic, &a.Opened, &a.Severity, &a.Direction,
			&a.Value, &a.Baseline, &a.Ratio, &a.GMVAtStakeCents, &a.Evidence, &a.ActionZh, &a.ActionEn); err != nil {
			rows.Close()
			return err
		}
		a.Hour = int(h)
		keep = append(keep, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := dropDay(ctx, store, "metric_alerts_intraday", d); err != nil {
		return err
	}
	all := append(keep, out...)
	if len(all) == 0 {
		return nil
	}
	header, err := render("alert_intraday_insert", nil)
	if err != nil {
		return err
	}
	b, err := store.PrepareBatch(ctx, header)
	if err != nil {
		return err
	}
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	for _, a := range all {
		opened := time.Date(a.Opened.Year(), a.Opened.Month(), a.Opened.Day(), 0, 0, 0, 0, time.UTC)
		ev := a.Evidence
		if ev == nil {
			ev = []string{}
		}
		if err := b.Append(day, uint8(a.Hour), a.ID, a.Rule, a.Shop, a.Subject, a.Product, a.Topic, "", opened, a.Severity, a.Direction,
			a.Value, a.Baseline, a.Ratio, a.GMVAtStakeCents, ev, a.ActionZh, a.ActionEn); err != nil {
			b.Abort()
			return err
		}
	}
	return b.Send()
}
