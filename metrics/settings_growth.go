package metrics

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ExperimentSettings are §11's conventions.
type ExperimentSettings struct {
	// Control names the control arm of every experiment; an experiment
	// without a variant of that name uses its first variant by name.
	Control string `yaml:"control"`
	// Split is the planned assignment the sample-ratio check tests the
	// arms' buyer counts against, as variant=weight entries (e.g.
	// control=60,limited-time=40). Empty: equal. A variant not listed
	// weighs the mean of the listed weights.
	Split []string `yaml:"split"`
}

// HourlySettings are §12's conventions.
type HourlySettings struct {
	// Night is the local night window of 凌晨订单占比, whole hours
	// "HH:00-HH:00" (end exclusive; 24:00 allowed).
	Night string `yaml:"night"`
}

// RetentionSettings are §13's conventions, in days.
type RetentionSettings struct {
	// Lookback: how far back a buyer's earlier paid orders count.
	Lookback int `yaml:"lookback"`
	// SilentAfter: a buyer whose latest paid order is more than this many
	// days old is silent (exactly this many is not).
	SilentAfter int `yaml:"silent_after"`
}

// ROISettings are §14's assumptions, shown beside its figures.
type ROISettings struct {
	// WrapUp is added to each human-only consultation's handling time
	// (after-chat work).
	WrapUp time.Duration `yaml:"wrap_up"`
	// HourlyCost is an agent hour's full cost, CNY.
	HourlyCost float64 `yaml:"hourly_cost"`
	// HoursPerDay is an agent's working hours a day (for FTE).
	HoursPerDay float64 `yaml:"hours_per_day"`
}

func defaultGrowthSettings(s *Settings) {
	s.Experiments = ExperimentSettings{Control: "control"}
	s.Hourly = HourlySettings{Night: "00:00-06:00"}
	s.Retention = RetentionSettings{Lookback: 365, SilentAfter: 90}
	s.ROI = ROISettings{WrapUp: 60 * time.Second, HourlyCost: 40, HoursPerDay: 8}
}

func (s Settings) validateGrowth(bad func(format string, args ...any)) {
	if strings.TrimSpace(s.Experiments.Control) == "" {
		bad("metrics.experiments.control: name the control variant (default control)")
	}
	if _, err := s.Experiments.weights(); err != nil {
		bad("metrics.experiments.split: %v", err)
	}
	if _, _, err := s.Hourly.hours(); err != nil {
		bad("metrics.hourly.night %q: %v", s.Hourly.Night, err)
	}
	if s.Retention.Lookback < 1 || s.Retention.Lookback > 3650 {
		bad("metrics.retention.lookback %d: days, 1..3650 (default 365)", s.Retention.Lookback)
	}
	if s.Retention.SilentAfter < 1 || s.Retention.SilentAfter >= s.Retention.Lookback {
		bad("metrics.retention.silent_after %d: days, at least 1 and less than lookback (default 90)", s.Retention.SilentAfter)
	}
	if s.ROI.WrapUp < 0 || s.ROI.WrapUp > time.Hour || s.ROI.WrapUp%time.Millisecond != 0 {
		bad("metrics.roi.wrap_up %s: 0..1h in whole milliseconds (default 60s)", s.ROI.WrapUp)
	}
	if !(s.ROI.HourlyCost >= 0 && s.ROI.HourlyCost <= 100000) {
		bad("metrics.roi.hourly_cost %v: CNY per agent hour, 0..100000 (default 40)", s.ROI.HourlyCost)
	}
	if !(s.ROI.HoursPerDay > 0 && s.ROI.HoursPerDay <= 24) {
		bad("metrics.roi.hours_per_day %v: must be within (0, 24] (default 8)", s.ROI.HoursPerDay)
	}
}

// weights parses Split into variant → weight.
func (e ExperimentSettings) weights() (map[string]float64, error) {
	w := map[string]float64{}
	for _, entry := range e.Split {
		name, val, ok := strings.Cut(strings.TrimSpace(entry), "=")
		name = strings.TrimSpace(name)
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || name == "" || err != nil || !(f > 0) {
			return nil, fmt.Errorf("entry %q: write variant=weight with a positive weight, e.g. control=50", entry)
		}
		if _, dup := w[name]; dup {
			return nil, fmt.Errorf("variant %q is listed twice", name)
		}
		w[name] = f
	}
	return w, nil
}

// hours parses Night into [from, to) local hours.
func (h HourlySettings) hours() (from, to int, err error) {
	a, b, ok := strings.Cut(strings.ReplaceAll(h.Night, " ", ""), "-")
	parse := func(s string) (int, bool) {
		hh, mm, ok := strings.Cut(s, ":")
		n, err := strconv.Atoi(hh)
		if !ok || err != nil || mm != "00" || n < 0 || n > 24 {
			return 0, false
		}
		return n, true
	}
	from, ok1 := parse(a)
	to, ok2 := parse(b)
	if !ok || !ok1 || !ok2 || from >= to {
		return 0, 0, fmt.Errorf("write whole hours HH:00-HH:00 with start before end, e.g. 00:00-06:00")
	}
	return from, to, nil
}
