package simulate

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Experiment is a script (话术) A/B test a shop's bot engine runs (event
// contract v1.1): every bot chat of the shop is assigned to an arm by the
// buyer (sticky), and carries the experiment on conversation_started or,
// with OnMessages, on each bot message.
type Experiment struct {
	Name string `json:"name"`
	Shop string `json:"shop_id"`
	// Variants are the arms; the first is the control.
	Variants []string `json:"variants"`
	// Split is the share of buyers the engine really assigns to each arm
	// (normalised; empty: equal). The metric checks it against the planned
	// split (experiments.split, equal by default): an unequal Split is a
	// broken assignment the sample-ratio-mismatch test must flag.
	Split []float64 `json:"split,omitempty"`
	// Lift multiplies the order propensity of a bot chat in every arm but
	// the control by 1+Lift: the true relative lift planted.
	Lift float64 `json:"lift"`
	// OnMessages tags the bot messages instead of conversation_started.
	OnMessages bool `json:"on_messages,omitempty"`
	// CrossoverRate is the share of bot chats shown an arm other than the
	// buyer's own (a second device, an engine bug): crossovers.
	CrossoverRate float64 `json:"crossover_rate,omitempty"`
}

// NightStaffing is who answers at night (local hours [0, AgentsFrom)):
// no agents, so human chats go unanswered and handoffs stay with the bot;
// shops listed in BotOff have no bot in [0, BotOffUntil) either, the
// coverage gap the hours metric (§12) shows.
type NightStaffing struct {
	Enabled     bool     `json:"enabled"`
	AgentsFrom  int      `json:"agents_from"`
	BotOff      []string `json:"bot_off,omitempty"`
	BotOffUntil int      `json:"bot_off_until"`
}

// DefaultExperiments plants the growth test cases on the first shops:
// shop-01 a script with a true 30 % lift (large enough to be found at a
// few thousand buyers per arm), shop-02 the same test with no lift (a null
// result; tagged on bot messages), shop-03 no lift and a broken 58/42
// split. Every experiment has 2 % crossovers.
func DefaultExperiments(shops int) []Experiment {
	all := []Experiment{
		{Name: "limited-time-script", Shop: ShopID(0), Variants: []string{"control", "limited-time"}, Lift: 0.30, CrossoverRate: 0.02},
		{Name: "free-shipping-hint", Shop: ShopID(1), Variants: []string{"control", "free-shipping-hint"}, OnMessages: true, CrossoverRate: 0.02},
		{Name: "emoji-greeting", Shop: ShopID(2), Variants: []string{"control", "emoji"}, Split: []float64{0.58, 0.42}, CrossoverRate: 0.02},
	}
	return all[:min(shops, len(all))]
}

// WithGrowth returns c with the growth cases on (off in DefaultConfig, so
// the traffic other tests are built on stays as it was): the default
// experiments and night staffing for its shops and a year of order
// history.
func (c Config) WithGrowth() Config {
	c.Experiments = DefaultExperiments(c.Shops)
	c.Night = DefaultNight(c.Shops)
	c.OrderHistoryDays = 365
	return c
}

// DefaultNight: agents on duty from 08:00; shop-03 (when there are three
// shops) switches its bot off until 06:00.
func DefaultNight(shops int) NightStaffing {
	n := NightStaffing{Enabled: true, AgentsFrom: 8, BotOffUntil: 6}
	if shops >= 3 {
		n.BotOff = []string{ShopID(2)}
	}
	return n
}

func (c Config) validateGrowth() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	seen := map[string]bool{}
	for i, x := range c.Experiments {
		if x.Name == "" || seen[x.Name] {
			bad("experiments[%d]: name must be set and unique, got %q", i, x.Name)
		}
		seen[x.Name] = true
		if x.Shop == "" {
			bad("experiments[%d] (%s): shop_id is required", i, x.Name)
		}
		if len(x.Variants) < 2 {
			bad("experiments[%d] (%s): needs at least two variants", i, x.Name)
		}
		if len(x.Split) != 0 && len(x.Split) != len(x.Variants) {
			bad("experiments[%d] (%s): split has %d shares for %d variants", i, x.Name, len(x.Split), len(x.Variants))
		}
		for _, s := range x.Split {
			if !(s > 0) {
				bad("experiments[%d] (%s): split shares must be > 0", i, x.Name)
			}
		}
		if !(x.Lift >= 0 && x.Lift <= 5) || !(x.CrossoverRate >= 0 && x.CrossoverRate <= 1) {
			bad("experiments[%d] (%s): lift must be within 0..5 and crossover_rate within 0..1", i, x.Name)
		}
	}
	if c.Night.Enabled && (c.Night.AgentsFrom < 0 || c.Night.AgentsFrom > 23 || c.Night.BotOffUntil < 0 || c.Night.BotOffUntil > 23) {
		bad("night: agents_from and bot_off_until are hours 0..23")
	}
	if c.OrderHistoryDays < 0 || c.OrderHistoryDays > 730 {
		bad("order_history_days must be within 0..730, got %d", c.OrderHistoryDays)
	}
	return errs
}

