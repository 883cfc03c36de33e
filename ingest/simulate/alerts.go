package simulate

import (
	"fmt"
)

// NegativeSurge: on day Day, from StartHour (0: the whole day), a share
// Rate of the pre-sale consultations about Product at shop Shop carry a
// complaint about the product (a clearly negative customer message with
// its product_id), and those buyers order less (NegativeOrderFactor).
type NegativeSurge struct {
	Shop      string  `json:"shop_id"`
	Product   string  `json:"product_id"`
	Day       int     `json:"day"`
	StartHour int     `json:"start_hour,omitempty"`
	Rate      float64 `json:"rate"`
}

// ConversionDrop: on day Day the order propensity of the shop's pre-sale
// consultations is cut by the share Drop (a broken coupon, a price error,
// an out-of-stock best seller): conversion falls while traffic does not.
type ConversionDrop struct {
	Shop string  `json:"shop_id"`
	Day  int     `json:"day"`
	Drop float64 `json:"drop"`
}

// Kind names the anomaly as the alert rule that should catch it.
func (NegativeSurge) Kind() string { return "negative_surge" }

// Kind names the anomaly as the alert rule that should catch it.
func (ConversionDrop) Kind() string { return "conversion_drop" }

func (a NegativeSurge) validate(c Config) error {
	si, err := shopIndex(c, a.Shop)
	if err != nil {
		return err
	}
	shop := Shops(si + 1)[si]
	if _, ok := shop.product(a.Product); !ok {
		return fmt.Errorf("product %q is not sold by %s", a.Product, a.Shop)
	}
	if a.Day < 0 || a.Day >= c.Days {
		return fmt.Errorf("day %d is outside 0..%d", a.Day, c.Days-1)
	}
	if a.StartHour < 0 || a.StartHour > 23 {
		return fmt.Errorf("start_hour must be within 0..23, got %d", a.StartHour)
	}
	if !(a.Rate > 0 && a.Rate <= 1) {
		return fmt.Errorf("rate must be within (0, 1], got %v", a.Rate)
	}
	return nil
}

func (a ConversionDrop) validate(c Config) error {
	if _, err := shopIndex(c, a.Shop); err != nil {
		return err
	}
	if a.Day < 0 || a.Day >= c.Days {
		return fmt.Errorf("day %d is outside 0..%d", a.Day, c.Days-1)
	}
	if !(a.Drop > 0 && a.Drop <= 1) {
		return fmt.Errorf("drop must be within (0, 1], got %v", a.Drop)
	}
	return nil
}

func validStartHour(h int) error {
	if h < 0 || h > 23 {
		return fmt.Errorf("start_hour must be within 0..23, got %d", h)
	}
	return nil
}

type negativePlan struct {
	a       NegativeSurge
	shop    int
	product int
	planted int
}

type conversionPlan struct {
	a    ConversionDrop
	shop int
}

// complaints are clearly negative messages about the product itself, the
// kind a quality problem (a bad batch, a listing that does not match the
// goods) brings into pre-sale chats.
var complaints = phrases{
	zh: []string{"看到好多差评说质量很差，太坑了吧", "上次买的用两天就坏了，垃圾质量，气死了", "收到的跟图片完全不一样，质量太差了，很失望", "差评，做工太粗糙了"},
	en: []string{"Terrible quality, very disappointed", "The last one broke in two days, awful"},
}

// hourStart is the epoch ms of hour h of day d.
func (g *gen) hourStart(d, h int) int64 { return g.startMs + int64(d)*msDay + int64(h)*msHour }

// negativeAt is the negative surge planted on the product of a pre-sale
// consultation of shop starting at ts, if any.
func (g *gen) negativeAt(shop, product int, ts int64) *negativePlan {
	d := int((ts - g.startMs) / msDay)
	for _, p := range g.negatives {
		if p.shop == shop && p.product == product && p.a.Day == d && ts >= g.hourStart(d, p.a.StartHour) {
			return p
		}
	}
	return nil
}

// conversionFactor multiplies the order propensity of a consultation of
// shop starting at ts (1 unless a conversion drop is planted).
func (g *gen) conversionFactor(shop int, ts int64) float64 {
	d := int((ts - g.startMs) / msDay)
	f := 1.0
	for _, p := range g.conversions {
		if p.shop == shop && p.a.Day == d {
			f *= 1 - p.a.Drop
		}
	}
	return f
}

// dayTimeFrom samples a time of day d's hours from h0 on, following the
// daily curve; h0 = 0 is dayTime.
func (g *gen) dayTimeFrom(dayMs int64, h0 int) int64 {
	if h0 <= 0 {
		return g.dayTime(dayMs)
	}
	total := 0.0
	for _, w := range hourWeights[h0:] {
		total += w
	}
	r := g.rng.Float64() * total
	h := h0
	for ; h < 23; h++ {
		r -= hourWeights[h]
		if r < 0 {
			break
		}
	}
	return dayMs + int64(h)*msHour + g.rng.Int64N(msHour)
}

// hoursShare is the share of a day's traffic from hour h0 on.
func hoursShare(h0 int) float64 {
	all, from := 0.0, 0.0
	for h, w := range hourWeights {
		all += w
		if h >= h0 {
			from += w
		}
	}
	return from / all
}
