package simulate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/convintel/convintel/ingest"
)

// TestTallyByHand feeds hand-made events to the tallier and checks each
// edge of metrics.md §1 and §2 against numbers worked out by hand.
func TestTallyByHand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days = 7
	tl := newTallier(cfg)
	start := cfg.Start.UnixMilli()
	at := func(d, h, m int) int64 { return start + int64(d)*msDay + int64(h)*msHour + int64(m)*msMinute }
	var evs []event
	msg := func(ts int64, buyer, conv, sender, intent, orderID string) {
		e := event{typ: evMessage, ts: ts, shop: "s1", customer: buyer, channel: "taobao", conv: conv, sender: sender, intent: intent, orderID: orderID, text: "x"}
		if sender == "agent" {
			e.agent = "a1"
		}
		evs = append(evs, e)
	}
	ord := func(ts int64, buyer, id, status string, cents int64) {
		evs = append(evs, event{typ: evOrder, ts: ts, shop: "s1", customer: buyer, orderID: id, status: status, amount: cents})
	}
	// Buyer A: bot-only anchor at 10:00 on day 0, a human-only chat later.
	msg(at(0, 10, 0), "A", "a1", "customer", "price_promo", "")
	msg(at(0, 10, 0)+500, "A", "a1", "bot", "", "")
	msg(at(0, 15, 0), "A", "a2", "customer", "greeting", "")
	msg(at(0, 15, 1), "A", "a2", "customer", "stock", "")
	msg(at(0, 15, 2), "A", "a2", "agent", "", "")
	ord(at(0, 10, 30), "A", "oA1", "created", 10000)
	ord(at(0, 11, 0), "A", "oA1", "paid", 10000)
	ord(at(3, 10, 0), "A", "oA2", "paid", 5000) // no created; exactly t0+W
	// Buyer B: unanswered just before midnight; orders at midnight.
	msg(at(1, 0, 0)-1, "B", "b1", "customer", "shipping_fee", "")
	ord(at(1, 0, 0), "B", "oB1", "created", 8000)
	ord(at(1, 0, 0)+1, "B", "oB1", "paid", 8000)
	ord(at(1, 2, 0), "B", "oB1", "paid", 9900) // a resent paid: ignored
	// Buyer C: after-sale chat, then a greeting-only pre-sale chat.
	msg(at(1, 7, 0), "C", "c1", "customer", "order_status", "oC0")
	msg(at(1, 7, 1), "C", "c1", "bot", "", "")
	ord(at(1, 8, 0), "C", "oC1", "created", 3000)
	msg(at(1, 9, 0), "C", "c2", "customer", "greeting", "")
	msg(at(1, 9, 1), "C", "c2", "bot", "", "")
	ord(at(1, 9, 30), "C", "oC1", "paid", 3000)
	ord(at(2, 9, 0), "C", "oC1", "refunded", 1000)
	// Buyer D: an after-sale intent without order id, then bot→human.
	msg(at(2, 12, 0), "D", "d1", "customer", "refund", "")
	msg(at(2, 12, 1), "D", "d1", "bot", "", "")
	msg(at(2, 13, 0), "D", "d2", "customer", "size_fit", "")
	msg(at(2, 13, 1), "D", "d2", "bot", "", "")
	evs = append(evs, event{typ: evHandoff, ts: at(2, 13, 2), shop: "s1", customer: "D", conv: "d2", reason: "customer_request"})
	ord(at(5, 13, 0)+1, "D", "oD1", "created", 2000)
	ord(at(5, 13, 0)+2, "D", "oD1", "paid", 2000)

	slices.SortStableFunc(evs, func(a, b event) int { return cmp.Compare(a.ts, b.ts) })
	for i := range evs {
		tl.observe(&evs[i], "")
	}
	got := tl.result()

	wantConv := []ConversionRow{
		{Date: "2026-09-07", ShopID: "s1", ConsultingBuyers: 2, OrderedBuyers: 2, SameDayPaidBuyers: 1, FinalPaidBuyers: 2, FinalPaidAmount: 23000},
		{Date: "2026-09-08", ShopID: "s1", ConsultingBuyers: 1, OrderedBuyers: 0, SameDayPaidBuyers: 1, FinalPaidBuyers: 1, FinalPaidAmount: 3000},
		{Date: "2026-09-09", ShopID: "s1", ConsultingBuyers: 1},
	}
	if !slices.Equal(got.Conversion, wantConv) {
		t.Fatalf("conversion:\n got %+v\nwant %+v", got.Conversion, wantConv)
	}
	wantGMV := []GMVRow{
		{Date: "2026-09-07", ShopID: "s1", Bucket: "bot", Orders: 1, GMV: 10000},
		{Date: "2026-09-08", ShopID: "s1", Bucket: "unattributed", Orders: 2, GMV: 11000, Refunded: 1000},
		{Date: "2026-09-10", ShopID: "s1", Bucket: "human", Orders: 1, GMV: 5000},
		{Date: "2026-09-12", ShopID: "s1", Bucket: "unattributed", Orders: 1, GMV: 2000},
	}
	if !slices.Equal(got.GMV, wantGMV) {
		t.Fatalf("gmv:\n got %+v\nwant %+v", got.GMV, wantGMV)
	}
	wantAgent := []AgentGMVRow{{Date: "2026-09-10", ShopID: "s1", AgentID: "a1", Orders: 1, GMV: 5000}}
	if !slices.Equal(got.GMVByAgent, wantAgent) {
		t.Fatalf("gmv by agent:\n got %+v\nwant %+v", got.GMVByAgent, wantAgent)
	}
	if got.PreSaleByResponder[classBotToHuman] != 1 || got.PreSaleByResponder[classUnanswered] != 1 || got.PreSaleConsultations != 5 {
		t.Fatalf("pre-sale by responder %v, total %d", got.PreSaleByResponder, got.PreSaleConsultations)
	}
}

