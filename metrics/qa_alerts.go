package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

// ruleQAViolation is §9's alert: a responder who wrote a diversion or rude
// phrase on the day (platforms penalise the shop for either).
const ruleQAViolation = "qa_violation"

// qaAlerts adds a critical qa_violation alert per (shop, responder) with a
// diversion or rude violation on day d, the first five messages as
// evidence and the review to do as the action.
func qaAlerts(ctx context.Context, conn convsql.Conn, d time.Time, firing map[seriesKey]*alert) error {
	stmt, err := render("qa_alerts", nil)
	if err != nil {
		return err
	}
	recs, err := queryRecords(ctx, conn, stmt, d.Format(time.DateOnly))
	if err != nil {
		return err
	}
	loc := d.Location()
	for _, rec := range recs {
		k := seriesKey{rule: ruleQAViolation, shop: rec["shop_id"].(string), who: rec["responder"].(string)}
		ev, _ := rec["evidence"].([]string)
		phrases, _ := rec["phrases"].([]string)
		convs, _ := rec["conversations"].([]string)
		first := time.UnixMilli(rec["first_ms"].(int64)).In(loc).Format("15:04")
		n := float64(cnt(rec, "violations"))
		a := &alert{Value: n, Ratio: 0, Severity: "critical", Evidence: ev}
		who, whoEn := k.who, k.who
		if k.who == "bot" {
			who, whoEn = "机器人", "the bot"
		}
		conv := ""
		if len(convs) > 0 {
			conv = convs[0]
		}
		a.ActionZh = fmt.Sprintf("复核%s在%s的对话（%s）：「%s」违反平台规则（站外导流/辱骂客户会被处罚），共%d条；核实后对当事客服进行提醒或申诉",
			who, first, conv, strings.Join(phrases, "」「"), int(n))
		a.ActionEn = fmt.Sprintf("Review %s's conversation at %s (%s): %s breaks the platform's rules (off-platform contact and rudeness are penalised); %d such messages today. Coach the agent, or dispute the violation if it is a false match",
			whoEn, first, conv, strings.Join(phrases, ", "), int(n))
		a.Rule, a.Shop, a.Subject = k.rule, k.shop, k.subject()
		firing[k] = a
	}
	return nil
}