// arm is a conversation's experiment assignment.
type arm struct {
	x       *Experiment
	variant int
}

// experimentOf returns the experiment of shop (nil: none).
func (g *gen) experimentOf(shop int) *Experiment {
	id := g.shops[shop].ID
	for i := range g.cfg.Experiments {
		if g.cfg.Experiments[i].Shop == id {
			return &g.cfg.Experiments[i]
		}
	}
	return nil
}

// assign returns the arm of a bot chat of buyer b: the buyer's own (a
// hash of the buyer and experiment, so it is sticky without a table),
// or, at the crossover rate, another one. Draws come from the growth
// generator, so the rest of the traffic does not depend on experiments.
func (g *gen) assign(shop, b int) *arm {
	x := g.experimentOf(shop)
	if x == nil {
		return nil
	}
	h := g.buyerHash(shop, b) ^ hashString(x.Name)
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	r := float64(h>>11) / (1 << 53)
	split := x.Split
	if len(split) == 0 {
		split = make([]float64, len(x.Variants))
		for i := range split {
			split[i] = 1
		}
	}
	total := 0.0
	for _, s := range split {
		total += s
	}
	v := len(split) - 1
	for i, s := range split {
		if r < s/total {
			v = i
			break
		}
		r -= s / total
	}
	if x.CrossoverRate > 0 && g.growthRng().Float64() < x.CrossoverRate {
		v = (v + 1 + g.growthRng().IntN(len(x.Variants)-1)) % len(x.Variants)
	}
	return &arm{x: x, variant: v}
}

func (g *gen) growthRng() *rand.Rand {
	if g.xrng == nil {
		g.xrng = rand.New(rand.NewPCG(g.cfg.Seed, 0x6a09e667f3bcc909))
	}
	return g.xrng
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// tag marks e with the conversation's arm; appendJSON writes it where the
// experiment says (conversation_started or bot messages).
func (a *arm) tag(e *event) {
	if a == nil {
		return
	}
	e.experiment, e.variant, e.expOnMessages = a.x.Name, a.x.Variants[a.variant], a.x.OnMessages
}

// liftFactor is the order propensity multiplier of a chat in arm a.
func (a *arm) liftFactor() float64 {
	if a == nil || a.variant == 0 {
		return 1
	}
	return 1 + a.x.Lift
}

// nightPlan adjusts a conversation's planned responder to the night
// staffing at ts: no agents before AgentsFrom, no bot in the BotOff shops
// before BotOffUntil.
func (g *gen) nightPlan(shop int, ts int64, plan int) int {
	n := g.cfg.Night
	if !n.Enabled {
		return plan
	}
	hour := int(((ts-g.startMs)%msDay+msDay)%msDay) / int(msHour)
	if hour < n.AgentsFrom {
		switch plan {
		case planHumanOnly:
			plan = planUnanswered
		case planHandoff:
			plan = planBotOnly
		}
	}
	if hour < n.BotOffUntil && slices.Contains(n.BotOff, g.shops[shop].ID) && plan != planHumanOnly {
		plan = planUnanswered
	}
	return plan
}

// orderHistory writes the paid orders of the year before Start
// (OrderHistoryDays): about half of each shop's buyers bought before, one
// to three times; two in five of them only more than 95 days before Start,
// so they are silent when the period begins and their next order is a
// reactivation (§13).
func (g *gen) orderHistory() {
	days := int64(g.cfg.OrderHistoryDays)
	if days == 0 {
		return
	}
	for _, ss := range g.ss {
		for b := 0; b < ss.pool; b++ {
			if g.rng.Float64() >= 0.5 {
				continue
			}
			lo, hi := g.startMs-days*msDay, g.startMs-msHour
			if g.rng.Float64() < 0.4 && days > 95 {
				hi = g.startMs - 95*msDay
			}
			for range 1 + g.rng.IntN(3) {
				g.placeOrder(ss, b, g.rng.IntN(len(ss.shop.Products)), lo+g.rng.Int64N(hi-lo))
			}
		}
	}
}