// naive recomputes conversion and GMV from decoded JSON lines with plain
// loops, a second implementation to hold the tallier to.
type naiveConv struct {
	agentTs                 []int64
	agentID                 []string
	shop, customer, channel string
	start                   int64
	preSale                 bool
	class                   string
}

type naiveOrder struct {
	shop, customer            string
	created, paid, paidAmount int64
	refunded                  int64
}

func naive(t *testing.T, cfg Config, lines [][]byte) (conv, gmv, byAgent map[string]string, byType map[string]int64) {
	dec := ingest.NewDecoder()
	seen := map[string]bool{}
	byConv := map[string][]ingest.Event{}
	var convOrder []string
	orders := map[string]*naiveOrder{}
	byType = map[string]int64{}
	for _, l := range lines {
		var e ingest.Event
		if err := decode(dec, l, &e); err != nil {
			t.Fatal(err)
		}
		if seen[e.EventID] {
			continue
		}
		seen[e.EventID] = true
		byType[e.Type]++
		if e.Type == ingest.TypeOrder {
			o := orders[e.OrderID]
			if o == nil {
				o = &naiveOrder{shop: e.ShopID, customer: e.CustomerID, created: -1, paid: -1}
				orders[e.OrderID] = o
			}
			switch e.Status {
			case "created":
				if o.created < 0 || e.TsMs < o.created {
					o.created = e.TsMs
				}
			case "paid":
				if o.paid < 0 || e.TsMs < o.paid {
					o.paid, o.paidAmount = e.TsMs, e.AmountCents
				}
			case "refunded":
				o.refunded += e.AmountCents
			}
			continue
		}
		if byConv[e.ConversationID] == nil {
			convOrder = append(convOrder, e.ConversationID)
		}
		byConv[e.ConversationID] = append(byConv[e.ConversationID], e)
	}
	var convs []naiveConv
	for _, id := range convOrder {
		evs := byConv[id]
		slices.SortStableFunc(evs, func(a, b ingest.Event) int { return cmp.Compare(a.TsMs, b.TsMs) })
		c := naiveConv{shop: evs[0].ShopID, customer: evs[0].CustomerID, start: -1}
		var bot, agent, handoff, orderRef bool
		firstIntent := ""
		for _, e := range evs {
			if c.channel == "" && e.Channel != "" && c.start < 0 {
				c.channel = e.Channel
			}
			if e.OrderID != "" {
				orderRef = true
			}
			if e.Type == ingest.TypeHandoff {
				handoff = true
			}
			if e.Type != ingest.TypeMessage {
				continue
			}
			switch e.Sender {
			case "bot":
				bot = true
			case "agent":
				agent = true
				c.agentTs = append(c.agentTs, e.TsMs)
				c.agentID = append(c.agentID, e.AgentID)
			case "customer":
				if c.start < 0 {
					c.start = e.TsMs
					if e.Channel != "" {
						c.channel = e.Channel
					}
				}
				if firstIntent == "" && e.Intent != "" && substantive(e.Intent) {
					firstIntent = e.Intent
				}
			}
		}
		if c.start < 0 {
			continue
		}
		c.preSale = !orderRef && (firstIntent == "" || preSaleIntents[firstIntent])
		switch {
		case bot && (agent || handoff):
			c.class = classBotToHuman
		case bot:
			c.class = classBotOnly
		case agent:
			c.class = classHumanOnly
		default:
			c.class = classUnanswered
		}
		convs = append(convs, c)
	}
	W := int64(72 * msHour)
	start := cfg.Start.UnixMilli()
	conv = map[string]string{}
	for d := 0; d < cfg.Days; d++ {
		dayStart, dayEnd := start+int64(d)*msDay, start+int64(d+1)*msDay
		anchors := map[[2]string]int64{}
		for _, c := range convs {
			if c.preSale && c.start >= dayStart && c.start < dayEnd {
				k := [2]string{c.shop, c.customer}
				if t0, ok := anchors[k]; !ok || c.start < t0 {
					anchors[k] = c.start
				}
			}
		}
		type row struct{ n, ordered, same, final, amount int64 }
		rows := map[string]*row{}
		for k, t0 := range anchors {
			r := rows[k[0]]
			if r == nil {
				r = &row{}
				rows[k[0]] = r
			}
			r.n++
			var o1, o2, o3 bool
			for _, o := range orders {
				if o.shop != k[0] || o.customer != k[1] {
					continue
				}
				ct := o.created
				if ct < 0 {
					ct = o.paid
				}
				if ct >= 0 && t0 <= ct && ct <= t0+W {
					o1 = true
				}
				if o.paid >= 0 && t0 <= o.paid && o.paid < dayEnd {
					o2 = true
				}
				if o.paid >= 0 && t0 <= o.paid && o.paid <= t0+W {
					o3 = true
					r.amount += o.paidAmount
				}
			}
			for _, b := range []struct {
				ok bool
				n  *int64
			}{{o1, &r.ordered}, {o2, &r.same}, {o3, &r.final}} {
				if b.ok {
					*b.n++
				}
			}
		}
		date := cfg.dayStart(d).Format("2006-01-02")
		for shop, r := range rows {
			conv[date+"/"+shop] = fmt.Sprintf("%d %d %d %d %s", r.n, r.ordered, r.same, r.final, Money(r.amount))
		}
	}
	type g struct{ n, gmv, ref int64 }
	gm := map[string]*g{}
	ag := map[string]*g{}
	for _, o := range orders {
		if o.paid < 0 {
			continue
		}
		anchor := o.paid
		if o.created >= 0 {
			anchor = o.created
		}
		var best *naiveConv
		for i := range convs {
			c := &convs[i]
			if c.shop == o.shop && c.customer == o.customer && c.preSale && c.class != classUnanswered &&
				c.start >= anchor-W && c.start <= anchor && (best == nil || c.start > best.start) {
				best = c
			}
		}
		bucket := "unattributed"
		if best != nil {
			bucket = map[string]string{classBotOnly: "bot", classBotToHuman: "human", classHumanOnly: "human"}[best.class]
		}
		d := (o.paid - start) / msDay
		if bucket == "human" {
			agent := ""
			for i, ts := range best.agentTs {
				if ts <= anchor {
					agent = best.agentID[i]
				}
			}
			k := cfg.dayStart(int(d)).Format("2006-01-02") + "/" + o.shop + "/" + agent
			if ag[k] == nil {
				ag[k] = &g{}
			}
			ag[k].n++
			ag[k].gmv += o.paidAmount
		}
		k := cfg.dayStart(int(d)).Format("2006-01-02") + "/" + o.shop + "/" + bucket
		if gm[k] == nil {
			gm[k] = &g{}
		}
		gm[k].n++
		gm[k].gmv += o.paidAmount
		gm[k].ref += o.refunded
	}
	gmv = map[string]string{}
	for k, v := range gm {
		gmv[k] = fmt.Sprintf("%d %s %s", v.n, Money(v.gmv), Money(v.ref))
	}
	byAgent = map[string]string{}
	for k, v := range ag {
		byAgent[k] = fmt.Sprintf("%d %s", v.n, Money(v.gmv))
	}
	return conv, gmv, byAgent, byType
}

