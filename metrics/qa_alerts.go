package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// RuleQAViolation is §9's alert: a responder (kept in the series' Node)
// wrote a diversion or rude phrase that day; platforms penalise the shop
// for either, so it is critical whatever the baseline.
const RuleQAViolation = "qa_violation"

func init() {
	RegisterRule(Rule{
		Name: RuleQAViolation, Direction: DirectionUp, Warning: 1, Critical: 1, NoBaseline: true,
		Subject: func(k SeriesKey) string { return k.Node },
		Fire: func(in RuleInput) (*Alert, float64) {
			n := in.Points[in.Today].num
			if n <= 0 {
				return nil, 0
			}
			return &Alert{Value: n}, 1
		},
		// The specific action (time, conversation, phrase) is written by
		// qaAlertDetails; this is its shape when no violation row is found.
		Action: func(k SeriesKey) (string, string) {
			return fmt.Sprintf("复核%s当天含站外导流/辱骂用语的对话", k.Node),
				fmt.Sprintf("Review %s's conversations of the day with off-platform contact or rude phrases", k.Node)
		},
		Trend: Trend{Metric: "qa", Field: "penalised_phrases", By: []string{"date", "responder"}},
	})
}

// qaAlertDetails gives each firing qa_violation alert the first five
// offending messages (masked) as evidence and an action naming the time,
// the conversation (by its reference, ConversationRef: the stored alert,
// its JSON export and the announcements never carry the platform's id)
// and the phrases.
func qaAlertDetails(ctx context.Context, conn warehouse.Conn, d time.Time, firing map[SeriesKey]*Alert) error {
	any := false
	for k := range firing {
		any = any || k.Rule == RuleQAViolation
	}
	if !any {
		return nil
	}
	stmt, err := render("qa_alert_details", nil)
	if err != nil {
		return err
	}
	recs, err := queryRecords(ctx, conn, stmt, d.Format(time.DateOnly))
	if err != nil {
		return err
	}
	for _, rec := range recs {
		k := SeriesKey{Rule: RuleQAViolation, Shop: rec["shop_id"].(string), Node: rec["responder"].(string)}
		a := firing[k]
		if a == nil {
			continue
		}
		a.Evidence = rec.Strings("evidence")
		phrases := rec.Strings("phrases")
		at := time.UnixMilli(rec["first_ms"].(int64)).In(d.Location()).Format("15:04")
		conv := ConversationRef(k.Shop, rec["conversation_id"].(string))
		who, whoEN := k.Node, k.Node
		if who == "bot" {
			who, whoEN = "机器人", "the bot"
		}
		n := rec.Count("violations")
		a.ActionZH = fmt.Sprintf("复核%s在%s的对话（%s）：「%s」违反平台规则（站外导流、辱骂客户会被平台处罚）；当天共%d条。核实后提醒当事客服，误判可申诉",
			who, at, conv, strings.Join(phrases, "」「"), n)
		such := "such messages"
		if n == 1 {
			such = "such message"
		}
		a.ActionEN = fmt.Sprintf("Review %s's conversation at %s (%s): %s breaks the platform's rules (off-platform contact and rudeness are penalised); %d %s that day. Coach the agent, or dispute it if the match is wrong",
			whoEN, at, conv, strings.Join(phrases, ", "), n, such)
	}
	return nil
}
