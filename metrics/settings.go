package metrics

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Settings are the business conventions of metrics.md, with its defaults.
// The main program embeds them as `metrics:` in its config file.
type Settings struct {
	Timezone string `yaml:"timezone"`
	// AttributionWindow is W: consultation to order, inclusive at both ends.
	AttributionWindow time.Duration `yaml:"attribution_window"`
	// AttributionModel is last_touch, first_touch or linear.
	AttributionModel string `yaml:"attribution_model"`
	// AttributionAnchor is created (下单优先) or paid.
	AttributionAnchor string       `yaml:"attribution_anchor"`
	FunnelSteps       []FunnelStep `yaml:"funnel_steps"`
	Alerts            AlertRules   `yaml:"alerts"`
	// QA are the quality-inspection rules (§9) and service levels (§10).
	QA QASettings `yaml:"qa"`

	// §11–§14 (settings_growth.go).
	Experiments ExperimentSettings `yaml:"experiments"`
	Hourly      HourlySettings     `yaml:"hourly"`
	Retention   RetentionSettings  `yaml:"retention"`
	ROI         ROISettings        `yaml:"roi"`

	// StatementConsultations bounds the consultations one statement of a
	// job joining buyers' consultations with their orders reads: days
	// holding more run in buyer slices of about this size (slices.go),
	// so the job's memory and per-buyer cost stay the same as data grows.
	StatementConsultations int `yaml:"statement_consultations"`
	// StatementMessages does the same for the consultation summary: a
	// pass whose days (with W before and after) hold more raw messages runs
	// in buyer slices of about this many.
	StatementMessages int `yaml:"statement_messages"`
}

// FunnelStep is one configured funnel step; an Optional step may be
// skipped by a buyer reaching a later one.
type FunnelStep struct {
	Name     string `yaml:"name"`
	Optional bool   `yaml:"optional"`
}

// AlertRules are the thresholds of the five alert rules (metrics.md §8).
type AlertRules struct {
	BaselineDays   int `yaml:"baseline_days"`
	MinHistoryDays int `yaml:"min_history_days"`

	TopicSurgeMinCount  int     `yaml:"topic_surge_min_count"`
	TopicSurgeRatio     float64 `yaml:"topic_surge_ratio"`
	TopicSurgeRobustZ   float64 `yaml:"topic_surge_robust_z"`
	DropoffSpikePoints  float64 `yaml:"dropoff_spike_points"`
	DropoffSpikeWeeks   int     `yaml:"dropoff_spike_weeks"`
	DropoffMinTouched   int     `yaml:"dropoff_min_touched"`
	NegativeSurgeRatio  float64 `yaml:"negative_surge_ratio"`
	NegativeMinConsults int     `yaml:"negative_min_consultations"`
	FallbackSpikeRatio  float64 `yaml:"fallback_spike_ratio"`
	FallbackMinMessages int     `yaml:"fallback_min_bot_messages"`
	ConversionDropRel   float64 `yaml:"conversion_drop_relative"`
	ConversionMinBuyers int     `yaml:"conversion_min_buyers"`
	// MinZ additionally requires a rate rule's change to be significant
	// (negative_surge, fallback_spike: the variance-stabilised z of today's
	// rate against the baseline's; conversion_drop, dropoff_spike: the
	// two-proportion z), so small samples do not page anyone; 0 turns the
	// check off.
	MinZ float64 `yaml:"min_z"`

	// Alerts v2 (metrics.md §8 "Alerts v2").
	// TopicSurgeShareRatio: a topic surge also needs the topic's share of
	// the product's customer messages at this many times its baseline
	// share, so a promotion day's five-fold traffic does not fire it.
	TopicSurgeShareRatio float64 `yaml:"topic_surge_share_ratio"`
	// TopicSurgeShareZ: and the share's rise must be this significant
	// (variance-stabilised z of today's count against the count the
	// baseline share predicts); 0 turns the check off.
	TopicSurgeShareZ float64 `yaml:"topic_surge_share_z"`
	// HighVolumeRatio: days on which a shop's consultations reach this many
	// times their baseline mean are kept out of every baseline, like the
	// PromotionDays.
	HighVolumeRatio float64 `yaml:"high_volume_ratio"`
	// PromotionDays are kept out of every baseline: MM-DD every year
	// (11-11, 6-18) or one YYYY-MM-DD.
	PromotionDays []string `yaml:"promotion_days"`
	// Directions: up (a rise alerts), down (a fall alerts) or both.
	TopicSurgeDirection     string `yaml:"topic_surge_direction"`
	NegativeSurgeDirection  string `yaml:"negative_surge_direction"`
	FallbackSpikeDirection  string `yaml:"fallback_spike_direction"`
	ConversionDropDirection string `yaml:"conversion_drop_direction"`
	DropoffSpikeDirection   string `yaml:"dropoff_spike_direction"`
	// NegativeSurgeMinExtra: a negative surge also needs this many more
	// negative consultations than the baseline rate predicts for today's
	// consultations (a doubled rate of a few buyers is not worth a page).
	NegativeSurgeMinExtra float64 `yaml:"negative_surge_min_extra"`
	// BusyVolumeRatio, BusyMinZ: on a busy day for the subject — a listed
	// promotion day, or its consultations (negative_surge) or bot messages
	// (fallback_spike) so far at least BusyVolumeRatio times the same
	// hours' baseline mean — a rate rule needs z ≥ BusyMinZ instead of
	// MinZ: five times the buyers make small shifts in who is asking
	// statistically significant without being an incident.
	BusyVolumeRatio float64 `yaml:"busy_volume_ratio"`
	BusyMinZ        float64 `yaml:"busy_min_z"`
	// BusyTopicShareZ: on a day busy for the product (a listed promotion
	// day, or its customer messages on other topics so far at least
	// BusyVolumeRatio times the baseline mean), a topic surge's share rise
	// needs this z instead of TopicSurgeShareZ.
	BusyTopicShareZ float64 `yaml:"busy_topic_share_z"`
}

