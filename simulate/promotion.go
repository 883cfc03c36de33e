package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Promotion is a promotion day (双十一 on 11-11, 618 on 6-18): the traffic
// of the listed shops (every shop when Shops is empty) is Factor times an
// ordinary day's, across all topics, products and hours, with the same mix
// of questions, responders and order propensities. Nothing on such a day is
// an anomaly by itself: the alert rules must stay quiet unless something is
// planted on it.
type Promotion struct {
	Day    int      `json:"day"`
	Factor float64  `json:"factor"`
	Shops  []string `json:"shops,omitempty"`
}

// PlantedPromotion is a promotion day of the run as the tally records it,
// one row per shop it covers.
type PlantedPromotion struct {
	Date   string  `json:"date"`
	ShopID string  `json:"shop_id"`
	Factor float64 `json:"factor"`
}

func (p Promotion) validate(c Config) error {
	if p.Day < 0 || p.Day >= c.Days {
		return fmt.Errorf("day %d is outside 0..%d", p.Day, c.Days-1)
	}
	if !(p.Factor >= 1 && p.Factor <= 20) {
		return fmt.Errorf("factor must be within 1..20, got %v", p.Factor)
	}
	for _, s := range p.Shops {
		if _, err := shopIndex(c, s); err != nil {
			return err
		}
	}
	return nil
}

func (p Promotion) covers(shop string) bool {
	return len(p.Shops) == 0 || slices.Contains(p.Shops, shop)
}

// volumeFactor is how many times its ordinary traffic shop has on day d:
// the product of the promotions covering it (1 on an ordinary day).
func (c Config) volumeFactor(shop, d int) float64 {
	f := 1.0
	for _, p := range c.Promotions {
		if p.Day == d && p.covers(ShopID(shop)) {
			f *= p.Factor
		}
	}
	return f
}

// DemoPromotions returns one promotion day for every shop (×4, as on
// 11-11) in the last full week of c's period, on a day that DemoAnomalies
// leaves alone, so the demo shows a promotion day without false alerts.
func DemoPromotions(c Config) []Promotion {
	day := c.Days - 4
	if day < 7 {
		return nil
	}
	return []Promotion{{Day: day, Factor: 4}}
}

// ParsePromotion reads the flag form of a promotion day:
//
//	day=30,factor=5              every shop
//	day=30,factor=4,shops=shop-01+shop-03
func ParsePromotion(s string) (Promotion, error) {
	var p Promotion
	seen := map[string]bool{}
	for _, part := range strings.Split(strings.TrimSpace(s), ",") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return p, fmt.Errorf("promotion %q: %q is not key=value", s, part)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		seen[k] = true
		var err error
		switch k {
		case "day":
			p.Day, err = strconv.Atoi(v)
		case "factor":
			p.Factor, err = strconv.ParseFloat(v, 64)
		case "shops":
			p.Shops = strings.Split(v, "+")
		default:
			return p, fmt.Errorf("promotion %q: unknown key %q (use day, factor, shops)", s, k)
		}
		if err != nil {
			return p, fmt.Errorf("promotion %q: %s=%q is not a number", s, k, v)
		}
	}
	if !seen["day"] || !seen["factor"] {
		return p, fmt.Errorf("promotion %q: day and factor are required, as in day=30,factor=5", s)
	}
	return p, nil
}
