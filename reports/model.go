package reports

import (
	"time"

	"github.com/convintel/convintel/metrics"
)

// Scope is what a report covers: the period and its filters.
type Scope struct {
	Period Period
	// Shop is the one shop_id reported on, "" for all.
	Shop string
	// Channel is the one channel reported on, "" for all (GMV dashboard).
	Channel string
	// Coverage is which days hold data and up to which day the windows
	// that wait W for orders are complete. The zero value (unknown) treats
	// every day as complete.
	Coverage metrics.Coverage
	// Retention is the deployment's metrics.retention (§13: the look-back
	// and when a buyer is silent), which the GMV dashboard states under its
	// repurchase cards; the zero value is the defaults.
	Retention metrics.RetentionSettings
	// QA is the deployment's metrics.qa: the QA page and the scoreboard
	// name its reply SLA (each shop's) and slow-reply cap. The zero value
	// is the defaults.
	QA metrics.QASettings
	// PromotionDays is the deployment's metrics.alerts.promotion_days
	// (MM-DD every year, or YYYY-MM-DD), the days the early warnings keep
	// out of their baselines: the weekly page names those inside either
	// week it compares, beside the changes. Nil names none.
	PromotionDays []string
}

// Conversion are the 询单转化 figures of one grouping (metrics.md §1).
type Conversion struct {
	ConsultingBuyers  int64
	OrderedBuyers     int64
	SameDayPaidBuyers int64
	FinalPaidBuyers   int64
	FinalPaidAmount   metrics.Money
	OrderRate         float64
	SameDayPayRate    float64
	FinalPayRate      float64
}

// ConversionLine is one shop and channel with this week and last week.
type ConversionLine struct {
	Shop, Channel string
	Current       Conversion
	Previous      Conversion
}

// SmallSample is the number of consulting buyers below which a line's
// change against the week before is shown without a colour: with 21
// buyers one more or one less order moves the rate by five points, and
// swings of twenty points happen by chance.
const SmallSample = 50

// Small says whether either week of the line has fewer than SmallSample
// consulting buyers.
func (c ConversionLine) Small() bool {
	return c.Current.ConsultingBuyers < SmallSample || c.Previous.ConsultingBuyers < SmallSample
}

// DailyConversion is one day of the week.
type DailyConversion struct {
	Date time.Time
	Conversion
	// Immature: the day's window (W after each consultation) has not
	// closed for every stored order yet, so its order and pay figures can
	// still grow.
	Immature bool
}

// FunnelStep is one configured funnel step (metrics.md §5).
type FunnelStep struct {
	Step            int
	Name            string
	Buyers          int64
	FromStart       float64
	FromPrevious    float64
	MedianToStepSec float64
}

// DropOffNode is one 高流失节点 with its change against the previous week.
type DropOffNode struct {
	Node            string
	Touched         int64
	Dropped         int64
	Abandonment     float64
	PrevTouched     int64
	PrevAbandonment float64
}

// Sentiment are the sentiment KPIs (metrics.md §3).
type Sentiment struct {
	Consultations int64
	Negative      int64
	Recovered     int64
	NegativeRate  float64
	RecoveryRate  float64
	AvgScore      float64
}

// Service are the service KPIs (metrics.md §6).
type Service struct {
	Consultations        int64
	BotConsultations     int64
	Handoffs             int64
	HandoffRate          float64
	ContainmentRate      float64
	FRTBotP50, FRTBotP90 float64 // milliseconds
	FRTHumanP50          float64
	FRTHumanP90          float64
	CSAT                 float64
	AvgRating            float64
	Ratings              int64
	FallbackRate         float64
	RepeatedQuestionRate float64
}

// KnowledgeGap is one group of unanswered questions (metrics.md §7).
type KnowledgeGap struct {
	// Label is the most asked masked question of the group, as a buyer
	// wrote it; Signature (its sorted content words) is only the key.
	Label      string
	Signature  string
	Count      int64
	Examples   []string
	TopIntent  string
	TopProduct string
	// TopProductShops are the shops whose rows of the gap name TopProduct
	// as their top product, most asked first (one: a product id is one
	// shop's). The demo's two shops sell a "Floral chiffon dress" each,
	// and the page named the product alone.
	TopProductShops []string
}

