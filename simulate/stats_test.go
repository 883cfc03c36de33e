package simulate

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/convintel/convintel/ingest"
)

// decodeAll decodes lines, dropping repeated event ids.
func decodeAll(t *testing.T, lines [][]byte) []ingest.Event {
	t.Helper()
	dec := ingest.NewDecoder()
	seen := map[string]bool{}
	out := make([]ingest.Event, 0, len(lines))
	for _, l := range lines {
		var e ingest.Event
		if err := decode(dec, l, &e); err != nil {
			t.Fatal(err)
		}
		if !seen[e.EventID] {
			seen[e.EventID] = true
			out = append(out, e)
		}
	}
	return out
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.3f ± %.3f", what, got, want, tol)
	} else {
		t.Logf("%s = %.3f (want %.3f ± %.3f)", what, got, want, tol)
	}
}

func TestRates(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days = 14
	cfg.ConsultationsPerShopDay = 250
	cfg.FallbackRate = 0.2
	cfg.EnglishShare = 0.1
	lines, tl := collect(t, cfg)
	evs := decodeAll(t, lines)

	shares := cfg.BotOnlyShare + cfg.HandoffShare + cfg.HumanOnlyShare + cfg.UnansweredShare
	ps := float64(tl.PreSaleConsultations)
	near(t, "bot_only share", float64(tl.PreSaleByResponder[classBotOnly])/ps, cfg.BotOnlyShare/shares, 0.03)
	near(t, "bot_to_human share", float64(tl.PreSaleByResponder[classBotToHuman])/ps, cfg.HandoffShare/shares, 0.03)
	near(t, "human_only share", float64(tl.PreSaleByResponder[classHumanOnly])/ps, cfg.HumanOnlyShare/shares, 0.03)
	near(t, "unanswered share", float64(tl.PreSaleByResponder[classUnanswered])/ps, cfg.UnansweredShare/shares, 0.03)
	// Return visits are pre-sale and come on top of the configured share.
	near(t, "pre-sale share", ps/float64(tl.Consultations), cfg.PreSaleShare+0.04, 0.05)
	perShopDay := float64(tl.Consultations) / float64(cfg.Shops*cfg.Days)
	near(t, "consultations per shop-day", perShopDay, float64(cfg.ConsultationsPerShopDay)*1.08, float64(cfg.ConsultationsPerShopDay)*0.1)

	var botMsgs, fallbacks, later, unlabelled int64
	var hours [24]int64
	decided := map[string]bool{}
	english := map[string]bool{} // buyer → all customer messages ASCII
	created, paid := map[string]bool{}, map[string]bool{}
	lastCreated := cfg.End().UnixMilli() - 3*msDay
	for _, e := range evs {
		switch e.Type {
		case ingest.TypeConversationStarted:
			hours[(e.TsMs/msHour+8)%24]++
		case ingest.TypeMessage:
			switch e.Sender {
			case "bot":
				botMsgs++
				if e.BotFallback {
					fallbacks++
				}
			case "customer":
				if decided[e.ConversationID] {
					later++
					if e.Intent == "" {
						unlabelled++
					}
				} else if substantive(e.Intent) {
					decided[e.ConversationID] = true
				}
				k := e.ShopID + "/" + e.CustomerID
				ascii := utf8.RuneCountInString(e.Text) == len(e.Text)
				if prev, ok := english[k]; ok {
					english[k] = prev && ascii
				} else {
					english[k] = ascii
				}
			}
		case ingest.TypeOrder:
			switch e.Status {
			case "created":
				if e.TsMs < lastCreated {
					created[e.OrderID] = true
				}
			case "paid":
				paid[e.OrderID] = true
			}
		}
	}
	// Greetings and thanks never fall back, so the share of all bot
	// messages is below the configured rate of answers to questions.
	fb := float64(fallbacks) / float64(botMsgs)
	if fb < 0.4*cfg.FallbackRate || fb > cfg.FallbackRate {
		t.Errorf("fallback share of bot messages %.3f, want within [%.3f, %.3f]", fb, 0.4*cfg.FallbackRate, cfg.FallbackRate)
	}
	near(t, "unlabelled share of later customer messages", float64(unlabelled)/float64(later), cfg.UnlabelledShare, 0.03)
	en := 0
	for _, v := range english {
		if v {
			en++
		}
	}
	near(t, "English buyers", float64(en)/float64(len(english)), cfg.EnglishShare, 0.025)
	var paidOfCreated int
	for id := range created {
		if paid[id] {
			paidOfCreated++
		}
	}
	near(t, "pay rate", float64(paidOfCreated)/float64(len(created)), cfg.PayRate, 0.03)
	peak := 0
	for h := range hours {
		if hours[h] > hours[peak] {
			peak = h
		}
	}
	if !slices.Contains([]int{10, 11, 20, 21, 22}, peak) || hours[4]*8 > hours[peak] {
		t.Errorf("daily curve: peak at %dh, hours %v", peak, hours)
	}
	if tl.UnlabelledUndecided != 0 {
		t.Errorf("unlabelled_undecided = %d", tl.UnlabelledUndecided)
	}
}

