package metrics

import (
	"context"
	"maps"
	"math"
	"os"
	"strings"
	"testing"
	"text/template"
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
	live, _, err := daySoFar(ctx, conn, []warehouse.Conn{conn}, d12, 24)
	if err != nil {
		t.Fatal(err)
	}
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

// TestIntradayPartsMatchRaw: the day so far summed from the hourly rows of
// metric_alert_intraday_parts equals, series for series, a read of the raw
// events (testdata/alert_intraday_raw.sql) at every cutoff; an unchanged
// hour is not recomputed; events that arrive late for a finished hour, and
// their re-delivery, are counted once on the next evaluation; and days
// before the evaluated day's eve are dropped.
func TestIntradayPartsMatchRaw(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	conn, _ := chtest.New(t)
	ctx := context.Background()
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 9, 3, 2, 150
	simulated(t, conn, cfg)
	raw, err := os.ReadFile("testdata/alert_intraday_raw.sql")
	if err != nil {
		t.Fatal(err)
	}
	ref := template.Must(template.New("raw").Parse(string(raw)))
	reference := func(d time.Time, hour int) map[SeriesKey]point {
		t.Helper()
		cut := d.Add(time.Duration(hour) * time.Hour)
		var b strings.Builder
		if err := ref.Execute(&b, map[string]int64{"FromMs": d.UnixMilli(), "FromSec": d.Unix(), "CutoffMs": cut.UnixMilli(), "CutoffSec": cut.Unix()}); err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, b.String())
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[SeriesKey]point{}
		for rows.Next() {
			var k SeriesKey
			var p point
			if err := rows.Scan(&k.Rule, &k.Shop, &k.Product, &k.Topic, &p.num, &p.den); err != nil {
				t.Fatal(err)
			}
			out[k] = p
		}
		return out
	}
	same := func(what string, d time.Time, hour int) map[SeriesKey]point {
		t.Helper()
		got, _, err := daySoFar(ctx, conn, []warehouse.Conn{conn}, d, hour)
		if err != nil {
			t.Fatal(err)
		}
		want := reference(d, hour)
		if len(want) < 10 {
			t.Fatalf("%s: the reference has only %d series", what, len(want))
		}
		if !maps.Equal(got, want) {
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s at %02d:00: %+v: parts %v, raw %v", what, hour, k, got[k], w)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s at %02d:00: %+v: parts %v, not in raw", what, hour, k, g)
				}
			}
		}
		return got
	}
	d0, d1, d2 := cfg.Start, cfg.Start.AddDate(0, 0, 1), cfg.Start.AddDate(0, 0, 2)
	same("day 0", d0, 24)
	for _, h := range []int{6, 11, 12, 17, 24} {
		same("day 1", d1, h)
	}
	if n, err := refreshIntraday(ctx, conn, d1, 24); err != nil || n != 0 {
		t.Errorf("a rerun over unchanged hours recomputed %d hours (%v), want 0", n, err)
	}
	before := same("day 1", d1, 24)

	// A negative consultation about a product at 03:10 arrives at the end
	// of the day, delivered twice.
	ts := d1.Add(3*time.Hour + 10*time.Minute)
	at := func(s int) string {
		return ts.Add(time.Duration(s) * time.Second).Format("2006-01-02T15:04:05.000Z07:00")
	}
	product := simulate.Shops(1)[0].Products[0].ID
	late := []string{
		`{"event_id":"late-1","type":"conversation_started","ts":"` + at(0) + `","shop_id":"shop-01","customer_id":"late-b","channel":"tmall","conversation_id":"late-c","product_id":"` + product + `"}`,
		`{"event_id":"late-2","type":"message","ts":"` + at(5) + `","shop_id":"shop-01","customer_id":"late-b","channel":"tmall","conversation_id":"late-c","sender":"customer","text":"质量太差了，退货","x_sentiment":"negative"}`,
	}
	for range 2 {
		loadLines(t, conn, func(emit func([]byte) error) error {
			for _, l := range late {
				if err := emit([]byte(l)); err != nil {
					return err
				}
			}
			return nil
		}, enricher(t))
	}
	if n, err := refreshIntraday(ctx, conn, d1, 24); err != nil || n != 1 {
		t.Errorf("after late events for 03:00 the refresh recomputed %d hours (%v), want 1", n, err)
	}
	after := same("day 1 with late events", d1, 24)
	vol := SeriesKey{Rule: "volume", Shop: "shop-01"}
	neg := SeriesKey{Rule: RuleNegativeSurge, Shop: "shop-01", Product: product}
	if after[vol].num != before[vol].num+1 || after[neg].num != before[neg].num+1 || after[neg].den != before[neg].den+1 {
		t.Errorf("late consultation: volume %v → %v, negative %v → %v; want each +1", before[vol], after[vol], before[neg], after[neg])
	}

	// Day 2's evaluation keeps day 1 (its eve) and drops day 0.
	same("day 2", d2, 9)
	for _, table := range []string{"metric_alert_intraday_parts", "metric_alert_intraday_series"} {
		rows, err := queryFile(ctx, conn, "alert_intraday_partitions", map[string]string{"Table": table})
		if err != nil {
			t.Fatal(err)
		}
		days := map[string]bool{}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			days[p[1:9]] = true
		}
		rows.Close()
		if days[d0.Format("20060102")] || !days[d1.Format("20060102")] || !days[d2.Format("20060102")] {
			t.Errorf("%s after day 2's evaluation holds days %v, want %s and %s only", table, days, d1.Format("20060102"), d2.Format("20060102"))
		}
	}
}
