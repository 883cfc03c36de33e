package metrics

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/convintel/convintel/warehouse/chtest"
)

// qaShop is the shop of every event in testdata/qa.jsonl.
const qaShop = "s1"

// TestQAEdges checks every §9 rule's edges on the hand-built fixture
// metrics/testdata/qa.jsonl (Monday 2026-11-02, service hours 08:00–24:00,
// sentiment pinned with x_sentiment). Per consultation, worked by hand:
//
//	c1  a1: reply at exactly 180.000 s (in time); reply 180.001 s after the
//	    first of two customer messages (slow_reply); 加我微信 (diversion).
//	    Score 100−5−30 = 65.
//	c2  a2: customer at 07:59:59 answered 301 s later: outside service
//	    hours, no violation, not a counted reply. 100.
//	c3  a2: customer at 08:00:00 answered after 210 s (slow_reply); 全网最低
//	    (absolute_claim). 85.
//	c4  a2: customer at 23:59:59 answered at 00:04:00 (241 s, slow_reply). 95.
//	c5  nobody answers 23:59:59: left_unanswered, unassigned. 90.
//	c6  nobody answers 07:59:59: outside service hours. 100.
//	c7  bot: third 发货 question, handoff 60.001 s later: missed_takeover. 80.
//	c8  bot: the same, handoff at exactly 60 s: taken over; a3 answers the
//	    handoff 40.001 s later: slow_first_response. 95.
//	c9  bot: two negatives in a row, the buyer writes again before the
//	    handoff: missed_takeover; the third negative is taken over. 80.
//	c10 bot: negative, neutral, negative (not in a row); 微信支付. 100.
//	c11 a3: 加微[PHONE]信 (split by a mask), qq inside an e-mail (masked),
//	    ＶＸ (diversion), 好评返现…绝对 (inducement and absolute_claim). 40.
//	c13 a4: five slow replies, five violations, 20 points off. 80.
func TestQAEdges(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/qa.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"responder"}
	expect(t, "qa per responder", pick(t, conn, "qa", q, "responder", "consultations", "messages_inspected", "violations",
		"forbidden_phrase", "slow_reply", "slow_first_response", "missed_takeover", "left_unanswered",
		"rude", "absolute_claim", "diversion", "inducement", "violation_rate", "avg_qa_score"),
		[]string{
			"a1 2 4 2 1 1 0 0 0 0 0 1 0 0.5 72.5",
			"a2 3 5 3 1 2 0 0 0 0 1 0 0 0.666667 93.333333",
			"a3 3 6 4 3 0 1 0 0 0 1 1 1 0.666667 71.666667",
			"a4 1 5 5 0 5 0 0 0 0 0 0 0 1 80",
			"bot 4 11 2 0 0 0 2 0 0 0 0 0 0.5 88.75",
			"unassigned 2 0 1 0 0 0 0 1 0 0 0 0 0.5 95",
		})
	expectSorted(t, "violations", pick(t, conn, "violations", oneDay, "conversation_id", "event_id", "responder", "rule", "category", "detail", "intent", "phrase", "delay_ms", "evidence"),
		[]string{
			"c4 qa-17 a2 slow_reply   241000 在的亲",
			"c3 qa-13 a2 slow_reply   210000 在的",
			"c3 qa-15 a2 forbidden_phrase absolute_claim  全网最低 0 99元，全网最低",
			"c1 qa-5 a1 slow_reply   180001 满300减30",
			"c1 qa-7 a1 forbidden_phrase diversion  加我微信 0 加我微信发你优惠",
			"c7 qa-24 bot missed_takeover  repeated_question delivery_time  0 几号能发", // the intent asked a third time
			"c8 qa-35 a3 slow_first_response   40001 您好",
			"c9 qa-38 bot missed_takeover  negative_sentiment  0 什么破服务",
			"c11 qa-54 a3 forbidden_phrase diversion  vx 0 ＶＸ同号",
			"c11 qa-55 a3 forbidden_phrase absolute_claim  绝对 0 好评返现5元，绝对正品",
			"c11 qa-55 a3 forbidden_phrase inducement  好评返现 0 好评返现5元，绝对正品",
			"c13 qa-57 a4 slow_reply   200000 在的",
			"c13 qa-59 a4 slow_reply   200000 在的",
			"c13 qa-61 a4 slow_reply   200000 在的",
			"c13 qa-63 a4 slow_reply   200000 在的",
			"c13 qa-65 a4 slow_reply   200000 在的",
			"c5 qa-18 unassigned left_unanswered   0 有人吗",
		})
	expect(t, "qa_violation alerts", pick(t, conn, "alerts", oneDay, "rule", "subject", "severity", "value", "evidence", "action_en"),
		[]string{
			"qa_violation a1 critical 1 [加我微信发你优惠] Review a1's conversation at 10:08 (" + ConversationRef(qaShop, "c1") + "): 加我微信 breaks the platform's rules (off-platform contact and rudeness are penalised); 1 such message that day. Coach the agent, or dispute it if the match is wrong",
			"qa_violation a3 critical 1 [ＶＸ同号] Review a3's conversation at 12:00 (" + ConversationRef(qaShop, "c11") + "): vx breaks the platform's rules (off-platform contact and rudeness are penalised); 1 such message that day. Coach the agent, or dispute it if the match is wrong",
		})
	var weights int64
	rows, err := Show(context.Background(), conn, "violations", oneDay)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		w, _ := r.Get("weight")
		weights += w.(int64)
	}
	// 35 (c1) + 15 (c3) + 5 (c4) + 10 (c5) + 20 (c7) + 5 (c8) + 20 (c9) + 60 (c11) + 25 (c13)
	if weights != 195 {
		t.Errorf("violation weights sum to %d, want 195", weights)
	}
	q.By = []string{"agent_id"}
	expect(t, "agents' replies", pick(t, conn, "agents", q, "agent_id", "replies", "avg_reply_s", "reply_p90_s", "reply_within_sla_rate", "first_response_p50_ms"),
		[]string{
			"a1 3 121.667 180.001 0.666667 9999",
			// a2, a4 and the bot never answered a consultation's first
			// message: no first-response median, not 0 ms (session 16)
			"a2 4 120.25 241 0.5 <nil>",
			"a3 4 6.25 10 1 40001",
			"a4 5 200 200 0 <nil>",
			"bot 11 1 1 1 <nil>",
		})
}

