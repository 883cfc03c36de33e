package simulate

import (
	"errors"
	"fmt"
	"time"
)

// Shanghai is the reporting time zone of the simulated shops (UTC+8, no
// daylight saving since 1991). A fixed zone avoids depending on tzdata.
var Shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// StagePropensity is the probability that a pre-sale consultation leads to
// an order, by the last funnel stage the buyer reached (None: the buyer only
// greeted or chatted).
type StagePropensity struct {
	None     float64 `json:"none"`
	Product  float64 `json:"product"`
	Price    float64 `json:"price"`
	Shipping float64 `json:"shipping"`
	Payment  float64 `json:"payment"`
}

// ResponderFactors multiply the order propensity by who answered the
// consultation: a served buyer orders more than an ignored one.
type ResponderFactors struct {
	BotOnly    float64 `json:"bot_only"`
	BotToHuman float64 `json:"bot_to_human"`
	HumanOnly  float64 `json:"human_only"`
	Unanswered float64 `json:"unanswered"`
}

// Config governs the traffic. Rates are probabilities in [0, 1] unless
// said otherwise. The zero value is not useful; start from DefaultConfig.
type Config struct {
	Seed uint64 `json:"seed"`
	// Start is local midnight (Asia/Shanghai) of the first simulated day.
	Start time.Time `json:"start"`
	Days  int       `json:"days"`
	// Shops is the number of shops, at most 99; shop i has id ShopID(i).
	Shops                   int `json:"shops"`
	ConsultationsPerShopDay int `json:"consultations_per_shop_day"`

	// PreSaleShare is the share of consultations that are pre-sale; the
	// rest are after-sale and reference an earlier order of the buyer.
	PreSaleShare float64 `json:"pre_sale_share"`
	// Who answers a consultation; the four shares are normalised.
	BotOnlyShare    float64 `json:"bot_only_share"`
	HandoffShare    float64 `json:"handoff_share"`
	HumanOnlyShare  float64 `json:"human_only_share"`
	UnansweredShare float64 `json:"unanswered_share"`
	// FallbackRate is the share of bot answers that are fallbacks.
	FallbackRate float64 `json:"fallback_rate"`
	// GreetingRate: share of consultations opening with 在吗/亲/你好.
	GreetingRate float64 `json:"greeting_rate"`
	// IdleChatShare: conversations opened without any customer message
	// (not consultations); added on top of the consultations.
	IdleChatShare float64 `json:"idle_chat_share"`

	OrderPropensity StagePropensity  `json:"order_propensity"`
	ResponderFactor ResponderFactors `json:"responder_factor"`
	// ReturnVisitRate: a pre-sale buyer who did not order comes back for
	// another consultation 1–60 hours later.
	ReturnVisitRate float64 `json:"return_visit_rate"`
	// SilentOrderShare: orders without any consultation (静默下单), per
	// consultation of the shop.
	SilentOrderShare float64 `json:"silent_order_share"`
	PayRate          float64 `json:"pay_rate"`
	// NoCreatedShare: paid orders whose `created` event never arrives.
	NoCreatedShare float64 `json:"no_created_share"`
	// CancelRate: unpaid orders that get an explicit `cancelled`.
	CancelRate float64 `json:"cancel_rate"`
	// RefundRate: paid orders later refunded (in full or in part).
	RefundRate float64 `json:"refund_rate"`
	// ResendRate: order status events the order system sends twice under
	// two event ids (the later copy must not count).
	ResendRate float64 `json:"resend_rate"`
	RatingRate float64 `json:"rating_rate"`

	// EnglishShare: share of buyers writing English (mostly on whatsapp).
	EnglishShare float64 `json:"english_share"`
	// UnlabelledShare: customer messages after the first substantive one
	// that carry no upstream intent (left to the NLP).
	UnlabelledShare float64 `json:"unlabelled_share"`
	// EpochMillisShare: events whose ts is written as epoch milliseconds.
	EpochMillisShare float64 `json:"epoch_millis_share"`
	// DuplicateRate: events emitted twice with the same event_id (at-least-
	// once delivery); the tally counts them once.
	DuplicateRate float64 `json:"duplicate_rate"`

	// Experiments, Night and OrderHistoryDays drive the growth metrics
	// (§11–§14; growth.go). Experiments and night staffing on shops the
	// run does not simulate have no effect.
	Experiments      []Experiment  `json:"experiments"`
	Night            NightStaffing `json:"night"`
	OrderHistoryDays int           `json:"order_history_days"`

	// NegativeOrderFactor multiplies the order propensity of a pre-sale
	// consultation in which the buyer was annoyed at the service: unhappy
	// buyers buy less. The default 1 keeps the traffic of earlier versions
	// byte for byte; the demo uses 0.6. (A planted NegativeSurge's
	// complaining buyers always order at half the rate, on top.)
	NegativeOrderFactor float64 `json:"negative_order_factor"`
	// TopicOrderFactor multiplies the order propensity of a pre-sale
	// consultation that asked about a product topic (shelf life, size,
	// origin …): a buyer whose question the product page left open buys
	// less, which is what a topic surge's money at stake measures
	// (metrics.md §8 "Alerts v2"). The default 1 keeps the traffic of
	// earlier versions byte for byte; the demo and the alert harness use
	// 0.5. (A topic surge's extra chats order at 0.6 of a product-stage
	// chat instead.)
	TopicOrderFactor float64 `json:"topic_order_factor"`

	// Promotions are promotion days (traffic × Factor, see Promotion).
	Promotions []Promotion `json:"promotions,omitempty"`
	Anomalies  []Anomaly   `json:"-"`
	// QA plants quality-inspection violations (off by default).
	QA QAPlan `json:"qa"`
}

