package metrics

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// fixture writes contract events as JSON lines for the §11–§14 edge tests.
type fixture struct {
	lines []string
	n     int
}

func (f *fixture) add(typ string, at time.Time, shop, buyer, rest string) {
	f.n++
	f.lines = append(f.lines, fmt.Sprintf(`{"event_id":"g%d","type":%q,"ts":%d,"shop_id":%q,"customer_id":%q,"channel":"taobao"%s}`,
		f.n, typ, at.UnixMilli(), shop, buyer, rest))
}

// consult writes a pre-sale consultation of buyer: started (with exp when
// set), a customer question, then the replies at the offsets given.
func (f *fixture) consult(conv string, at time.Time, shop, buyer, exp string, replies ...reply) {
	f.add("conversation_started", at, shop, buyer, fmt.Sprintf(`,"conversation_id":%q%s`, conv, exp))
	f.add("message", at.Add(time.Second), shop, buyer, fmt.Sprintf(`,"conversation_id":%q,"sender":"customer","text":"有货吗","intent":"stock"`, conv))
	for _, r := range replies {
		who := `"sender":"bot"`
		if r.agent {
			who = `"sender":"agent","agent_id":"a1"`
		}
		f.add("message", at.Add(time.Second+r.after), shop, buyer, fmt.Sprintf(`,"conversation_id":%q,%s,"text":"有的"%s`, conv, who, r.exp))
	}
}

type reply struct {
	after time.Duration
	agent bool
	exp   string
}

func (f *fixture) order(id string, created time.Time, shop, buyer, amount string) {
	f.add("order", created, shop, buyer, fmt.Sprintf(`,"order_id":%q,"status":"created","amount":%q`, id, amount))
	f.add("order", created.Add(time.Minute), shop, buyer, fmt.Sprintf(`,"order_id":%q,"status":"paid","amount":%q`, id, amount))
}

func (f *fixture) load(t *testing.T, conn warehouse.Conn) {
	t.Helper()
	loadLines(t, conn, func(emit func([]byte) error) error {
		for _, l := range f.lines {
			if err := emit([]byte(l)); err != nil {
				return err
			}
		}
		return nil
	}, enricher(t))
}

// TestRetentionEdges: on Monday 2026-11-02 five orders are paid (created at
// 12:00, paid at 12:01 = t). The earlier paid orders, imported as history
// only (no metric was ever computed for their days): r1 at exactly t − 90 d
// (a repurchase, not silent: exactly 90 days is not silent); r2 at t − 90 d
// − 1 ms (reactivated) after a bot-only consultation at 11:00 (bot-guided:
// last touch); r3 at t − 365 d − 1 ms (outside the look-back: not a
// repurchase); r4 none; r5 at t − 400 d and t − 100 d (the latest in the
// look-back is 100 d old: reactivated). Paid GMV 500.00; repurchases r1 r2
// r5 = 300.00; bot-guided r2 = 100.00 (share 0.2); reactivated 2, by the
// bot 1.
func TestRetentionEdges(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	t0 := time.Date(2026, 11, 2, 12, 0, 0, 0, shanghai)
	paid := t0.Add(time.Minute)
	day := 24 * time.Hour
	f.order("h1", paid.Add(-90*day).Add(-time.Minute), "s1", "r1", "50")
	f.order("h2", paid.Add(-90*day-time.Millisecond).Add(-time.Minute), "s1", "r2", "50")
	f.order("h3", paid.Add(-365*day-time.Millisecond).Add(-time.Minute), "s1", "r3", "50")
	f.order("h5a", paid.Add(-400*day).Add(-time.Minute), "s1", "r5", "50")
	f.order("h5b", paid.Add(-100*day).Add(-time.Minute), "s1", "r5", "50")
	f.consult("k2", t0.Add(-time.Hour), "s1", "r2", "", reply{after: 2 * time.Second})
	for _, b := range []string{"r1", "r2", "r3", "r4", "r5"} {
		f.order("o-"+b, t0, "s1", b, "100")
	}
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	expect(t, "retention", pick(t, conn, "retention", oneDay, "date", "paid_orders", "paid_gmv", "repurchase_orders",
		"repurchase_gmv", "bot_guided_repurchase_gmv", "bot_guided_repurchase_share", "reactivated_buyers", "bot_reactivated_buyers"),
		[]string{"2026-11-02 5 500.00 3 300.00 100.00 0.2 2 1"})
}