func TestAnomaliesVisible(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days = 28
	cfg.ConsultationsPerShopDay = 150
	surge := TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 15, Factor: 4}
	fbs := FallbackSpike{Shop: "shop-02", Day: 10, Rate: 0.5}
	drop := DropoffSpike{Shop: "shop-01", Stage: "shipping", Week: 2, ExtraAbandon: 0.5}
	cfg.Anomalies = []Anomaly{surge, fbs, drop}
	lines, tl := collect(t, cfg)
	evs := decodeAll(t, lines)
	start := cfg.Start.UnixMilli()
	day := func(ms int64) int { return int((ms - start) / msDay) }

	if len(tl.Anomalies) != 3 {
		t.Fatalf("tally lists %d anomalies", len(tl.Anomalies))
	}
	for _, a := range tl.Anomalies {
		t.Logf("planted %+v", a)
	}

	// Topic surge: shelf-life questions with the product's id that day.
	shelf := make([]float64, cfg.Days)
	for _, e := range evs {
		if e.Type == ingest.TypeMessage && e.Sender == "customer" && e.ProductID == surge.Product &&
			(strings.Contains(e.Text, "保质期") || strings.Contains(e.Text, "生产日期") || strings.Contains(e.Text, "shelf life")) {
			shelf[day(e.TsMs)]++
		}
	}
	other := 0.0
	for d, n := range shelf {
		if d != surge.Day {
			other += n
		}
	}
	other /= float64(cfg.Days - 1)
	t.Logf("shelf-life messages on the surge day %v, other days mean %.2f", shelf[surge.Day], other)
	if shelf[surge.Day] < surge.Factor*other || shelf[surge.Day] < 30 {
		t.Errorf("topic surge not visible: %v vs mean %.2f", shelf[surge.Day], other)
	}

	// Fallback spike: the shop's fallback share of bot messages that day.
	var bot, fb [28]float64
	for _, e := range evs {
		if e.Type == ingest.TypeMessage && e.Sender == "bot" && e.ShopID == fbs.Shop {
			bot[day(e.TsMs)]++
			if e.BotFallback {
				fb[day(e.TsMs)]++
			}
		}
	}
	base := 0.0
	for d := range bot {
		if d != fbs.Day {
			base += fb[d] / bot[d]
		}
	}
	base /= float64(len(bot) - 1)
	spike := fb[fbs.Day] / bot[fbs.Day]
	t.Logf("fallback share on the spike day %.3f (bot messages %v), baseline %.3f", spike, bot[fbs.Day], base)
	if spike < 2*base || bot[fbs.Day] < 100 {
		t.Errorf("fallback spike not visible: %.3f vs %.3f", spike, base)
	}

	// Drop-off spike (metrics.md §4 from the upstream labels): abandonment
	// at the shipping node of the shop, by week.
	type conv struct {
		shop, buyer string
		start       int64
		lastNode    int
		touched     bool
		orderRef    bool
		first       string
	}
	convs := map[string]*conv{}
	var ids []string
	createdBy := map[string][]int64{}
	for _, e := range evs {
		if e.Type == ingest.TypeOrder {
			if e.Status == "created" || e.Status == "paid" {
				createdBy[e.ShopID+"/"+e.CustomerID] = append(createdBy[e.ShopID+"/"+e.CustomerID], e.TsMs)
			}
			continue
		}
		if e.Type != ingest.TypeMessage {
			continue
		}
		c := convs[e.ConversationID]
		if c == nil {
			c = &conv{shop: e.ShopID, buyer: e.CustomerID, start: -1}
			convs[e.ConversationID] = c
			ids = append(ids, e.ConversationID)
		}
		if e.OrderID != "" {
			c.orderRef = true
		}
		if e.Sender != "customer" {
			continue
		}
		if c.start < 0 {
			c.start = e.TsMs
		}
		if c.first == "" && substantive(e.Intent) {
			c.first = e.Intent
		}
		if s := stageOf(e.Intent); s != stageNone {
			c.lastNode = s
			if s == stageShipping {
				c.touched = true
			}
		}
	}
	var touched, dropped [4]float64
	for _, id := range ids {
		c := convs[id]
		if c.shop != drop.Shop || c.start < 0 || c.orderRef || (c.first != "" && !preSaleIntents[c.first]) || !c.touched {
			continue
		}
		w := cfg.weekOf(day(c.start))
		touched[w]++
		converted := false
		for _, ts := range createdBy[c.shop+"/"+c.buyer] {
			if ts >= c.start && ts <= c.start+72*msHour {
				converted = true
			}
		}
		if !converted && c.lastNode == stageShipping {
			dropped[w]++
		}
	}
	rate := func(w int) float64 { return dropped[w] / touched[w] }
	before := (rate(0) + rate(1)) / 2
	t.Logf("shipping abandonment by week: %.3f %.3f [%.3f] %.3f (touched %v)", rate(0), rate(1), rate(2), rate(3), touched)
	if rate(2)-before < 0.10 || touched[2] < 50 {
		t.Errorf("drop-off spike not visible: week 2 %.3f vs %.3f before", rate(2), before)
	}
}