// DefaultConfig is five weeks of three shops starting on a Monday, enough
// history for the 28-day alert baselines. It plants no anomalies; see
// DemoAnomalies.
func DefaultConfig() Config {
	return Config{
		Seed:                    1,
		Start:                   time.Date(2026, 9, 7, 0, 0, 0, 0, Shanghai),
		Days:                    35,
		Shops:                   3,
		ConsultationsPerShopDay: 400,
		PreSaleShare:            0.7,
		BotOnlyShare:            0.55,
		HandoffShare:            0.22,
		HumanOnlyShare:          0.15,
		UnansweredShare:         0.08,
		FallbackRate:            0.08,
		GreetingRate:            0.45,
		IdleChatShare:           0.03,
		OrderPropensity:         StagePropensity{None: 0.04, Product: 0.22, Price: 0.3, Shipping: 0.2, Payment: 0.62},
		ResponderFactor:         ResponderFactors{BotOnly: 1, BotToHuman: 1.1, HumanOnly: 1.2, Unanswered: 0.45},
		ReturnVisitRate:         0.12,
		SilentOrderShare:        0.15,
		PayRate:                 0.85,
		NoCreatedShare:          0.05,
		CancelRate:              0.8,
		RefundRate:              0.05,
		ResendRate:              0.01,
		RatingRate:              0.3,
		EnglishShare:            0.06,
		UnlabelledShare:         0.2,
		EpochMillisShare:        0.03,
		DuplicateRate:           0,
		NegativeOrderFactor:     1,
		TopicOrderFactor:        1,
	}
}

// End is the first instant after the simulated period.
func (c Config) End() time.Time { return c.dayStart(c.Days) }

func (c Config) dayStart(d int) time.Time {
	return c.Start.In(Shanghai).AddDate(0, 0, d)
}

// Validate says what is wrong with c, or nil.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Start.IsZero() {
		bad("start is required (local midnight, Asia/Shanghai, of the first day)")
	} else if s := c.Start.In(Shanghai); s.Hour() != 0 || s.Minute() != 0 || s.Second() != 0 || s.Nanosecond() != 0 {
		bad("start %s is not a midnight in Asia/Shanghai", c.Start.Format(time.RFC3339))
	}
	if c.Days < 1 || c.Days > 3660 {
		bad("days must be within 1..3660, got %d", c.Days)
	}
	if c.Shops < 1 || c.Shops > 99 {
		bad("shops must be within 1..99, got %d", c.Shops)
	}
	if c.ConsultationsPerShopDay < 0 || c.ConsultationsPerShopDay > 1_000_000 {
		bad("consultations_per_shop_day must be within 0..1000000, got %d", c.ConsultationsPerShopDay)
	}
	rates := []struct {
		name string
		v    float64
	}{
		{"pre_sale_share", c.PreSaleShare}, {"bot_only_share", c.BotOnlyShare}, {"handoff_share", c.HandoffShare},
		{"human_only_share", c.HumanOnlyShare}, {"unanswered_share", c.UnansweredShare},
		{"fallback_rate", c.FallbackRate}, {"greeting_rate", c.GreetingRate}, {"idle_chat_share", c.IdleChatShare},
		{"order_propensity.none", c.OrderPropensity.None}, {"order_propensity.product", c.OrderPropensity.Product},
		{"order_propensity.price", c.OrderPropensity.Price}, {"order_propensity.shipping", c.OrderPropensity.Shipping},
		{"order_propensity.payment", c.OrderPropensity.Payment},
		{"return_visit_rate", c.ReturnVisitRate}, {"silent_order_share", c.SilentOrderShare}, {"pay_rate", c.PayRate},
		{"no_created_share", c.NoCreatedShare}, {"cancel_rate", c.CancelRate}, {"refund_rate", c.RefundRate},
		{"resend_rate", c.ResendRate}, {"rating_rate", c.RatingRate}, {"negative_order_factor", c.NegativeOrderFactor}, {"english_share", c.EnglishShare},
		{"topic_order_factor", c.TopicOrderFactor},
		{"unlabelled_share", c.UnlabelledShare}, {"epoch_millis_share", c.EpochMillisShare}, {"duplicate_rate", c.DuplicateRate},
		{"qa.phrase_rate", c.QA.PhraseRate}, {"qa.near_miss_rate", c.QA.NearMissRate}, {"qa.slow_reply_rate", c.QA.SlowReplyRate},
		{"qa.slow_first_response_rate", c.QA.SlowFirstResponseRate},
	}
	for _, r := range rates {
		if !(r.v >= 0 && r.v <= 1) {
			bad("%s must be within 0..1, got %v", r.name, r.v)
		}
	}
	if c.BotOnlyShare+c.HandoffShare+c.HumanOnlyShare+c.UnansweredShare <= 0 {
		bad("at least one of bot_only_share, handoff_share, human_only_share, unanswered_share must be > 0")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"bot_only", c.ResponderFactor.BotOnly}, {"bot_to_human", c.ResponderFactor.BotToHuman}, {"human_only", c.ResponderFactor.HumanOnly}, {"unanswered", c.ResponderFactor.Unanswered}} {
		if !(f.v >= 0 && f.v <= 10) {
			bad("responder_factor.%s must be within 0..10, got %v", f.name, f.v)
		}
	}
	errs = append(errs, c.validateGrowth()...)
	if len(errs) == 0 {
		for i, p := range c.Promotions {
			if err := p.validate(c); err != nil {
				bad("promotions[%d]: %w", i, err)
			}
		}
		for i, a := range c.Anomalies {
			if a == nil {
				bad("anomalies[%d] is nil", i)
				continue
			}
			if err := a.validate(c); err != nil {
				bad("anomalies[%d] (%s): %w", i, a.Kind(), err)
			}
		}
	}
	return errors.Join(errs...)
}