// TestRetentionZeroAmountBotOrder: §13's bot-guided repurchases and the
// bot's reactivated buyers are the orders §2 credits to the bot bucket,
// whatever their amount. On Monday 2026-11-02 z1, silent since a paid order
// 120 days before, pays a 0.00 order (a free sample, 0 元试用) after a
// bot-only consultation: §2 credits it to the bot (one bot order, 0.00), so
// it is a bot-guided repurchase and a bot reactivation. z2 does the same
// with a 30.00 order. Until the audit of 2026-12-06 (aud14) both figures
// asked whether the bot's credited cents were above zero, so z1 counted as a
// reactivation but not the bot's, and its order was not a bot-guided
// repurchase.
func TestRetentionZeroAmountBotOrder(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	t0 := time.Date(2026, 11, 2, 12, 0, 0, 0, shanghai)
	day := 24 * time.Hour
	for _, b := range []struct{ buyer, amount string }{{"z1", "0.00"}, {"z2", "30.00"}} {
		f.order("h-"+b.buyer, t0.Add(-120*day), "s1", b.buyer, "50")
		f.consult("k-"+b.buyer, t0.Add(-time.Hour), "s1", b.buyer, "", reply{after: 2 * time.Second})
		f.order("o-"+b.buyer, t0, "s1", b.buyer, b.amount)
	}
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	expect(t, "gmv", pick(t, conn, "gmv", oneDay, "date", "bot_orders", "bot_gmv"), []string{"2026-11-02 2 30.00"})
	expect(t, "retention", pick(t, conn, "retention", oneDay, "date", "paid_orders", "repurchase_orders",
		"bot_guided_repurchase_orders", "bot_guided_repurchase_gmv", "reactivated_buyers", "bot_reactivated_buyers"),
		[]string{"2026-11-02 2 2 2 30.00 2 2"})
}

// TestExperimentEdges, experiment E on Monday 2026-11-02: x1 first comes
// at 10:00 in arm B (on conversation_started), again at 12:00 shown
// control (a crossover: counted once, in B, and the 12:00 consultation
// counts for B too), orders at 13:00 (in [exposure, exposure + W]);
// x2 is exposed at 09:00 by a bot message in control and does not order;
// x3's conversation carries E/control but has no customer message (not a
// consultation: not exposed); x4 orders 73 h after a 08:00 exposure in B
// (outside W: not ordered). B: 2 buyers, 1 ordered, 2 + 1 consultations,
// 1 crossover; control: 1 buyer, 0 ordered. Per arm the consultation
// facts: x2's consultation is handed to an agent and rated 5, x1's first
// is rated 2, the rest are the bot's alone: B containment 3/3, handoff
// rate 0/3, CSAT 0/1 (2 is not good); control containment 0/1, handoff
// rate 1/1, CSAT 1/1.
func TestExperimentEdges(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, shanghai) }
	tag := func(v string) string { return fmt.Sprintf(`,"experiment":"E","variant":%q`, v) }
	f.consult("c1", at(10), "s1", "x1", tag("B"), reply{after: time.Second})
	f.consult("c2", at(12), "s1", "x1", tag("control"), reply{after: time.Second})
	f.order("o1", at(13), "s1", "x1", "88.80")
	f.consult("c3", at(9), "s1", "x2", "", reply{after: time.Second, exp: tag("control")})
	f.add("handoff", at(9).Add(10*time.Second), "s1", "x2", `,"conversation_id":"c3","reason":"customer_request"`)
	f.add("rating", at(9).Add(5*time.Minute), "s1", "x2", `,"conversation_id":"c3","score":5`)
	f.add("rating", at(10).Add(5*time.Minute), "s1", "x1", `,"conversation_id":"c1","score":2`)
	f.add("conversation_started", at(7), "s1", "x3", `,"conversation_id":"c4"`+tag("control"))
	f.consult("c5", at(8), "s1", "x4", tag("B"), reply{after: time.Second})
	f.order("o4", at(8).Add(73*time.Hour), "s1", "x4", "10")
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-05")
	q := Query{From: day("2026-11-02"), To: day("2026-11-05")}
	expect(t, "experiments", pick(t, conn, "experiments", q, "experiment", "variant", "buyers", "ordered_buyers",
		"paid_buyers", "paid_amount", "consultations", "crossovers", "control", "containment_rate", "handoff_rate", "csat"),
		[]string{"E B 2 1 1 88.80 3 1 false 1 0 0", "E control 1 0 0 0.00 1 0 true 0 1 1"})
}

