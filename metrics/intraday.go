package metrics

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/convintel/convintel/warehouse"
)

// IntradayRules are the rules the hourly evaluation runs (metrics.md §8
// "Alerts v2": the others need the day's end).
var IntradayRules = []string{RuleTopicSurge, RuleNegativeSurge, RuleFallbackSpike}

// intradayEvidenceWindow is how far back before the cutoff the hourly
// evaluation looks for an alert's example messages.
const intradayEvidenceWindow = 3 * time.Hour

// IntradayAlert is an alert the hourly evaluation raised for the day so
// far: the Alert as of this hour (Date the day, IntradayHour the first
// hour it fired today).
type IntradayAlert struct {
	Alert
	// Hour is the evaluation's cutoff hour (the day so far is 00:00 to
	// Hour:00).
	Hour int
	// New: not open the day before and not raised at an earlier hour
	// today.
	New bool
}

// IntradayReport says what one hourly evaluation did.
type IntradayReport struct {
	Date   time.Time
	Hour   int
	Alerts []IntradayAlert // raised at this hour, new or still firing
	// HoursComputed is how many hours of the day this evaluation computed
	// from the raw events (summed over shards): 1 when it runs every hour,
	// more on its first run of a day or after late events.
	HoursComputed int
	Elapsed       time.Duration
}

// alertID is the id of an alert of rule k opened on day d: the same for
// the hourly and the daily evaluation, and for every rerun.
func alertID(k SeriesKey, d time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s", k.Rule, k.Shop, k.Product, k.Topic, k.Node, d.Format(time.DateOnly))
	return fmt.Sprintf("%s-%012x", k.Rule, h.Sum64()&0xffffffffffff)
}

// EvaluateIntraday evaluates topic_surge, negative_surge and
// fallback_spike on the day so far: the consultations of cutoff's local
// day that started before cutoff (truncated to the hour), against the same
// hours of the baseline days (the 28 before, without promotion and
// high-volume days). It rewrites the day's hour in metric_alerts_intraday
// (other hours kept), so a rerun gives the same rows. The daily evaluation
// turns the day's intraday alerts into the day's alerts.
func EvaluateIntraday(ctx context.Context, conn warehouse.Conn, s Settings, cutoff time.Time) (IntradayReport, error) {
	return evaluateIntraday(ctx, conn, conn, []warehouse.Conn{conn}, s, cutoff)
}

// EvaluateIntradayCluster is EvaluateIntraday on a cluster: it reads the
// whole database (cl.Global) and stores on the first shard, as the daily
// evaluation does.
func EvaluateIntradayCluster(ctx context.Context, cl *warehouse.Cluster, s Settings, cutoff time.Time) (IntradayReport, error) {
	return evaluateIntraday(ctx, cl.Global, cl.Shards[0], cl.Shards, s, cutoff)
}

// evaluateIntraday reads through conn (the whole database), stores the
// alerts through store and keeps each shard's hourly rows of the day so far
// (metric_alert_intraday_parts) up to date.
func evaluateIntraday(ctx context.Context, conn, store warehouse.Conn, shards []warehouse.Conn, s Settings, cutoff time.Time) (IntradayReport, error) {
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
	base, err := intradayBaseline(ctx, conn, r, d, hour)
	if err != nil {
		return rep, err
	}
	today, computed, err := daySoFar(ctx, conn, shards, d, hour)
	if err != nil {
		return rep, err
	}
	rep.HoursComputed = computed
	firing := judgeIntraday(r, ac, d, hour, today, base)
	// Evidence comes from the last hours: what buyers write now, at a cost
	// that does not grow with the day.
	from := cut.Add(-intradayEvidenceWindow)
	if from.Before(d) {
		from = d
	}
	p := map[string]int64{"FromMs": from.UnixMilli(), "FromSec": from.Unix(), "CutoffMs": cut.UnixMilli(), "CutoffSec": cut.Unix()}
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
	slices.SortFunc(out, func(a, b IntradayAlert) int { return strings.Compare(a.ID, b.ID) })
	if err := storeIntraday(ctx, conn, store, d, hour, out); err != nil {
		return rep, err
	}
	rep.Alerts = out
	rep.Elapsed = time.Since(t0)
	return rep, nil
}

// intradayBaseline returns the first hour hours of each baseline day (the
// r.BaselineDays before d), by series and day.
func intradayBaseline(ctx context.Context, conn warehouse.Conn, r AlertRules, d time.Time, hour int) (map[SeriesKey]map[string]point, error) {
	rows, err := hourSeries(ctx, conn, d.AddDate(0, 0, -r.BaselineDays), d.AddDate(0, 0, -1), hour,
		RuleTopicSurge, RuleNegativeSurge, RuleFallbackSpike, "product_messages")
	if err != nil {
		return nil, err
	}
	base := map[SeriesKey]map[string]point{}
	for _, h := range rows {
		if base[h.key] == nil {
			base[h.key] = map[string]point{}
		}
		base[h.key][h.day] = h.p
	}
	return base, nil
}