func TestTallyMatchesNaive(t *testing.T) {
	cfg := smallConfig()
	cfg.Days = 8
	cfg.DuplicateRate = 0.02
	cfg.ResendRate = 0.05
	cfg.Anomalies = DemoAnomalies(cfg)
	lines, tl := collect(t, cfg)
	conv, gmv, byAgent, byType := naive(t, cfg, lines)

	got := map[string]string{}
	for _, r := range tl.Conversion {
		got[r.Date+"/"+r.ShopID] = fmt.Sprintf("%d %d %d %d %s", r.ConsultingBuyers, r.OrderedBuyers, r.SameDayPaidBuyers, r.FinalPaidBuyers, r.FinalPaidAmount)
	}
	compareMaps(t, "conversion", got, conv)
	got = map[string]string{}
	for _, r := range tl.GMV {
		got[r.Date+"/"+r.ShopID+"/"+r.Bucket] = fmt.Sprintf("%d %s %s", r.Orders, r.GMV, r.Refunded)
	}
	compareMaps(t, "gmv", got, gmv)
	got = map[string]string{}
	for _, r := range tl.GMVByAgent {
		got[r.Date+"/"+r.ShopID+"/"+r.AgentID] = fmt.Sprintf("%d %s", r.Orders, r.GMV)
	}
	compareMaps(t, "gmv by agent", got, byAgent)
	for typ, n := range byType {
		if tl.EventsByType[typ] != n {
			t.Fatalf("events_by_type[%s] = %d, counted %d", typ, tl.EventsByType[typ], n)
		}
	}
	// The detail rows add up to the per-day rows.
	sum := map[string]int64{}
	for _, r := range tl.ConversionDetail {
		sum[r.Date+"/"+r.ShopID] += r.ConsultingBuyers
	}
	for _, r := range tl.Conversion {
		if sum[r.Date+"/"+r.ShopID] != r.ConsultingBuyers {
			t.Fatalf("detail rows of %s/%s sum to %d, not %d", r.Date, r.ShopID, sum[r.Date+"/"+r.ShopID], r.ConsultingBuyers)
		}
	}
	// Sanity: the data exercises every bucket and the tally round-trips.
	buckets := map[string]bool{}
	for _, r := range tl.GMV {
		buckets[r.Bucket] = true
	}
	if len(buckets) != 3 {
		t.Fatalf("buckets seen: %v", buckets)
	}
	b, err := json.Marshal(tl)
	if err != nil {
		t.Fatal(err)
	}
	var back Tally
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.GMV, tl.GMV) || !slices.Equal(back.Conversion, tl.Conversion) {
		t.Fatal("tally does not survive a JSON round trip")
	}
}

func compareMaps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: nothing computed", what)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s %s: tally %q, naive %q", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s: tally has %q, naive nothing", what, k, g)
		}
	}
}