// TestROIEdges: shop s1 on Monday 2026-11-02 has 20 human-only
// consultations handled in 10 s, 20 s, …, 200 s (first to last agent
// message) and 10 bot-only ones: an even count, median (100 + 110) / 2 =
// 105 s, + 60 s wrap-up = 165 s; hours 10 × 165 / 3600 = 0.458333, cost ×
// 40 = 18.33, FTE / 8 = 0.057292. On Tuesday it has 3 human-only (30 s,
// 50 s, 1000 s), fewer than 20: the 28-day window's 23 handling times have
// median 100 s (the 12th), so 160 s; 2 bot-only: 0.088889 h, 3.56, FTE
// 0.011111. Shop s2 has bot-only consultations and no human-only ones in
// its window: no value (null).
func TestROIEdges(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	mon := time.Date(2026, 11, 2, 9, 0, 0, 0, shanghai)
	tue := mon.Add(24 * time.Hour)
	human := func(conv string, at time.Time, shop string, handle time.Duration) {
		f.consult(conv, at, shop, "b-"+conv, "", reply{after: 5 * time.Second, agent: true}, reply{after: 5*time.Second + handle, agent: true})
	}
	for i := 1; i <= 20; i++ {
		human(fmt.Sprintf("h%d", i), mon.Add(time.Duration(i)*time.Minute), "s1", time.Duration(10*i)*time.Second)
	}
	for i := 1; i <= 10; i++ {
		f.consult(fmt.Sprintf("b%d", i), mon.Add(time.Duration(i)*time.Minute), "s1", fmt.Sprintf("bb%d", i), "", reply{after: time.Second})
	}
	for i, d := range []int{30, 50, 1000} {
		human(fmt.Sprintf("t%d", i), tue.Add(time.Duration(i)*time.Minute), "s1", time.Duration(d)*time.Second)
	}
	for i := 1; i <= 2; i++ {
		f.consult(fmt.Sprintf("tb%d", i), tue.Add(time.Duration(i)*time.Minute), "s1", fmt.Sprintf("tbb%d", i), "", reply{after: time.Second})
	}
	f.consult("z1", tue, "s2", "z", "", reply{after: time.Second})
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-03")
	q := Query{From: day("2026-11-02"), To: day("2026-11-03"), By: []string{"date", "shop_id"}}
	expect(t, "roi", pick(t, conn, "roi", q, "date", "shop_id", "bot_only_consultations", "human_only_consultations",
		"human_handle_s", "hours_saved", "cost_saved", "agent_fte_saved", "basis"),
		[]string{
			"2026-11-02 s1 10 20 165 0.458333 18.33 0.057292 day",
			"2026-11-03 s1 2 3 160 0.088889 3.56 0.011111 28d",
			"2026-11-03 s2 1 0 <nil> <nil> <nil> <nil> none",
		})
}