// Weekly is the weekly funnel report for operations managers.
type Weekly struct {
	Scope
	// Compared is the part of the period whose windows are complete, and
	// PrevCompared the same days of the previous period: conversion,
	// funnel and drop-off figures and their deltas cover these (like with
	// like). Comparable is false when no day of the period is complete
	// yet: the figures then cover the whole period, without deltas.
	Compared, PrevCompared Period
	Comparable             bool
	// Observed is the days of the period that hold data (all of it once
	// its last day has data; the days so far when the report is built
	// mid-week) and PrevObserved the same days of the previous period:
	// sentiment and service, which do not wait for orders, cover and
	// compare these. Conversion cannot be compared on days whose order
	// window is still open, so Compared can be shorter than Observed.
	Observed, PrevObserved Period
	// Tail is the conversion so far of the days after Compared that are
	// still inside their window (Tail.Days() == 0 when there are none).
	Tail              Period
	TailFigures       Conversion
	HasTail           bool
	Current, Previous Conversion
	ByShopChannel     []ConversionLine
	Daily             []DailyConversion
	Funnel            []FunnelStep
	// DropOff is ranked by abandonment rate, highest first.
	DropOff []DropOffNode
	// DropOffAlerts are the period's drop-off spikes (metrics.md §8), each
	// one shop's node over its week so far, days still inside the order
	// window included. The table above covers the shops reported on over
	// Compared only, so its rate for the same node differs: the page names
	// them beside it and links the early-warning report, where their cards
	// say the same from the other side.
	DropOffAlerts            []Alert
	Sentiment, PrevSentiment Sentiment
	Service, PrevService     Service
	Gaps                     []KnowledgeGap
	// Hours is the hour × weekday heat-map (growth.go).
	Hours *HoursHeat
}

// Alert is the latest state of one early warning (metrics.md §8), its
// Date and Opened in the report's zone, with the trend of the series its
// rule watches.
type Alert struct {
	metrics.Alert
	Trend []TrendPoint
}

// TrendPoint is one value of an alert's series.
type TrendPoint struct {
	Label string // a date, or a week for weekly series
	Value float64
	// Missing: the series has no value there (a rate over a day without
	// consultations), which the chart leaves as a gap: a conversion rate
	// of 0 on a day nobody asked would read as a collapse.
	Missing bool
}

// AlertGroup is the open alerts of one product (or shop-wide) in one shop.
type AlertGroup struct {
	Shop    string
	Product string // "" for shop-wide alerts
	Alerts  []Alert
}

// Alerts is the early-warning report for merchandisers.
type Alerts struct {
	Scope
	Groups []AlertGroup
	// Closed is the alerts that stopped firing during the period (latest
	// state closed), most recently closed first: a merchandiser checks
	// that the fix worked. Their Date is the day they closed.
	Closed []Alert
	// Conduct is the period's qa_violation alerts (metrics.md §9: an
	// agent's rude or off-platform message), open or closed, latest first.
	// They are for service supervisors, not early warnings of the shop's
	// business, so they are listed apart, after the others, and not in
	// Groups, Closed or Counts: thirty of them as cards buried the one
	// shelf-life surge a merchandiser opens the report for.
	Conduct []Alert
}

// Counts returns how many alerts there are, and how many are critical,
// warning and info (anything else counts as info).
func (a *Alerts) Counts() (n, critical, warning, info int) {
	for _, g := range a.Groups {
		for _, al := range g.Alerts {
			n++
			switch al.Severity {
			case "critical":
				critical++
			case "warning":
				warning++
			default:
				info++
			}
		}
	}
	return n, critical, warning, info
}

// Action returns the suggested action in lang as stored, falling back to
// the other language when that one is empty. Pages and announcements show
// ActionText, which names the product for a person.
func (al Alert) Action(lang string) string {
	if lang == LangZH && al.ActionZH != "" || al.ActionEN == "" {
		return al.ActionZH
	}
	return al.ActionEN
}

// GMVPoint is one day of attributed GMV (metrics.md §2).
type GMVPoint struct {
	Date         time.Time
	Bot          metrics.Money
	Human        metrics.Money
	Unattributed metrics.Money
	Total        metrics.Money
	// Refunded are the refunds of the orders paid on the day, so far.
	Refunded metrics.Money
	BotShare float64
	// AttributionPartial: the day's orders look back W over days before
	// the first stored consultation (metrics.Coverage.AttributionComplete),
	// so part of what consultations earned shows as unattributed.
	AttributionPartial bool
}

// ResponderConversion is conversion for one responder class.
type ResponderConversion struct {
	Responder string
	Conversion
}

// AgentSales is one agent's 客服销售额.
type AgentSales struct {
	Agent string
	// Shop is the shop the agent sold for: agents of shops with larger
	// orders rank higher, so the ranking names each one's shop (as the
	// scoreboard does) rather than set them side by side as peers.
	Shop     string
	Orders   int64
	GMV      metrics.Money
	Refunded metrics.Money
}

// GMV is the GMV-contribution dashboard for executives.
type GMV struct {
	Scope
	Totals   GMVPoint // Date unset
	Orders   int64
	Refunded metrics.Money
	// PrevTotals, PrevOrders and PrevRefunded are the same figures over
	// PrevCompared, the days before Compared (the period's days that can
	// hold data) of the same number.
	PrevTotals             GMVPoint
	PrevOrders             int64
	PrevRefunded           metrics.Money
	Compared, PrevCompared Period
	Daily                  []GMVPoint
	ByResponder            []ResponderConversion
	TopAgents              []AgentSales
	// Shops and Channels offer the filter choices seen in the period.
	Shops, Channels []string
	// Growth: bot value, night share and bot-guided repurchase (growth.go).
	Growth *GrowthCards
}
