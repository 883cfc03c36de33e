package metrics

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// rowsOf renders Show rows as "k=v k=v" lines for compact comparison.
func rowsOf(t *testing.T, conn warehouse.Conn, name string, q Query) []string {
	t.Helper()
	rows, err := Show(context.Background(), conn, name, q)
	if err != nil {
		t.Fatalf("show %s: %v", name, err)
	}
	var out []string
	for _, r := range rows {
		var parts []string
		for _, f := range r {
			parts = append(parts, fmt.Sprintf("%s=%v", f.Key, f.Value))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func pick(t *testing.T, conn warehouse.Conn, name string, q Query, fields ...string) []string {
	t.Helper()
	rows, err := Show(context.Background(), conn, name, q)
	if err != nil {
		t.Fatalf("show %s: %v", name, err)
	}
	var out []string
	for _, r := range rows {
		var parts []string
		for _, k := range fields {
			v, ok := r.Get(k)
			if !ok {
				t.Fatalf("show %s: no field %s in %v", name, k, r.Keys())
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func expect(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func runDays(t *testing.T, conn warehouse.Conn, db string, s Settings, from, to string) Report {
	t.Helper()
	rep, err := Run(context.Background(), warehouse.Single(conn, db), s, day(from), day(to), nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAttributionEdges checks conversion and GMV on the hand-built edges of
// metrics/testdata/attribution.jsonl (expected values worked out in the
// comments there and in docs/metrics.md).
func TestAttributionEdges(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/attribution.jsonl")
	s := DefaultSettings()
	runDays(t, conn, db, s, "2026-10-05", "2026-10-08")
	q := Query{From: day("2026-10-05"), To: day("2026-10-05"), By: []string{"shop_id", "channel", "responder"}}
	expect(t, "conversion 2026-10-05", pick(t, conn, "conversion", q,
		"shop_id", "channel", "responder", "consulting_buyers", "ordered_buyers", "same_day_paid_buyers", "final_paid_buyers", "final_paid_amount"),
		[]string{
			// a (order at exactly t0+W), f (23:59:59 → 00:00:01), g (ordered in another shop)
			"s1 taobao bot_only 3 2 0 2 120.00",
			"s1 taobao bot_to_human 1 0 0 0 0.00", // b ordered before consulting
			"s1 taobao human_only 1 1 1 1 80.00",  // d: paid without created, paid twice
			"s1 taobao unanswered 1 1 1 1 40.00",
			"s1 tmall bot_only 1 1 1 1 100.00", // e: anchor c-e1, channel from conversation_started
		})
	expect(t, "conversion roll-up", pick(t, conn, "conversion", Query{From: day("2026-10-05"), To: day("2026-10-05")},
		"date", "consulting_buyers", "ordered_buyers", "order_rate", "final_pay_rate"),
		[]string{"2026-10-05 7 5 0.714286 0.714286"})

	g := Query{From: day("2026-10-05"), To: day("2026-10-08"), By: []string{"date", "shop_id", "bucket", "agent_id"}}
	want := []string{
		"2026-10-05 s1 bot  1 100.00 10.00",
		"2026-10-05 s1 human agent-2 1 80.00 0.00",
		"2026-10-05 s1 unattributed  3 120.00 0.00",
		"2026-10-05 s2 unattributed  1 60.00 0.00",
		"2026-10-06 s1 bot  1 20.00 0.00",
		"2026-10-08 s1 bot  1 100.00 0.00",         // oa1: consultation exactly W before
		"2026-10-08 s1 unattributed  1 70.00 0.00", // oa2: 1 ms too late
	}
	expect(t, "gmv last_touch", pick(t, conn, "gmv", g, "date", "shop_id", "bucket", "agent_id", "orders", "gmv", "refunded"), want)
	expect(t, "gmv bot share", pick(t, conn, "gmv", Query{From: day("2026-10-05"), To: day("2026-10-05"), By: []string{"shop_id"}},
		"shop_id", "total_gmv", "bot_gmv", "bot_share"),
		[]string{"s1 300.00 100.00 0.333333", "s2 60.00 0.00 0"})

	// Idempotent: a second run leaves the same rows.
	before := rowsOf(t, conn, "gmv", g)
	runDays(t, conn, db, s, "2026-10-05", "2026-10-08")
	expect(t, "gmv after a rerun", rowsOf(t, conn, "gmv", g), before)

	s.AttributionModel = "linear"
	runDays(t, conn, db, s, "2026-10-05", "2026-10-05")
	expect(t, "gmv linear", pick(t, conn, "gmv", Query{From: day("2026-10-05"), To: day("2026-10-05"), By: []string{"bucket", "agent_id"}},
		"bucket", "agent_id", "orders", "gmv", "refunded"),
		[]string{
			"bot  1 66.67 6.67", // c-e1 33.34 + c-e3 33.33; refund split the same way
			"human agent-2 1 80.00 0.00",
			"human agent-3 1 33.33 3.33",
			"unattributed  4 180.00 0.00",
		})
	s.AttributionModel = "first_touch"
	runDays(t, conn, db, s, "2026-10-05", "2026-10-05")
	expect(t, "gmv first_touch", pick(t, conn, "gmv", Query{From: day("2026-10-05"), To: day("2026-10-05"), By: []string{"bucket"}},
		"bucket", "orders", "gmv"),
		[]string{"bot 1 100.00", "human 1 80.00", "unattributed 4 180.00"})
}

// TestAttributionOfALatePayment: a pre-sale order (a 双11 deposit) created
// right after the bot's consultation and paid a week later is the bot's
// whichever days a run starts from. The candidates' read bound was W
// before the run's first day, and the consultation summary only covered
// the run's look-back, so the hourly rerun of the last days (or a fresh
// database's single-day run) made the order unattributed, and took the
// bot's repurchase GMV and agent sales with it.
func TestAttributionOfALatePayment(t *testing.T) {
	conn, db := chtest.New(t)
	events := []string{
		`{"event_id": "l1", "type": "message", "ts": "2026-11-01T10:00:00.000+08:00", "shop_id": "s1", "customer_id": "b", "conversation_id": "c-b", "sender": "customer", "text": "这个定金怎么付", "intent": "price_promo", "channel": "taobao"}`,
		`{"event_id": "l2", "type": "message", "ts": "2026-11-01T10:00:05.000+08:00", "shop_id": "s1", "customer_id": "b", "conversation_id": "c-b", "sender": "bot", "text": "先付定金，11号付尾款", "channel": "taobao"}`,
		`{"event_id": "l3", "type": "order", "ts": "2026-11-01T10:30:00.000+08:00", "shop_id": "s1", "customer_id": "b", "order_id": "ob", "status": "created", "amount": "500.00"}`,
		`{"event_id": "l4", "type": "order", "ts": "2026-11-08T12:00:00.000+08:00", "shop_id": "s1", "customer_id": "b", "order_id": "ob", "status": "paid", "amount": "500.00"}`,
		// an earlier order makes ob a repurchase, so retention credits the bot too
		`{"event_id": "l5", "type": "order", "ts": "2026-10-20T09:00:00.000+08:00", "shop_id": "s1", "customer_id": "b", "order_id": "ob0", "status": "created", "amount": "80.00"}`,
		`{"event_id": "l6", "type": "order", "ts": "2026-10-20T09:00:01.000+08:00", "shop_id": "s1", "customer_id": "b", "order_id": "ob0", "status": "paid", "amount": "80.00"}`,
	}
	loadLines(t, conn, func(emit func([]byte) error) error {
		for _, e := range events {
			if err := emit([]byte(e)); err != nil {
				return err
			}
		}
		return nil
	}, enricher(t))
	s := DefaultSettings()
	q := Query{From: day("2026-11-08"), To: day("2026-11-08"), By: []string{"shop_id", "bucket"}}
	want := []string{"s1 bot 1 500.00"}
	// a fresh database's first run, of the paid day alone, computes the
	// consultation summary of the days it reads (summaryBackfill)
	runDays(t, conn, db, s, "2026-11-08", "2026-11-08")
	expect(t, "gmv 11-08 on a fresh database", pick(t, conn, "gmv", q, "shop_id", "bucket", "orders", "gmv"), want)
	runDays(t, conn, db, s, "2026-10-20", "2026-11-08")
	expect(t, "gmv 11-08 after a run from 10-20", pick(t, conn, "gmv", q, "shop_id", "bucket", "orders", "gmv"), want)
	for _, from := range []string{"2026-11-06", "2026-11-08"} {
		runDays(t, conn, db, s, from, "2026-11-08")
		expect(t, "gmv 11-08 after a rerun from "+from, pick(t, conn, "gmv", q, "shop_id", "bucket", "orders", "gmv"), want)
		expect(t, "retention 11-08 after a rerun from "+from,
			pick(t, conn, "retention", Query{From: day("2026-11-08"), To: day("2026-11-08"), By: []string{"shop_id"}},
				"shop_id", "repurchase_orders", "bot_guided_repurchase_gmv"),
			[]string{"s1 1 500.00"})
	}
}
