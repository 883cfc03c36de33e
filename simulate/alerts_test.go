package simulate

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/convintel/convintel/ingest"
)

// TestPromotionsAndAlertsV2Anomalies: a promotion day multiplies one
// shop's traffic and leaves the other alone; an intraday topic surge and
// an intraday fallback spike start at their hour; a negative surge plants
// complaints about its product only; a conversion drop cuts the shop's
// order rate; and the tally records all of them.
func TestPromotionsAndAlertsV2Anomalies(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 14, 2, 150
	cfg.Promotions = []Promotion{{Day: 10, Factor: 5, Shops: []string{"shop-01"}}}
	cfg.Anomalies = []Anomaly{
		TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 8, Factor: 5, StartHour: 12},
		NegativeSurge{Shop: "shop-02", Product: "p02-dress", Day: 9, Rate: 0.5},
		ConversionDrop{Shop: "shop-02", Day: 11, Drop: 0.7},
		FallbackSpike{Shop: "shop-02", Day: 12, Rate: 0.6, StartHour: 14},
	}
	lines, tl := collect(t, cfg)
	dec := ingest.NewDecoder()
	type key struct {
		shop string
		day  int
	}
	consults := map[key]int{}
	var surgeBefore, surgeAfter, surgeOther int // milk-powder shelf-life questions
	var fbBefore, fbAfter, botBefore, botAfter int
	complaintDays := map[string]int{}
	for _, l := range lines {
		var e ingest.Event
		if err := dec.Decode(l, &e); err != nil {
			t.Fatal(err)
		}
		d := int((e.TsMs - cfg.Start.UnixMilli()) / msDay)
		hour := int((e.TsMs-cfg.Start.UnixMilli())%msDay) / int(msHour)
		if e.Type == ingest.TypeConversationStarted {
			consults[key{e.ShopID, d}]++
		}
		if e.Type != ingest.TypeMessage {
			continue
		}
		if e.Sender == "customer" && e.ProductID == "p01-milk-powder" && (strings.Contains(e.Text, "保质期") || strings.Contains(e.Text, "生产日期")) {
			switch {
			case d == 8 && hour < 12:
				surgeBefore++
			case d == 8:
				surgeAfter++
			case d == 7:
				surgeOther++
			}
		}
		if e.Sender == "customer" && slices.Contains(append(complaints.zh, complaints.en...), e.Text) {
			complaintDays[e.ShopID+" "+e.ProductID+" "+cfg.dayStart(d).Format("01-02")]++
		}
		if e.Sender == "bot" && e.ShopID == "shop-02" && d == 12 {
			if hour < 13 { // conversations starting before 14:00 keep the usual rate
				botBefore++
				if e.BotFallback {
					fbBefore++
				}
			} else if hour >= 15 {
				botAfter++
				if e.BotFallback {
					fbAfter++
				}
			}
		}
	}
	mean := func(shop string) float64 {
		n, s := 0, 0
		for d := 0; d < 10; d++ {
			n++
			s += consults[key{shop, d}]
		}
		return float64(s) / float64(n)
	}
	if r := float64(consults[key{"shop-01", 10}]) / mean("shop-01"); r < 4 || r > 6 {
		t.Errorf("promotion day: shop-01 has %.2f × its usual conversations, want ≈ 5", r)
	}
	if r := float64(consults[key{"shop-02", 10}]) / mean("shop-02"); r < 0.8 || r > 1.25 {
		t.Errorf("promotion day of shop-01 changed shop-02's traffic × %.2f", r)
	}
	if surgeAfter < 4*max(1, surgeBefore) || surgeAfter < 30 {
		t.Errorf("intraday surge from 12:00: %d shelf-life questions before, %d after (day before: %d)", surgeBefore, surgeAfter, surgeOther)
	}
	if fb, fa := float64(fbBefore)/float64(botBefore), float64(fbAfter)/float64(botAfter); fb > 0.15 || fa < 3*fb {
		t.Errorf("fallback spike from 14:00: rate %.2f before, %.2f after", fb, fa)
	}
	if len(complaintDays) != 1 || complaintDays["shop-02 p02-dress 09-16"] < 5 {
		t.Errorf("complaints planted: %v, want only shop-02 p02-dress on day 9", complaintDays)
	}
	rate := map[string]float64{}
	var others []float64
	for _, r := range tl.Conversion {
		if r.ShopID != "shop-02" {
			continue
		}
		v := float64(r.OrderedBuyers) / float64(r.ConsultingBuyers)
		rate[r.Date] = v
		if r.Date != cfg.dayStart(11).Format("2006-01-02") && r.Date < cfg.dayStart(11).Format("2006-01-02") {
			others = append(others, v)
		}
	}
	avg := 0.0
	for _, v := range others {
		avg += v
	}
	avg /= float64(len(others))
	if got := rate[cfg.dayStart(11).Format("2006-01-02")]; got > 0.75*avg {
		t.Errorf("conversion drop: order rate %.3f on the day vs %.3f before", got, avg)
	}
	kinds := map[string]PlantedAnomaly{}
	for _, a := range tl.Anomalies {
		kinds[a.Kind] = a
	}
	if a := kinds["topic_surge"]; a.StartHour != 12 || a.Promotion != 1 || a.PlantedMessages < 30 {
		t.Errorf("tally topic surge: %+v", a)
	}
	if a := kinds["negative_surge"]; a.ProductID != "p02-dress" || a.PlantedMessages < 5 {
		t.Errorf("tally negative surge: %+v", a)
	}
	if a := kinds["conversion_drop"]; a.Drop != 0.7 || a.Date != "2026-09-18" {
		t.Errorf("tally conversion drop: %+v", a)
	}
	if len(tl.Promotions) != 1 || tl.Promotions[0] != (PlantedPromotion{Date: "2026-09-17", ShopID: "shop-01", Factor: 5}) {
		t.Errorf("tally promotions: %+v", tl.Promotions)
	}
}

