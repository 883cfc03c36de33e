package reporttest

import (
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// QA is a quality-inspection page over one week: every rule, a disputed
// violation, and hostile text in the evidence and ids.
func QA() *reports.QA {
	p := week()
	q := &reports.QA{Scope: reports.Scope{Period: p}, Consultations: 8400, Messages: 31250, Violations: 0, AvgScore: 96.4}
	for i := 0; i < 7; i++ {
		q.Daily = append(q.Daily, reports.QAPoint{Date: p.From.AddDate(0, 0, i), Violations: int64(40 + 7*i%5),
			Consultations: 1200, WithViolation: int64(36 + 7*i%5)})
	}
	q.ByRule = []reports.QACount{{Key: "forbidden_phrase", Count: 31}, {Key: "slow_reply", Count: 120}, {Key: "slow_first_response", Count: 64},
		{Key: "missed_takeover", Count: 22}, {Key: "left_unanswered", Count: 51}}
	q.ByCategory = []reports.QACount{{Key: "rude", Count: 6}, {Key: "absolute_claim", Count: 12}, {Key: "diversion", Count: 9}, {Key: "inducement", Count: 4}}
	for _, c := range q.ByRule {
		q.Violations += c.Count
	}
	q.ByResponder = []reports.ResponderQA{
		{Responder: "agent-07", Shops: []string{"shop-01"}, Consultations: 610, Messages: 2950, Count: 71, ViolationRate: 0.09, AvgScore: 93.2, Phrases: 12, Slow: 40, SlowFirst: 15, LeftUnanswered: 4},
		{Responder: "bot", Consultations: 6900, Messages: 21000, Count: 22, ViolationRate: 0.003, AvgScore: 98.9, MissedTakeover: 22},
		{Responder: "unassigned", Consultations: 420, Count: 47, ViolationRate: 0.11, AvgScore: 98.9, LeftUnanswered: 47},
		{Responder: Hostile, Shops: []string{"shop-02"}, Consultations: 12, Messages: 40, Count: 3, ViolationRate: 0.25, AvgScore: 80, Phrases: 3},
	}
	q.Worst = []reports.QAConversation{
		{Date: "2026-11-05", Shop: "shop-01", Conversation: "conv-8812", Score: 35, Violations: []reports.QAViolation{
			{ID: "0123456789abcdef", Time: "11-05 14:32:10", Shop: "shop-01", Conversation: "conv-8812", Responder: "agent-07", Rule: "forbidden_phrase",
				Category: "diversion", Phrase: "加微信", Evidence: "亲加我微信，给您优惠，电话[PHONE]", Weight: 30},
			{ID: "0123456789abcde0", Time: "11-05 14:35:00", Shop: "shop-01", Conversation: "conv-8812", Responder: "agent-07", Rule: "slow_reply",
				DelayS: 241, Evidence: "在的亲", Weight: 5},
			{ID: "0123456789abcde1", Time: "11-05 14:40:00", Shop: "shop-01", Conversation: "conv-8812", Responder: Hostile, Rule: "forbidden_phrase",
				Category: "rude", Phrase: "爱买不买", Evidence: Hostile, Weight: 20, Dispute: metrics.DisputeAccepted},
		}},
		{Date: "2026-11-04", Shop: "shop-02", Conversation: "conv-5120", Score: 80, Violations: []reports.QAViolation{
			{ID: "0123456789abcde2", Time: "11-04 10:00:40", Shop: "shop-02", Conversation: "conv-5120", Responder: "bot", Rule: "missed_takeover",
				Detail: "repeated_question", Evidence: "到底几号发货", Weight: 20},
		}},
	}
	q.Disputed = []reports.QAViolation{{ID: "0123456789abcde3", Time: "11-03 09:12:00", Shop: "shop-01", Conversation: "conv-4410",
		Responder: "agent-02", Rule: "forbidden_phrase", Category: "absolute_claim", Phrase: "绝对", Evidence: "绝对不会让您失望", Dispute: metrics.DisputeDisputed}}
	q.Shops = []string{"shop-01", "shop-02"}
	return q
}

// Agents is an agent scoreboard over one week, the bot first.
func Agents() *reports.Agents {
	a := &reports.Agents{Scope: reports.Scope{Period: week()}, Shops: []string{"shop-01", "shop-02"}, NoAgentSales: 24_700, NoAgentOrders: 2}
	a.Rows = []reports.AgentRow{
		{Agent: "bot", Served: 5200, Consulting: 4100, Ordered: 1400, Paid: 1250, OrderRate: 0.341, PayRate: 0.305, PaidAmount: 40_000_000,
			SalesOrders: 1180, Sales: 38_500_000, AOV: 32_627, Replies: 21000, AvgReplyS: 1.2, ReplyP90S: 2.4, ReplyRate: 1, Ratings: 900, CSAT: 0.81, AvgScore: 98.9, Violations: 22},
		{Agent: "agent-07", Shops: []string{"shop-01"}, Served: 610, Consulting: 480, Ordered: 210, Paid: 190, OrderRate: 0.4375, PayRate: 0.396, PaidAmount: 8_100_000,
			SalesOrders: 180, Sales: 7_650_000, AOV: 42_500, Replies: 2500, AvgReplyS: 38.5, ReplyP90S: 150, ReplyRate: 0.984, FirstResponseP50Ms: 14_000, Ratings: 160, CSAT: 0.93, AvgScore: 93.2, Violations: 71},
		{Agent: Hostile, Shops: []string{"shop-02"}, Served: 12, Consulting: 9, Ordered: 2, Paid: 1, OrderRate: 0.22, PayRate: 0.11, PaidAmount: 12_000,
			SalesOrders: 1, Sales: 12_000, AOV: 12_000, Replies: 30, AvgReplyS: 95, ReplyP90S: 260, ReplyRate: 0.8, FirstResponseP50Ms: 41_000, Ratings: 2, CSAT: 0.5, AvgScore: 80, Violations: 3},
	}
	return a
}
