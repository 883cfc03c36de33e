package metrics

import (
	"fmt"
	"time"
)

// The alert rules of metrics.md §8.
const (
	RuleTopicSurge     = "topic_surge"
	RuleDropoffSpike   = "dropoff_spike"
	RuleNegativeSurge  = "negative_surge"
	RuleFallbackSpike  = "fallback_spike"
	RuleConversionDrop = "conversion_drop"
)

// Directions a rule watches its series in.
const (
	DirectionUp   = "up"
	DirectionDown = "down"
)

// Rule describes one alert rule: the evaluation, the reports and the
// webhooks read it; none of them branches on a rule's name. Its daily
// series comes from sql/metrics/alert_series.sql (one UNION branch per
// rule, tagged with the rule's name) and its evidence from
// alert_evidence.sql. See docs/architecture.md, "Adding an alert rule".
type Rule struct {
	Name string
	// Direction is which way of the series is bad: DirectionUp or
	// DirectionDown.
	Direction string
	// Rate says the value is a rate (shown as a percentage), not a count.
	Rate bool
	// Warning and Critical are how far past its threshold (1 = at the
	// threshold, in the rule's own measure) the rule must fire for those
	// severities; below Warning it is info.
	Warning, Critical float64
	// Subject names what an alert is about, from its series key.
	Subject func(k SeriesKey) string
	// Fire evaluates the rule for one series on a day: nil when it does not
	// fire, else an alert with Value, Baseline, Ratio and how far past
	// its threshold it is (Alert.Severity is then set from Warning and
	// Critical).
	Fire func(in RuleInput) (a *Alert, past float64)
	// Action is the suggested next step for the person who must act (zh, en).
	Action func(k SeriesKey) (zh, en string)
	// Trend is the stored metric whose rows chart the alert in the
	// early-warning report; the zero value draws no trend.
	Trend Trend
	// NoBaseline: the rule judges the day on its own (a forbidden phrase is
	// one on a shop's first day), so it needs no days of history.
	NoBaseline bool
	// WaitsForOrders: the rule's series waits W for orders (order rate,
	// abandonment), so a day is judged only once it is settled — end of
	// day + W at or before the latest stored order event. On an earlier
	// day the rule raises nothing, and an alert it opened stays open with
	// the figures of the last day it judged: that a day's orders have not
	// all arrived says nothing about whether the drop stopped.
	WaitsForOrders bool
	// MoneySoFar: an alert's money at stake is the period so far (a
	// drop-off spike's is its week so far), so its latest row replaces the
	// earlier ones; otherwise each day's rows add up.
	MoneySoFar bool
}

// Trend says which stored metric charts a rule's series: Field of metric
// Metric, grouped by By (the first being date or week), restricted to the
// alert's subject on the other dimensions of By (product_id, topic, node).
type Trend struct {
	Metric string
	Field  string
	By     []string
	// Weeks is how many weeks before the alert's week a weekly trend shows
	// (By starting with week); a daily trend shows TrendDays.
	Weeks int
}

// SeriesKey identifies one series a rule watches.
type SeriesKey struct{ Rule, Shop, Product, Topic, Node string }

// RuleInput is what a rule sees when it evaluates one series on a day.
type RuleInput struct {
	Settings Settings
	Day      time.Time
	Today    string           // Day as 2006-01-02
	Points   map[string]point // the series by day
	BaseDays []string         // the baseline days before Day
	// History are the shop's baseline days with traffic.
	History map[string]bool
	// Monday is the Monday of Day's week.
	Monday time.Time
	// Watermark is the latest order event stored (epoch ms).
	Watermark int64
	// Alerts v2: Kept are the shop's baseline days (with traffic, not a
	// promotion or high-volume day); ProductMessages the customer messages
	// about the series' product per day (topic_surge's share); Excluded
	// says whether a day is left out of baselines (drop-off's weeks).
	Kept            []string
	ProductMessages map[string]float64
	Excluded        func(day string) bool
}

var rules []Rule

// RegisterRule adds an alert rule; like Register, each rule registers
// itself from its own file. It panics on a duplicate name.
func RegisterRule(r Rule) {
	if r.Name == "" || r.Fire == nil || r.Subject == nil || r.Action == nil {
		panic(fmt.Sprintf("metrics: rule %q needs Name, Fire, Subject and Action", r.Name))
	}
	if _, ok := LookupRule(r.Name); ok {
		panic(fmt.Sprintf("metrics: rule %q registered twice", r.Name))
	}
	rules = append(rules, r)
}