// TestROIFallbackOnAFreshDatabase: §14's fallback median reads the 28 days
// ending with the day, whichever days were computed before. Twenty
// human-only consultations on 11-02 (handled in 10 s, 20 s … 200 s) and,
// on 11-12 (beyond the run's 6-day look-back), three more (30 s, 50 s,
// 1000 s) beside two bot-only ones: the median of the 23 is 100 s, so
// human_handle_s is 160 on a fresh database's run of 11-12 alone, as after
// a run of both days. It read only 11-12's three (50 + 60 = 110) before
// the run computed the summary of the days it reads (summaryBackfill).
func TestROIFallbackOnAFreshDatabase(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	early := time.Date(2026, 11, 2, 9, 0, 0, 0, shanghai)
	late := time.Date(2026, 11, 12, 9, 0, 0, 0, shanghai)
	human := func(conv string, at time.Time, handle time.Duration) {
		f.consult(conv, at, "s1", "b-"+conv, "", reply{after: 5 * time.Second, agent: true}, reply{after: 5*time.Second + handle, agent: true})
	}
	for i := 1; i <= 20; i++ {
		human(fmt.Sprintf("h%d", i), early.Add(time.Duration(i)*time.Minute), time.Duration(10*i)*time.Second)
	}
	for i, d := range []int{30, 50, 1000} {
		human(fmt.Sprintf("t%d", i), late.Add(time.Duration(i)*time.Minute), time.Duration(d)*time.Second)
	}
	for i := 1; i <= 2; i++ {
		f.consult(fmt.Sprintf("tb%d", i), late.Add(time.Duration(i)*time.Minute), "s1", fmt.Sprintf("tbb%d", i), "", reply{after: time.Second})
	}
	f.load(t, conn)
	q := Query{From: day("2026-11-12"), To: day("2026-11-12"), By: []string{"date", "shop_id"}}
	want := []string{"2026-11-12 s1 2 3 160 28d"}
	runDays(t, conn, db, DefaultSettings(), "2026-11-12", "2026-11-12")
	expect(t, "roi of 11-12 on a fresh database", pick(t, conn, "roi", q, "date", "shop_id", "bot_only_consultations",
		"human_only_consultations", "human_handle_s", "basis"), want)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-12")
	expect(t, "roi of 11-12 after a run of 11-02..11-12", pick(t, conn, "roi", q, "date", "shop_id", "bot_only_consultations",
		"human_only_consultations", "human_handle_s", "basis"), want)
}

// TestHourlyEdges, shop s1 on Monday 2026-11-02: h1 consults at 02:30,
// answered by the bot, and orders at 02:50 (hour 2, night); h2 asks at
// 03:10 and nobody answers (hour 3: a coverage gap); h3 is served by an
// agent at 10:15 and orders at 23:59, paid after midnight (the paid order
// belongs to Monday 23:00, its created hour); h4 orders at 05:00 without
// consulting (night). Paid orders 3, 2 at night (0.666667); night
// conversion: bot-only 1/1, unanswered 0/1.
func TestHourlyEdges(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	at := func(h, m int) time.Time { return time.Date(2026, 11, 2, h, m, 0, 0, shanghai) }
	f.consult("c1", at(2, 30), "s1", "h1", "", reply{after: time.Second})
	f.order("o1", at(2, 50), "s1", "h1", "10")
	f.consult("c2", at(3, 10), "s1", "h2", "")
	f.consult("c3", at(10, 15), "s1", "h3", "", reply{after: time.Second, agent: true})
	f.add("order", at(23, 59), "s1", "h3", `,"order_id":"o3","status":"created","amount":"20"`)
	f.add("order", at(23, 59).Add(6*time.Minute), "s1", "h3", `,"order_id":"o3","status":"paid","amount":"20"`)
	f.order("o4", at(5, 0), "s1", "h4", "30")
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-03")
	q := oneDay
	q.By = []string{"hour"}
	expect(t, "hourly by hour", pick(t, conn, "hourly", q, "hour", "consultations", "bot_only", "human_only", "unanswered",
		"consulting_buyers", "ordered_buyers", "paid_orders", "paid_amount", "coverage_gaps"),
		[]string{
			"2 1 1 0 0 1 1 1 10.00 0",
			"3 1 0 0 1 1 0 0 0.00 1",
			"5 0 0 0 0 0 0 1 30.00 0",
			"10 1 0 1 0 1 1 0 0.00 0",
			"23 0 0 0 0 0 0 1 20.00 0",
		})
	q.By = []string{"date"}
	expect(t, "hourly by day", pick(t, conn, "hourly", q, "date", "paid_orders", "night_paid_orders", "night_order_share",
		"night_order_rate_bot_only", "night_order_rate_unanswered", "coverage_gaps"),
		[]string{"2026-11-02 3 2 0.666667 1 0 1"})
}

