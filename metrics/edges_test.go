package metrics

import (
	"testing"

	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse/chtest"
)

// The hand-built fixtures of metrics/testdata/{sentiment,dropoff,funnel,
// service,gaps}.jsonl, all on Monday 2026-11-02 with W = 72h. Customer
// messages carry upstream intents (trusted), so stages are fixed; the
// expected values are worked out by hand in each test's comment.

var oneDay = Query{From: day("2026-11-02"), To: day("2026-11-02")}

// nlpSays fails the test when the project's NLP does not analyse text as
// the fixture assumes, so a model change points here and not at a metric.
func nlpSays(t *testing.T, text, label, signature string) {
	t.Helper()
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := m.Analyze(text, "", 0)
	if label != "" && a.SentimentLabel != label {
		t.Fatalf("NLP labels %q %s, the fixture assumes %s", text, a.SentimentLabel, label)
	}
	if signature != "" && a.Signature != signature {
		t.Fatalf("NLP signs %q as %q, the fixture assumes %q", text, a.Signature, signature)
	}
}

// TestSentimentEdges: a: negative to the end but rated 5 (recovered by the
// rating); b: negative, last message positive (recovered); c: positive,
// then negative to the end, rated 2 (not recovered); d: positive only; e:
// negative, positive last and rated 4 (recovered once). 5 consultations,
// 4 negative (0.8), 3 recovered (0.75).
func TestSentimentEdges(t *testing.T) {
	nlpSays(t, "太差了，垃圾！！！", "negative", "")
	nlpSays(t, "好评，物美价廉", "positive", "")
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/sentiment.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"shop_id", "responder"}
	expect(t, "sentiment", pick(t, conn, "sentiment", q,
		"shop_id", "responder", "consultations", "negative", "negative_rate", "recovered", "recovery_rate"),
		[]string{"s1 bot_only 5 4 0.8 3 0.75"})
}

// TestDropoffEdges: b1 product→price, no order (dropped at price); b2
// product→shipping, ordered 47 h later (converted); b3 size_fit, stock,
// product_info (product touched once, dropped there); b4 greeting, price,
// product, ordered W + 1 s later (not converted: dropped at product); b5
// names an order (after-sale) and b6 only greets: neither counts.
func TestDropoffEdges(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/dropoff.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"node"}
	expect(t, "drop-off per node", pick(t, conn, "dropoff", q, "node", "touched", "dropped", "abandonment_rate"),
		[]string{"price 2 1 0.5", "product 4 2 0.5", "shipping 1 0 0"})
	q.Level, q.By = "intent", []string{"node", "intent"}
	expect(t, "drop-off per intent", pick(t, conn, "dropoff", q, "node", "intent", "touched", "dropped", "abandonment_rate"),
		[]string{
			"price price_promo 2 1 0.5",
			"product product_info 4 2 0.5",
			"product size_fit 1 0 0",
			"product stock 1 0 0",
			"shipping shipping_fee 1 0 0",
		})
}

// TestFunnelEdges, seconds after each buyer's t0: f1 product 0, price 60,
// shipping 120, created 180, paid 240 (every step); f2 price 0, product 30,
// created 90 (steps out of order: consulted and product only); f3 product
// 0, shipping 45, created 100, paid 200 (skips price); f4 product 0, price
// 10, shipping 20, created W + 1 s (outside the window). A buyer's time
// to a step is when the chain reached it (f2's price question at 0 came
// before its product question: price not reached); the median of an even
// count is the mean of the middle two (up to session 11 it was the upper
// one, of each buyer's first event of the step).
func TestFunnelEdges(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/funnel.jsonl")
	s := DefaultSettings()
	runDays(t, conn, db, s, "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"step"}
	fields := []string{"step", "step_name", "buyers", "conversion_from_start", "median_time_to_step_s"}
	expect(t, "funnel", pick(t, conn, "funnel", q, fields...), []string{
		"1 consulted 4 1 0",
		"2 product 4 1 0",  // times 0, 30, 0, 0
		"3 price 2 0.5 35", // f1 60, f4 10
		"4 shipping 2 0.5 70",
		"5 order_created 1 0.25 180",
		"6 order_paid 1 0.25 240",
	})
	// With price optional, f3 goes on past it: shipping f1, f3, f4
	// (120, 45, 20); created f1 and f3 (180, 100), paid f1 and f3 (240, 200).
	s.FunnelSteps[2].Optional = true
	runDays(t, conn, db, s, "2026-11-02", "2026-11-02")
	expect(t, "funnel with price optional", pick(t, conn, "funnel", q, fields...), []string{
		"1 consulted 4 1 0",
		"2 product 4 1 0",
		"3 price 2 0.5 35",
		"4 shipping 3 0.75 45",
		"5 order_created 2 0.5 140",
		"6 order_paid 2 0.5 220",
	})
}

// TestServiceEdges: A bot after 2 s, a fallback, handoff (customer_request)
// at 10 s, agent 30 s after it, rated 5; B size_fit asked three times and
// answered (bot after 1 s), rated 3; C agent after 20 s; D greets three
// times (not a repeated question), bot after 4 s; E unanswered; F agent
// after 5 s. 6 consultations, bot ones A B D, bot_only B D, 6 bot
// messages with 1 fallback; FRT bot {1, 2, 4} s, human {5, 20, 30} s.
func TestServiceEdges(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/service.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"channel"}
	expect(t, "service", pick(t, conn, "service", q,
		"channel", "consultations", "bot_consultations", "bot_only", "handoffs", "handoff_rate", "handoff_customer_request",
		"containment_rate", "frt_bot_p50_ms", "frt_bot_p90_ms", "frt_human_p50_ms", "frt_human_p90_ms",
		"ratings", "csat", "avg_rating", "bot_messages", "fallbacks", "fallback_rate", "repeated_question_rate"),
		[]string{"taobao 6 3 2 1 0.333333 1 0.666667 2000 4000 20000 30000 2 0.5 4 6 1 0.166667 0.166667"})
}

// TestGapsEdges: four spellings of one coupon question (one signature)
// each met by a fallback, once more answered (not a gap); a shipping
// question with a fallback (product p9); g7 asks both before one fallback
// (both unanswered, product p7 from conversation_started); g8's shipping
// question is answered and the fallback after it follows an emoji (no
// signature). Coupon: 5, the first 3 distinct texts in byte order; shipping:
// 2, top product p7 (tie with p9, smallest first).
func TestGapsEdges(t *testing.T) {
	for _, q := range []string{"优惠券能用吗", "优惠券能用吗？", "优惠券能用吗??", "优惠券，能用吗"} {
		nlpSays(t, q, "", "优惠券 能用吗")
	}
	nlpSays(t, "发什么快递", "", "发 快递")
	nlpSays(t, "发什么快递？", "", "发 快递")
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/gaps.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"signature"}
	expect(t, "gaps", pick(t, conn, "gaps", q, "signature", "count", "examples", "top_intent", "top_product"),
		[]string{
			"优惠券 能用吗 5 [优惠券能用吗 优惠券能用吗?? 优惠券能用吗？] price_promo ",
			"发 快递 2 [发什么快递 发什么快递？] shipping_fee p7",
		})
}