func TestParsePromotionAndNewAnomalies(t *testing.T) {
	p, err := ParsePromotion("day=30,factor=4,shops=shop-01+shop-03")
	if err != nil || p.Day != 30 || p.Factor != 4 || !slices.Equal(p.Shops, []string{"shop-01", "shop-03"}) {
		t.Fatalf("ParsePromotion: %+v %v", p, err)
	}
	if _, err := ParsePromotion("factor=4"); err == nil || !strings.Contains(err.Error(), "day and factor") {
		t.Fatalf("missing day: %v", err)
	}
	a, err := ParseAnomaly("negative_surge:shop=shop-01,product=p01-nuts,day=20,rate=0.3,hour=10")
	if err != nil || a != (NegativeSurge{Shop: "shop-01", Product: "p01-nuts", Day: 20, Rate: 0.3, StartHour: 10}) {
		t.Fatalf("negative_surge: %+v %v", a, err)
	}
	a, err = ParseAnomaly("conversion_drop:shop=shop-02,day=5,drop=0.5")
	if err != nil || a != (ConversionDrop{Shop: "shop-02", Day: 5, Drop: 0.5}) {
		t.Fatalf("conversion_drop: %+v %v", a, err)
	}
	cfg := DefaultConfig()
	cfg.Promotions = []Promotion{{Day: 99, Factor: 4}}
	cfg.Anomalies = []Anomaly{FallbackSpike{Shop: "shop-01", Day: 3, Rate: 0.5, StartHour: 24}}
	err = cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), "promotions[0]: day 99") {
		t.Fatalf("bad promotion day: %v", err)
	}
	cfg.Promotions = nil
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "start_hour") {
		t.Fatalf("bad start hour: %v", err)
	}
}

// TestAlertScenarioCounts: every simulated month of the precision/recall
// harness plants 3–6 anomalies of every rule (issue 17), at least one of
// each hourly rule intraday, never a shop-wide anomaly on a clean
// promotion day or two on one shop-day, and no conversion drop in the 3
// days before the shop's promotion.
func TestAlertScenarioCounts(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days, cfg.Shops = 28, 3
	for seed := uint64(1); seed <= 40; seed++ {
		sc, err := AlertScenario(cfg, seed, 0)
		if err != nil {
			t.Fatal(err)
		}
		count, intraday := map[string]int{}, map[string]int{}
		shopDay := map[string]string{}
		for _, a := range sc.Anomalies {
			count[a.Kind()]++
			var shop string
			var d, h int
			switch a := a.(type) {
			case TopicSurge:
				shop, d, h = a.Shop, a.Day, a.StartHour
			case NegativeSurge:
				shop, d, h = a.Shop, a.Day, a.StartHour
			case FallbackSpike:
				shop, d, h = a.Shop, a.Day, a.StartHour
				if k := shop + " " + strconv.Itoa(d); shopDay[k] != "" {
					t.Errorf("seed %d: %s and a fallback spike on %s", seed, shopDay[k], k)
				} else {
					shopDay[k] = a.Kind()
				}
			case ConversionDrop:
				shop, d = a.Shop, a.Day
				for dd := d - 1; dd <= d+1; dd++ {
					if k := shop + " " + strconv.Itoa(dd); shopDay[k] != "" {
						t.Errorf("seed %d: conversion drop on %s day %d next to a %s", seed, shop, d, shopDay[k])
					}
				}
				for _, p := range sc.Promotions {
					if p.covers(shop) && p.Day > d && p.Day <= d+3 {
						t.Errorf("seed %d: conversion drop on %s day %d, promotion on day %d", seed, shop, d, p.Day)
					}
				}
			case DropoffSpike:
				continue
			}
			if h > 0 {
				intraday[a.Kind()]++
			}
			if slices.Contains(sc.CleanPromotionDays[d], shop) {
				t.Errorf("seed %d: %s planted on a clean promotion day %d of %s", seed, a.Kind(), d, shop)
			}
		}
		for _, k := range []string{"topic_surge", "negative_surge", "fallback_spike", "conversion_drop", "dropoff_spike"} {
			if count[k] < 3 || count[k] > 6 {
				t.Errorf("seed %d: %d %s planted, want 3–6", seed, count[k], k)
			}
		}
		for _, k := range []string{"topic_surge", "negative_surge", "fallback_spike"} {
			if intraday[k] < 1 {
				t.Errorf("seed %d: no intraday %s", seed, k)
			}
		}
	}
}