// TestExperimentStatsEdges: experiment E on Monday 2026-11-02 with the
// arms of Newcombe (1998), Table I: control 15 ordered of 148 buyers, B 81
// of 263, each buyer exposed once (on conversation_started) and ordering
// an hour later. Wilson 95 % intervals, as published there (method 3):
// control [0.0624, 0.1605], B [0.2553, 0.3662]. Pooled z-test by hand:
// p = 96/411, se = sqrt(p(1−p)(1/148 + 1/263)) = 0.0434774, z = (81/263 −
// 15/148)/se = 4.752689, two-sided p = 2.007e-6 (R: prop.test(c(81, 15),
// c(263, 148), correct = FALSE): X-squared = 22.588 = z², p-value =
// 2.007e-06); lift 0.307985/0.101351 − 1 = 2.038783. With the planned split
// control=148,B=263 the arms fit exactly (chi-square 0, p 1): B is the
// winner. With the default equal split 411 buyers should be 205.5 each:
// chi-square (57.5² · 2)/205.5 = 32.18, p = 1.4e-8 < 0.001: broken split,
// nothing significant, no winner — although the same z-test says p ≈ 2e-6.
// Each arm carries its planned share (148/411, 263/411; equal: 0.5), which
// the experiments page names beside the buyers and in a broken split.
func TestExperimentStatsEdges(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, shanghai)
	arm := func(variant string, buyers, ordered int) {
		for i := range buyers {
			b := fmt.Sprintf("%s-%d", variant, i)
			at := start.Add(time.Duration(i) * time.Minute)
			f.consult("c-"+b, at, "s1", b, fmt.Sprintf(`,"experiment":"E","variant":%q`, variant), reply{after: time.Second})
			if i < ordered {
				f.order("o-"+b, at.Add(time.Hour), "s1", b, "50")
			}
		}
	}
	arm("control", 148, 15)
	arm("B", 263, 81)
	f.load(t, conn)
	q := Query{From: day("2026-11-02"), To: day("2026-11-02")}
	fields := []string{"variant", "buyers", "ordered_buyers", "lift", "p_value", "significant", "srm", "srm_p_value", "planned_share", "verdict", "winner"}
	near := func(name string, want map[string][2]float64) {
		t.Helper()
		rows, err := Show(context.Background(), conn, "experiments", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			v, _ := r.Get("variant")
			lo, _ := r.Get("order_rate_low")
			hi, _ := r.Get("order_rate_high")
			w := want[v.(string)]
			if math.Abs(lo.(float64)-w[0]) > 5e-5 || math.Abs(hi.(float64)-w[1]) > 5e-5 {
				t.Errorf("%s: %v's Wilson interval [%v, %v], want Newcombe's [%v, %v]", name, v, lo, hi, w[0], w[1])
			}
		}
	}
	newcombe := map[string][2]float64{"control": {0.0624, 0.1605}, "B": {0.2553, 0.3662}}

	s := DefaultSettings()
	s.Experiments.Split = []string{"control=148", "B=263"}
	runDays(t, conn, db, s, "2026-11-02", "2026-11-02")
	expect(t, "planned split 148:263", pick(t, conn, "experiments", q, fields...), []string{
		"B 263 81 2.038783 2e-06 true false 1 0.639903 winner B",
		"control 148 15 0 <nil> false false 1 0.360097 winner B",
	})
	near("planned split", newcombe)

	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	expect(t, "equal split", pick(t, conn, "experiments", q, fields...), []string{
		"B 263 81 2.038783 2e-06 false true 0 0.5 broken_split ",
		"control 148 15 0 <nil> false true 0 0.5 broken_split ",
	})
	near("equal split", newcombe)
}

// TestExperimentLiftWithoutControlOrders: lift = order_rate / the
// control's − 1 has no value when the control ordered nothing. On Monday
// 2026-11-02 the control's 3 buyers order nothing and B's 3 buyers order
// once: B's lift is null (the reports print "–", as they do for the paid
// lift), not 0, which read as "no difference" although B sold and the
// control did not; the control's own lift stays 0. Until the audit of
// 2026-12-06 (aud14) B showed lift 0.
func TestExperimentLiftWithoutControlOrders(t *testing.T) {
	conn, db := chtest.New(t)
	var f fixture
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, shanghai)
	for _, v := range []string{"control", "B"} {
		for i := range 3 {
			b := fmt.Sprintf("%s-%d", v, i)
			at := start.Add(time.Duration(i) * time.Minute)
			f.consult("c-"+b, at, "s1", b, fmt.Sprintf(`,"experiment":"E","variant":%q`, v), reply{after: time.Second})
			if v == "B" && i == 0 {
				f.order("o-"+b, at.Add(time.Hour), "s1", b, "50")
			}
		}
	}
	f.load(t, conn)
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	expect(t, "experiments", pick(t, conn, "experiments", oneDay, "variant", "buyers", "ordered_buyers", "lift", "control"),
		[]string{"B 3 1 <nil> false", "control 3 0 0 true"})
}