// expectSorted compares as sets of lines, with runs of spaces (empty
// fields) collapsed.
func expectSorted(t *testing.T, what string, got, want []string) {
	t.Helper()
	norm := func(v []string) []string {
		out := make([]string, len(v))
		for i, s := range v {
			out[i] = strings.Join(strings.Fields(s), " ")
		}
		slices.Sort(out)
		return out
	}
	expect(t, what, norm(got), norm(want))
}

func yamlDecode(text string, v any) error { return yaml.Unmarshal([]byte(text), v) }

// TestQASettingsRefused: a malformed setting or phrase list is refused
// with the file, the line and what to fix.
func TestQASettingsRefused(t *testing.T) {
	f := func(what, yamlText, want string) {
		t.Helper()
		var s struct {
			QA QASettings `yaml:"qa"`
		}
		s.QA = DefaultQASettings()
		err := yamlDecode(yamlText, &s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", what, err, want)
		}
	}
	f("service hours", "qa:\n  reply_sla: 3m\n  service_hours: 8-24\n", "line 3: metrics.qa.service_hours")
	f("unknown key", "qa:\n  reply_slaa: 3m\n", `line 2: metrics.qa has no setting "reply_slaa"`)
	f("empty phrase", "qa:\n  phrases:\n    diversion:\n      - 加微信\n      - \" \"\n", "line 5: metrics.qa.phrases diversion[1]")
	f("placeholder", "qa:\n  phrases:\n    rude: ['[PHONE]']\n", "inside a mask placeholder")
	f("negative weight", "qa:\n  weights:\n    rude: -1\n", "line 3: metrics.qa.weights.rude -1")
	f("shop hours", "qa:\n  shops:\n    - shop_id: s1\n      service_hours: 09:00-25:00\n", "line 4: metrics.qa.shops[0].service_hours")

	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, []byte("diversion:\n  - 加我扣扣\nrudeness:\n  - 滚\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := DefaultQASettings()
	q.PhraseFiles = []string{file}
	err := q.Validate()
	if err == nil || !strings.Contains(err.Error(), file+`:3: unknown category "rudeness"`) {
		t.Errorf("phrase file: got %v", err)
	}
	if err := os.WriteFile(file, []byte("diversion:\n  - 加我扣扣\nrude:\n  - 加我扣扣\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), file+`:4: phrase "加我扣扣" is also listed under diversion (line 2)`) {
		t.Errorf("phrase in two categories: got %v", err)
	}
	if err := DefaultQASettings().Validate(); err != nil {
		t.Errorf("the defaults are refused: %v", err)
	}
}

// TestPhraseMatcher: normalisation and mask barriers, without ClickHouse.
func TestPhraseMatcher(t *testing.T) {
	r, err := newQARules(DefaultQASettings())
	if err != nil {
		t.Fatal(err)
	}
	f := func(text string, want ...string) {
		t.Helper()
		var got []string
		for _, h := range r.shared.matcher.match(text, nil) {
			got = append(got, PhraseCategories[h.category]+":"+h.phrase)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%q: got %v, want %v", text, got, want)
		}
	}
	f("加微信聊", "diversion:加微信")
	f("亲，加微信聊", "diversion:加微信")
	f("加ＶＸ：abc", "diversion:加vx")
	f("QQ号多少", "diversion:qq")
	f("加微[PHONE]信")
	f("加微13800138000信")
	f("发到 [EMAIL] 了")
	f("发到 abc@qq.com 了")
	f("１００％有效", "absolute_claim:100%有效")
	f("支持微信支付")
	// The masker keeps the cue before a WeChat id (微信：[CONTACT]); the cue
	// and its colon are the diversion (aud14 audit: no phrase matched it).
	f("微信：[CONTACT]", "diversion:微信:")
	f("我的微信是[CONTACT]", "diversion:我的微信")
	f("WX: [CONTACT]", "diversion:wx:")
	f("五星返现，全网第一，你烦不烦", "rude:你烦不烦", "absolute_claim:全网第一", "inducement:五星返现")
	f("[PHONE]加微信", "diversion:加微信")
	f("加微信[PHONE]", "diversion:加微信")
}

// TestAgentScoreboard: §10 on metrics/testdata/agents.jsonl, worked by
// hand. b1 talks to the bot, then agent A (after a handoff), then agent B,
// orders 100.00 at 10:30 and rates 4 (B wrote last); b2 asks A about a
// discount, buys nothing, rates 2; b3's after-sale question goes to B
// (served, not consulting); b4 is served by the bot only, rates 5 and buys
// 50.00; b5 is answered by C at 14:00:10.000 and orders at that same
// millisecond (C converted b5, but the sale, credited to the last agent
// message strictly before the anchor, is nobody's). An average of no sales
// and a CSAT of no ratings have no value (–).
//
//	agent served consulting ordered paid amount order_rate sales_orders sales_gmv aov ratings csat
//	A     2      2          1       1    100.00 0.5        0            0.00      –    1      0
//	B     2      1          1       1    100.00 1          1            100.00    100.00 1    1
//	C     1      1          1       1    30.00  1          0            0.00      –    0      –
//	bot   2      2          2       2    150.00 1          1            50.00     50.00 1     1
func TestAgentScoreboard(t *testing.T) {
	conn, db := chtest.New(t)
	loadFile(t, conn, "testdata/agents.jsonl")
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	q := oneDay
	q.By = []string{"agent_id"}
	expect(t, "agents", pick(t, conn, "agents", q, "agent_id", "served_buyers", "consulting_buyers", "ordered_buyers",
		"final_paid_buyers", "final_paid_amount", "order_rate", "final_pay_rate", "sales_orders", "sales_gmv", "avg_order_value",
		"ratings", "csat"),
		[]string{
			"A 2 2 1 1 100.00 0.5 0.5 0 0.00 <nil> 1 0",
			"B 2 1 1 1 100.00 1 1 1 100.00 100.00 1 1",
			"C 1 1 1 1 30.00 1 1 0 0.00 <nil> 0 <nil>",
			"bot 2 2 2 2 150.00 1 1 1 50.00 50.00 1 1",
		})
}

// TestMissedTakeoverSameInstant: "before the customer's next message" is a
// position in the conversation sorted by (time, event_id), as every other
// "before"/"after" of §9. In both conversations the bot answers a third
// 多少钱 at 12:00:20 and, at 12:00:30.000, a handoff and the buyer's next
// message arrive in the same millisecond. In t1 the handoff sorts first
// (event t1-7 before t1-8): the takeover came before the next message, no
// violation. In t2 the buyer's message sorts first: missed_takeover. Until
// the audit of 2026-12-06 (aud14) the handoff had to be earlier in time
// than the next message, so t1 was charged too.
func TestMissedTakeoverSameInstant(t *testing.T) {
	conn, db := chtest.New(t)
	at := func(s string) string { return `"2026-11-02T12:00:` + s + `+08:00"` }
	var lines []string
	for _, c := range []struct{ conv, first, second string }{{"t1", "handoff", "customer"}, {"t2", "customer", "handoff"}} {
		ev := func(n int, typ, ts, rest string) {
			lines = append(lines, `{"event_id":"`+c.conv+`-`+string(rune('0'+n))+`","type":"`+typ+`","ts":`+ts+
				`,"shop_id":"s1","customer_id":"b-`+c.conv+`","channel":"taobao","conversation_id":"`+c.conv+`"`+rest+`}`)
		}
		ask := `,"sender":"customer","text":"多少钱","intent":"price_promo","x_sentiment":"neutral"`
		ev(1, "message", at("00.000"), ask)
		ev(2, "message", at("00.500"), `,"sender":"bot","text":"亲，以页面价格为准"`)
		ev(3, "message", at("10.000"), ask)
		ev(4, "message", at("10.500"), `,"sender":"bot","text":"亲，以页面价格为准"`)
		ev(5, "message", at("20.000"), ask)
		ev(6, "message", at("20.500"), `,"sender":"bot","text":"亲，以页面价格为准"`)
		for i, kind := range []string{c.first, c.second} {
			if kind == "handoff" {
				ev(7+i, "handoff", at("30.000"), `,"reason":"repeated_question"`)
			} else {
				ev(7+i, "message", at("30.000"), `,"sender":"customer","text":"有优惠吗","intent":"price_promo","x_sentiment":"neutral"`)
			}
		}
		ev(9, "message", at("40.000"), `,"sender":"agent","agent_id":"a1","text":"亲，您好"`)
	}
	loadLines(t, conn, func(emit func([]byte) error) error {
		for _, l := range lines {
			if err := emit([]byte(l)); err != nil {
				return err
			}
		}
		return nil
	}, enricher(t))
	runDays(t, conn, db, DefaultSettings(), "2026-11-02", "2026-11-02")
	expectSorted(t, "violations", pick(t, conn, "violations", oneDay, "conversation_id", "event_id", "responder", "rule", "detail"),
		[]string{"t2 t2-5 bot missed_takeover repeated_question"})
}
