package metrics

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func alertConfig(anomalies bool) simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.Seed = 11
	cfg.Days = 21
	cfg.Shops = 3
	cfg.ConsultationsPerShopDay = 150
	if anomalies {
		cfg.Anomalies = simulate.DemoAnomalies(cfg)
	}
	return cfg
}

func runAlerts(t *testing.T, anomalies bool) (simulate.Config, *simulate.Tally, []Row) {
	conn, db := chtest.New(t)
	cfg := alertConfig(anomalies)
	tally := simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(context.Background(), warehouse.Single(conn, db), DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := Show(context.Background(), conn, "alerts", Query{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, tally, rows
}

// TestAlertsFindPlantedAnomalies: every anomaly the simulator plants is
// found by its rule, on its subject, with evidence and an action; and the
// same traffic without anomalies raises nothing.
func TestAlertsFindPlantedAnomalies(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	_, tally, rows := runAlerts(t, true)
	get := func(r Row, k string) string { v, _ := r.Get(k); return toString(v) }
	for _, a := range tally.Anomalies {
		found := false
		for _, r := range rows {
			if get(r, "shop_id") != a.ShopID {
				continue
			}
			switch a.Kind {
			case "topic_surge":
				found = found || get(r, "rule") == "topic_surge" && get(r, "product_id") == a.ProductID && get(r, "topic") == a.Topic &&
					get(r, "opened") == a.Date && len(r.mustStrings("evidence")) > 0 &&
					strings.Contains(get(r, "action_zh"), "保质期") && strings.Contains(get(r, "action_en"), a.ProductID)
			case "dropoff_spike":
				found = found || get(r, "rule") == "dropoff_spike" && get(r, "node") == a.Stage &&
					get(r, "opened") >= a.WeekStart && get(r, "opened") <= a.WeekEnd && strings.Contains(get(r, "action_en"), "shipping")
			case "fallback_spike":
				found = found || get(r, "rule") == "fallback_spike" && get(r, "opened") == a.Date
			}
		}
		if !found {
			t.Errorf("planted %s %+v not found in alerts:\n%v", a.Kind, a, rowsText(rows))
		}
	}
	// A one-day spike closes the next day.
	for _, r := range rows {
		if get(r, "rule") == "fallback_spike" && get(r, "status") != "closed" {
			t.Errorf("fallback spike alert still open at the end: %v", r)
		}
	}
	_, _, clean := runAlerts(t, false)
	if len(clean) != 0 {
		t.Errorf("clean traffic raised %d alerts:\n%v", len(clean), rowsText(clean))
	}
}

func (r Row) mustStrings(k string) []string {
	v, _ := r.Get(k)
	s, _ := v.([]string)
	return s
}

func rowsText(rows []Row) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(fields(r, "alert_id", "rule", "shop_id", "subject", "opened", "date", "status", "severity", "value", "baseline"))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestDropoffMoneyBaselineIsTheWeeksBefore: dropoff_spike's money at stake
// reads its converted share and order value from the same baseline as the
// rule, the four weeks before the alert's week (less excluded days), not
// from the 28 days before the day: for Saturday 2026-10-03 those held
// Monday 09-28 to Friday 10-02 of the spiking week itself.
func TestDropoffMoneyBaselineIsTheWeeksBefore(t *testing.T) {
	r := DefaultSettings().Alerts
	sat := time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)
	c := &alertContext{r: r, excluded: map[string]map[string]bool{"s1": {"2026-09-10": true}}}
	got := c.weekBaseline("s1", sat)
	if len(got) != 7*r.DropoffSpikeWeeks-1 || got[0] != "2026-08-31" || got[len(got)-1] != "2026-09-27" {
		t.Fatalf("baseline of %s: %d days %v…%v, want the %d days 2026-08-31..2026-09-27 less the excluded 09-10",
			sat.Format(time.DateOnly), len(got), got[0], got[len(got)-1], 7*r.DropoffSpikeWeeks-1)
	}
	for _, d := range got {
		if d == "2026-09-10" || d >= "2026-09-28" {
			t.Errorf("baseline holds %s", d)
		}
	}
	if mon := c.weekBaseline("s1", time.Date(2026, 9, 28, 0, 0, 0, 0, time.UTC)); mon[len(mon)-1] != "2026-09-27" {
		t.Errorf("on a Monday the baseline ends %s, want the Sunday before", mon[len(mon)-1])
	}
}

// TestHighVolumeDaysDoNotDependOnTheDayJudged: whether a day is left out of
// the baselines as a high-volume day must not depend on which later day is
// being evaluated (metrics.md §8 "Alerts v2": a day's volume ratio is over
// its own baseline, which leaves out the excluded days before it). Shop s1
// has 100 consultations a day from 07-01; 07-21 has 400 (ratio 4: out) and
// 08-14 has 300, which is 3 × the mean of its baseline without 07-21, so it
// is out of every baseline too. The volumes were read for the 56 days
// before the judged day only: judging 09-09, 07-21 was the window's 7th day,
// with 6 days of history, so it stayed in 08-14's baseline (mean 110.7,
// ratio 2.71) and the promotion-sized 08-14 entered 09-09's baseline, while
// judging 09-08 it did not.
func TestHighVolumeDaysDoNotDependOnTheDayJudged(t *testing.T) {
	conn, _ := chtest.New(t)
	ctx := context.Background()
	b, err := conn.PrepareBatch(ctx, "INSERT INTO metric_alert_hours (date, hour, kind, shop_id, product_id, topic, num, den)")
	if err != nil {
		t.Fatal(err)
	}
	for d := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC); d.Before(time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		n := uint64(100)
		switch d.Format(time.DateOnly) {
		case "2026-07-21":
			n = 400
		case "2026-08-14":
			n = 300
		}
		if err := b.Append(d, uint8(10), "volume", "s1", "", "", n, uint64(0)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Send(); err != nil {
		t.Fatal(err)
	}
	r := DefaultSettings().Alerts
	for _, judged := range []string{"2026-09-08", "2026-09-09", "2026-09-10"} {
		ac, err := loadAlertContext(ctx, conn, r, day(judged))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(ac.kept("s1"), "2026-08-14") {
			t.Errorf("judging %s, the high-volume day 2026-08-14 (300 against a baseline of 100) is in the baseline", judged)
		}
	}
}

// TestWindowRulesJudgeOnlySettledDays: conversion_drop and dropoff_spike
// read figures that wait W for orders, so they judge a day only once it is
// settled (end of day + W at or before the latest stored order). With the
// data cut at 10-05 12:00, 10-02 is not settled (its window closes 10-06
// 00:00): shop-03's conversion_drop alert opened 10-01 was closed on 10-02
// (no rule can say on 10-02 that the drop stopped), and a drop-off week
// whose 10-02 consultations had not all ordered yet fired on 10-02. Both
// must wait: the alert stays open, the spike is not raised; a rule that
// does not wait (fallback_spike) still closes. Once 10-02 is settled it is
// judged: the conversion alert closes, the drop-off spike opens.
func TestWindowRulesJudgeOnlySettledDays(t *testing.T) {
	conn, _ := chtest.New(t)
	ctx := context.Background()
	insert := func(stmt string, rows ...[]any) {
		t.Helper()
		b, err := conn.PrepareBatch(ctx, stmt)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := b.Append(r...); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Send(); err != nil {
			t.Fatal(err)
		}
	}
	var volume, dropoff [][]any
	for d := day("2026-08-01"); !d.After(day("2026-10-05")); d = d.AddDate(0, 0, 1) {
		u := utcDate(d)
		volume = append(volume, []any{u, uint8(10), "volume", "shop-03", "", "", uint64(100), uint64(0)})
		dropped, touched := uint64(50), uint64(100)
		if d.Equal(day("2026-10-02")) { // the week so far: 400 of 600, 16.7 points above 50 %
			dropped, touched = 200, 200
		}
		dropoff = append(dropoff, []any{u, "shop-03", "node", "shipping", "", "", touched, dropped})
	}
	insert("INSERT INTO metric_alert_hours (date, hour, kind, shop_id, product_id, topic, num, den)", volume...)
	insert("INSERT INTO metric_dropoff (date, shop_id, level, node, intent, product_id, touched, dropped)", dropoff...)
	order := func(at time.Time) {
		t.Helper()
		insert("INSERT INTO orders (event_id, ts, ts_ms, shop_id, customer_id, order_id, status)",
			[]any{"e-" + at.Format(time.RFC3339), at, at.UnixMilli(), "shop-03", "c1", "o1", "created"})
	}
	opened := day("2026-10-01")
	if err := storeAlerts(ctx, conn, opened, []*Alert{
		{ID: "conversion_drop-x", Rule: RuleConversionDrop, Shop: "shop-03", Subject: "shop-03", Opened: opened, Status: AlertOpen,
			Severity: SeverityWarning, Value: 0.3, Baseline: 0.45, Ratio: 0.67, GMVAtStakeCents: 12_300, Direction: DirectionDown, IntradayHour: -1},
		{ID: "fallback_spike-x", Rule: RuleFallbackSpike, Shop: "shop-03", Subject: "shop-03", Opened: opened, Status: AlertOpen,
			Severity: SeverityInfo, Value: 0.2, Baseline: 0.08, Ratio: 2.5, Direction: DirectionUp, IntradayHour: -1},
	}); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	judged := day("2026-10-02")
	states := func() map[string]Alert {
		t.Helper()
		if _, err := evaluateAlerts(ctx, conn, conn, s, judged); err != nil {
			t.Fatal(err)
		}
		as, err := Alerts(ctx, conn, Query{From: judged, To: judged})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]Alert{}
		for _, a := range as {
			out[a.Rule] = a
		}
		return out
	}

	order(time.Date(2026, 10, 5, 12, 0, 0, 0, shanghai)) // data cut at 10-05 12:00
	got := states()
	if a, ok := got[RuleConversionDrop]; !ok || a.Status != AlertOpen || a.ID != "conversion_drop-x" || a.Value != 0.3 || a.GMVAtStakeCents != 0 {
		t.Errorf("unsettled 10-02: conversion_drop alert opened 10-01 is %+v, want it open with 10-01's figures and no money of its own", a)
	}
	if a := got[RuleFallbackSpike]; a.Status != AlertClosed {
		t.Errorf("unsettled 10-02: fallback_spike (not waiting for orders) is %q, want closed", a.Status)
	}
	if a, ok := got[RuleDropoffSpike]; ok {
		t.Errorf("unsettled 10-02 raised dropoff_spike %+v", a)
	}

	order(time.Date(2026, 10, 6, 0, 0, 0, 0, shanghai)) // 10-02's window has closed
	got = states()
	if a := got[RuleConversionDrop]; a.Status != AlertClosed {
		t.Errorf("settled 10-02 without a drop: conversion_drop is %q, want closed", a.Status)
	}
	if a, ok := got[RuleDropoffSpike]; !ok || a.Status != AlertOpen || !a.Opened.Equal(utcDate(judged)) {
		t.Errorf("settled 10-02: dropoff_spike is %+v, want opened 10-02", a)
	}
}