// Rules returns the registered alert rules.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// LookupRule returns the rule name.
func LookupRule(name string) (Rule, bool) {
	for _, r := range rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

func init() {
	RegisterRule(Rule{
		Name: RuleTopicSurge, Direction: DirectionUp, Warning: 1.67, Critical: 3.33,
		Subject: func(k SeriesKey) string { return k.Product + "/" + k.Topic },
		Fire:    topicSurge,
		Action:  topicAction,
		Trend:   Trend{Metric: "topics", Field: "messages", By: []string{"date", "product_id", "topic"}},
	})
	RegisterRule(Rule{
		Name: RuleDropoffSpike, Direction: DirectionUp, Rate: true, Warning: 1.5, Critical: 2,
		Subject: func(k SeriesKey) string { return k.Node },
		Fire:    dropoffSpike,
		Action:  nodeAction,
		Trend:   Trend{Metric: "dropoff", Field: "abandonment_rate", By: []string{"week", "node"}, Weeks: 7},
		// A consultation counts as dropped until its order arrives.
		WaitsForOrders: true,
		MoneySoFar:     true,
	})
	RegisterRule(Rule{
		Name: RuleNegativeSurge, Direction: DirectionUp, Rate: true, Warning: 1.5, Critical: 2.5,
		Subject: func(k SeriesKey) string { return k.Product },
		Fire: func(in RuleInput) (*Alert, float64) {
			r := in.Settings.Alerts
			return rateRise(in, r.NegativeSurgeDirection, r.NegativeSurgeRatio, float64(r.NegativeMinConsults), r.NegativeSurgeMinExtra)
		},
		Action: func(k SeriesKey) (string, string) {
			return fmt.Sprintf("抽查商品%s的差评对话，检查质量/描述是否不符，安排人工优先接待", k.Product),
				fmt.Sprintf("Review the negative chats about %s, check quality and listing accuracy, and route its buyers to agents first", k.Product)
		},
		// Its per-product series is not a stored metric: the report
		// compares the baseline with the day instead of a trend.
	})
	RegisterRule(Rule{
		Name: RuleFallbackSpike, Direction: DirectionUp, Rate: true, Warning: 1.5, Critical: 2.5,
		Subject: func(k SeriesKey) string { return k.Shop },
		Fire: func(in RuleInput) (*Alert, float64) {
			r := in.Settings.Alerts
			return rateRise(in, r.FallbackSpikeDirection, r.FallbackSpikeRatio, float64(r.FallbackMinMessages), 0)
		},
		// The shop's own gaps: the spike is one shop's, and the gaps of
		// every shop together did not hold its questions (session 17).
		Action: func(k SeriesKey) (string, string) {
			return fmt.Sprintf("查看本店的知识缺口（metrics show gaps --shop %s），为高频未答问题补充机器人答案", k.Shop),
				fmt.Sprintf("Review this shop's knowledge gaps (metrics show gaps --shop %s) and add bot answers for the most frequent unanswered questions", k.Shop)
		},
		Trend: Trend{Metric: "service", Field: "fallback_rate", By: []string{"date"}},
	})
	RegisterRule(Rule{
		Name: RuleConversionDrop, Direction: DirectionDown, Rate: true, Warning: 1.5, Critical: 2,
		Subject: func(k SeriesKey) string { return k.Shop },
		Fire:    conversionDrop,
		// A day's conversion is final only once its window has passed for
		// every event stored: earlier it is censored, not dropping.
		WaitsForOrders: true,
		Action: func(SeriesKey) (string, string) {
			return "检查当日活动、价格和库存变化，抽查未下单的咨询对话",
				"Check the day's promotions, prices and stock changes, and review chats of buyers who did not order"
		},
		Trend: Trend{Metric: "conversion", Field: "order_rate", By: []string{"date"}},
	})
}

// severity grades how far past its threshold rule r fired (past = 1 at
// the threshold).
func (r Rule) severity(past float64) string {
	switch {
	case past >= r.Critical:
		return SeverityCritical
	case past >= r.Warning:
		return SeverityWarning
	}
	return SeverityInfo
}