// judgeIntraday runs the intraday rules on every series of the day so far
// (today) or its baseline (base) and returns the alerts that fire at hour,
// without evidence and not yet continued from earlier alerts.
func judgeIntraday(r AlertRules, ac *alertContext, d time.Time, hour int, today map[SeriesKey]point, base map[SeriesKey]map[string]point) map[SeriesKey]*IntradayAlert {
	keys := map[SeriesKey]bool{}
	for k := range today {
		keys[k] = true
	}
	for k := range base {
		keys[k] = true
	}
	dirs := map[string]string{RuleTopicSurge: r.TopicSurgeDirection, RuleNegativeSurge: r.NegativeSurgeDirection, RuleFallbackSpike: r.FallbackSpikeDirection}
	promotion := IsPromotionDay(r.PromotionDays, d)
	firing := map[SeriesKey]*IntradayAlert{}
	for k := range keys {
		dir, ok := dirs[k.Rule]
		if !ok {
			continue
		}
		kept := ac.kept(k.Shop)
		if len(kept) < r.MinHistoryDays {
			continue
		}
		var v *verdict
		todayPt := today[k]
		switch k.Rule {
		case RuleTopicSurge:
			mk := SeriesKey{Rule: "product_messages", Shop: k.Shop, Product: k.Product}
			var vals, msgs []float64
			for _, day := range kept {
				vals = append(vals, base[k][day].num)
				msgs = append(msgs, base[mk][day].num)
			}
			v = topicVerdict(r, dir, todayPt.num, today[mk].num, vals, msgs, promotion)
		case RuleNegativeSurge, RuleFallbackSpike:
			factor, minDen, minExtra := r.NegativeSurgeRatio, float64(r.NegativeMinConsults), r.NegativeSurgeMinExtra
			if k.Rule == RuleFallbackSpike {
				factor, minDen, minExtra = r.FallbackSpikeRatio, float64(r.FallbackMinMessages), 0
			}
			v = rateVerdict(r, dir, todayPt, keptPoints(base[k], kept), factor, minDen, minExtra, promotion)
		}
		al, past := v.alert()
		if al == nil {
			continue
		}
		rule, _ := LookupRule(k.Rule)
		al.Rule, al.Shop, al.Product, al.Topic, al.Subject = k.Rule, k.Shop, k.Product, k.Topic, rule.Subject(k)
		al.Date, al.Opened, al.Status, al.Severity = d, d, AlertOpen, rule.severity(past)
		al.IntradayHour, al.ID = int8(hour), alertID(k, d)
		al.GMVAtStakeCents = gmvAtStake(k.Rule, al, todayPt, ac.moneyFor(k.Rule, k.Shop, k.Product, k.Topic, "", kept))
		al.ActionZH, al.ActionEN = rule.Action(k)
		firing[k] = &IntradayAlert{Alert: *al, Hour: hour, New: true}
	}
	return firing
}

// intradayEvidence attaches up to 5 masked messages of the day so far.
func intradayEvidence(ctx context.Context, conn warehouse.Conn, p map[string]int64, firing map[SeriesKey]*IntradayAlert) error {
	if len(firing) == 0 {
		return nil
	}
	// Only the firing shops' rows are read (shop_id leads the raw tables'
	// order key), so evidence costs what those shops' day costs.
	shops := map[string][]any{}
	for k := range firing {
		f := "alert_intraday_evidence"
		if k.Rule == RuleFallbackSpike {
			f = "alert_intraday_fallbacks"
		}
		if !slices.Contains(shops[f], any(k.Shop)) {
			shops[f] = append(shops[f], k.Shop)
		}
	}
	for f, in := range shops {
		rows, err := queryFile(ctx, conn, f, p, clickhouse.Named("shops", clickhouse.GroupSet{Value: in}))
		if err != nil {
			return err
		}
		for rows.Next() {
			var k SeriesKey
			var ev []string
			if err := rows.Scan(&k.Rule, &k.Shop, &k.Product, &k.Topic, &ev); err != nil {
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
func continueIntraday(ctx context.Context, conn warehouse.Conn, d time.Time, hour int, firing map[SeriesKey]*IntradayAlert) error {
	if len(firing) == 0 {
		return nil
	}
	rows, err := queryFile(ctx, conn, "alert_intraday_continue", map[string]string{"Prev": d.AddDate(0, 0, -1).Format(time.DateOnly), "Date": d.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k SeriesKey
		var id, source string
		var opened time.Time
		var first uint8
		if err := rows.Scan(&source, &id, &k.Rule, &k.Shop, &k.Product, &k.Topic, &k.Node, &opened, &first); err != nil {
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
				a.IntradayHour, a.New = int8(first), false
			}
			if a.Opened.Equal(d) {
				a.ID = id
			}
		}
	}
	return rows.Err()
}

// storeIntraday replaces hour's rows of day d, keeping the other hours.
func storeIntraday(ctx context.Context, conn, store warehouse.Conn, d time.Time, hour int, out []IntradayAlert) error {
	rows, err := queryFile(ctx, conn, "alert_intraday_rows", map[string]any{"Date": d.Format(time.DateOnly), "Hour": hour})
	if err != nil {
		return err
	}
	var keep []IntradayAlert
	for rows.Next() {
		var a IntradayAlert
		var h uint8
		if err := rows.Scan(&h, &a.ID, &a.Rule, &a.Shop, &a.Subject, &a.Product, &a.Topic, &a.Opened, &a.Severity, &a.Direction,
			&a.Value, &a.Baseline, &a.Ratio, &a.GMVAtStakeCents, &a.Evidence, &a.ActionZH, &a.ActionEN); err != nil {
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
	day := utcDate(d)
	return insertFile(ctx, store, "alert_intraday_insert", func(b driver.Batch) error {
		for _, a := range all {
			ev := a.Evidence
			if ev == nil {
				ev = []string{}
			}
			if err := b.Append(day, uint8(a.Hour), a.ID, a.Rule, a.Shop, a.Subject, a.Product, a.Topic, "", utcDate(a.Opened), a.Severity, a.Direction,
				a.Value, a.Baseline, a.Ratio, a.GMVAtStakeCents, ev, a.ActionZH, a.ActionEN); err != nil {
				return err
			}
		}
		return nil
	})
}