// Funnel step names a configuration may use, with the event each matches.
var funnelStepNames = []string{"consulted", "product", "price", "shipping", "payment", "order_created", "order_paid"}

// DefaultSettings returns the defaults of metrics.md.
func DefaultSettings() Settings {
	s := Settings{
		Timezone:          "Asia/Shanghai",
		AttributionWindow: 72 * time.Hour,
		AttributionModel:  "last_touch",
		AttributionAnchor: "created",
		FunnelSteps: []FunnelStep{
			{Name: "consulted"}, {Name: "product"}, {Name: "price"}, {Name: "shipping"},
			{Name: "order_created"}, {Name: "order_paid"},
		},
		Alerts: AlertRules{
			BaselineDays: 28, MinHistoryDays: 7,
			TopicSurgeMinCount: 20, TopicSurgeRatio: 3, TopicSurgeRobustZ: 3,
			DropoffSpikePoints: 10, DropoffSpikeWeeks: 4, DropoffMinTouched: 50,
			NegativeSurgeRatio: 2, NegativeMinConsults: 30,
			FallbackSpikeRatio: 2, FallbackMinMessages: 100,
			ConversionDropRel: 0.20, ConversionMinBuyers: 100, MinZ: 3,
			TopicSurgeShareRatio: 2, TopicSurgeShareZ: 4, HighVolumeRatio: 3, PromotionDays: []string{"11-11", "6-18"},
			TopicSurgeDirection: "up", NegativeSurgeDirection: "up", FallbackSpikeDirection: "up",
			ConversionDropDirection: "down", DropoffSpikeDirection: "up",
			NegativeSurgeMinExtra: 5, BusyVolumeRatio: 2, BusyMinZ: 4, BusyTopicShareZ: 6,
		},
		QA:                     DefaultQASettings(),
		StatementConsultations: 500_000,
		StatementMessages:      4_000_000,
	}
	defaultGrowthSettings(&s)
	return s
}

var tzRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+\-/]*$`)

// Validate reports every problem at once.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !tzRe.MatchString(s.Timezone) {
		bad("metrics.timezone %q: use an IANA zone name such as Asia/Shanghai", s.Timezone)
	} else if _, err := time.LoadLocation(s.Timezone); err != nil {
		bad("metrics.timezone %q: %v", s.Timezone, err)
	}
	if s.StatementMessages < 1 {
		bad("metrics.statement_messages %d: must be at least 1 (default 4000000)", s.StatementMessages)
	}
	if s.StatementConsultations < 1 {
		bad("metrics.statement_consultations %d: must be at least 1 (default 500000)", s.StatementConsultations)
	}
	if s.AttributionWindow <= 0 || s.AttributionWindow > 30*24*time.Hour || s.AttributionWindow%time.Millisecond != 0 {
		bad("metrics.attribution_window %s: must be a positive whole number of milliseconds up to 720h (default 72h)", s.AttributionWindow)
	}
	switch s.AttributionModel {
	case "last_touch", "first_touch", "linear":
	default:
		bad("metrics.attribution_model %q: must be last_touch, first_touch or linear", s.AttributionModel)
	}
	switch s.AttributionAnchor {
	case "created", "paid":
	default:
		bad("metrics.attribution_anchor %q: must be created or paid", s.AttributionAnchor)
	}
	if len(s.FunnelSteps) < 2 || len(s.FunnelSteps) > 16 {
		bad("metrics.funnel_steps: give 2 to 16 steps, got %d", len(s.FunnelSteps))
	}
	seen := map[string]bool{}
	for i, st := range s.FunnelSteps {
		if !contains(funnelStepNames, st.Name) {
			bad("metrics.funnel_steps[%d] %q: must be one of %s", i, st.Name, strings.Join(funnelStepNames, ", "))
		}
		if seen[st.Name] {
			bad("metrics.funnel_steps[%d] %q: listed twice", i, st.Name)
		}
		seen[st.Name] = true
		if i == 0 && st.Optional {
			bad("metrics.funnel_steps[0] %q: the first step cannot be optional", st.Name)
		}
	}
	a := s.Alerts
	if a.BaselineDays < 7 || a.BaselineDays > 90 {
		bad("metrics.alerts.baseline_days %d: must be 7..90 (default 28)", a.BaselineDays)
	}
	if a.MinHistoryDays < 1 || a.MinHistoryDays > a.BaselineDays {
		bad("metrics.alerts.min_history_days %d: must be 1..baseline_days (default 7)", a.MinHistoryDays)
	}
	if a.DropoffSpikeWeeks < 1 || a.DropoffSpikeWeeks > 12 {
		bad("metrics.alerts.dropoff_spike_weeks %d: must be 1..12 (default 4)", a.DropoffSpikeWeeks)
	}
	for name, v := range map[string]float64{
		"topic_surge_ratio": a.TopicSurgeRatio, "topic_surge_robust_z": a.TopicSurgeRobustZ,
		"dropoff_spike_points": a.DropoffSpikePoints, "negative_surge_ratio": a.NegativeSurgeRatio,
		"fallback_spike_ratio": a.FallbackSpikeRatio,
	} {
		if v <= 0 {
			bad("metrics.alerts.%s %v: must be positive", name, v)
		}
	}
	if a.MinZ < 0 {
		bad("metrics.alerts.min_z %v: must be 0 (off) or positive (default 3)", a.MinZ)
	}
	if a.TopicSurgeShareRatio < 1 {
		bad("metrics.alerts.topic_surge_share_ratio %v: must be at least 1 (default 2)", a.TopicSurgeShareRatio)
	}
	if a.TopicSurgeShareZ < 0 {
		bad("metrics.alerts.topic_surge_share_z %v: must be 0 (off) or positive (default 4)", a.TopicSurgeShareZ)
	}
	if a.NegativeSurgeMinExtra < 0 {
		bad("metrics.alerts.negative_surge_min_extra %v: must be 0 (off) or positive (default 5)", a.NegativeSurgeMinExtra)
	}
	if a.BusyVolumeRatio <= 1 {
		bad("metrics.alerts.busy_volume_ratio %v: must be above 1 (default 2)", a.BusyVolumeRatio)
	}
	if a.BusyMinZ < 0 {
		bad("metrics.alerts.busy_min_z %v: must be 0 (off) or positive (default 4)", a.BusyMinZ)
	}
	if a.BusyTopicShareZ < 0 {
		bad("metrics.alerts.busy_topic_share_z %v: must be 0 (off) or positive (default 6)", a.BusyTopicShareZ)
	}
	if a.HighVolumeRatio <= 1 {
		bad("metrics.alerts.high_volume_ratio %v: must be above 1 (default 3)", a.HighVolumeRatio)
	}
	for i, d := range a.PromotionDays {
		if _, _, ok := parsePromotionDay(d); !ok {
			bad("metrics.alerts.promotion_days[%d] %q: write MM-DD (every year, as 11-11) or YYYY-MM-DD", i, d)
		}
	}
	for _, d := range []struct{ name, v string }{
		{"topic_surge_direction", a.TopicSurgeDirection}, {"negative_surge_direction", a.NegativeSurgeDirection},
		{"fallback_spike_direction", a.FallbackSpikeDirection}, {"conversion_drop_direction", a.ConversionDropDirection},
		{"dropoff_spike_direction", a.DropoffSpikeDirection},
	} {
		switch d.v {
		case DirectionUp, DirectionDown, DirectionBoth:
		default:
			bad("metrics.alerts.%s %q: must be up, down or both", d.name, d.v)
		}
	}
	if a.ConversionDropRel <= 0 || a.ConversionDropRel >= 1 {
		bad("metrics.alerts.conversion_drop_relative %v: must be between 0 and 1 (default 0.2)", a.ConversionDropRel)
	}
	for name, v := range map[string]int{
		"topic_surge_min_count": a.TopicSurgeMinCount, "dropoff_min_touched": a.DropoffMinTouched,
		"negative_min_consultations": a.NegativeMinConsults, "fallback_min_bot_messages": a.FallbackMinMessages,
		"conversion_min_buyers": a.ConversionMinBuyers,
	} {
		if v < 1 {
			bad("metrics.alerts.%s %d: must be at least 1", name, v)
		}
	}
	if err := s.QA.Validate(); err != nil {
		errs = append(errs, err)
	}
	s.validateGrowth(bad)
	return errors.Join(errs...)
}

func (s Settings) location() *time.Location {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
