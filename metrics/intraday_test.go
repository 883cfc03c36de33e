package metrics

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestIntraday: the hourly evaluation finds an intraday topic surge within
// three hours of its start (it needs 20 messages) and not before it, stays silent through a
// promotion day, gives the alert the id the daily evaluation gives it, and
// its day-so-far series over a whole day equals the hourly table built
// from the consultation summary.
func TestIntraday(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 5, 16, 2, 200
	cfg.Promotions = []simulate.Promotion{{Day: 13, Factor: 5}}
	cfg.Anomalies = []simulate.Anomaly{simulate.TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 15, Factor: 40, StartHour: 10}}
	simulated(t, conn, cfg)
	ctx := context.Background()
	s := DefaultSettings()
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(ctx, warehouse.Single(conn, db), s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) IntradayReport {
		t.Helper()
		rep, err := EvaluateIntraday(ctx, conn, s, cfg.Start.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	// Day-so-far series over the whole of day 12 vs the hourly table.
	d12 := cfg.Start.AddDate(0, 0, 12)
	stmt, err := render("alert_intraday", map[string]int64{"FromMs": d12.UnixMilli(), "FromSec": d12.Unix(),
		"CutoffMs": d12.AddDate(0, 0, 1).UnixMilli(), "CutoffSec": d12.AddDate(0, 0, 1).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	live := map[SeriesKey]point{}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k SeriesKey
		var p point
		if err := rows.Scan(&k.Rule, &k.Shop, &k.Product, &k.Topic, &p.num, &p.den); err != nil {
			t.Fatal(err)
		}
		live[k] = p
	}
	rows.Close()
	stored, err := hourSeries(ctx, conn, d12, d12, 24, "volume", RuleTopicSurge, RuleNegativeSurge, RuleFallbackSpike, "product_messages")
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) < 20 {
		t.Fatalf("hourly table has only %d series for %s", len(stored), d12.Format(time.DateOnly))
	}
	for _, h := range stored {
		l := live[h.key]
		// Conversations running past midnight lose their events after it
		// in the day-so-far read: a few in a thousand.
		if math.Abs(l.num-h.p.num) > 0.02*h.p.num+2 || math.Abs(l.den-h.p.den) > 0.02*h.p.den+2 {
			t.Errorf("%+v: day so far %v, hourly table %v", h.key, l, h.p)
		}
	}

	// Promotion day (×5, every shop): silent all day.
	for _, h := range []int{10, 14, 20, 24} {
		if rep := at(13, h); len(rep.Alerts) != 0 {
			t.Errorf("promotion day at %02d:00 raised %+v", h, rep.Alerts)
		}
	}
	// The surge starts at 10:00 on day 15.
	if rep := at(15, 10); len(rep.Alerts) != 0 {
		t.Errorf("before the surge (10:00) raised %+v", rep.Alerts)
	}
	var found *IntradayAlert
	for h := 11; h <= 13 && found == nil; h++ {
		for _, a := range at(15, h).Alerts {
			if a.Rule == RuleTopicSurge && a.Product == "p01-milk-powder" && a.Topic == "shelf_life" {
				found = &a
			} else {
				t.Errorf("unexpected intraday alert at %02d:00: %+v", h, a)
			}
		}
	}
	if found == nil {
		t.Fatal("the 10:00 surge was not found by 13:00")
	}
	if !found.New || int(found.IntradayHour) != found.Hour || len(found.Evidence) == 0 || found.ActionZH == "" {
		t.Errorf("intraday alert: %+v", *found)
	}
	// A rerun of the same hour is identical and the alert stays the same one.
	again := at(15, found.Hour)
	if len(again.Alerts) != 1 || again.Alerts[0].ID != found.ID || again.Alerts[0].Value != found.Value {
		t.Errorf("rerun of %02d:00: %+v, want %+v", found.Hour, again.Alerts, *found)
	}
	later := at(15, found.Hour+2)
	if len(later.Alerts) != 1 || later.Alerts[0].ID != found.ID || later.Alerts[0].New || int(later.Alerts[0].IntradayHour) != found.Hour {
		t.Errorf("two hours later: %+v", later.Alerts)
	}
}
