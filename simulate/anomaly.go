package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Anomaly is a pattern planted in the traffic for the alert rules to find:
// a TopicSurge, a DropoffSpike, a FallbackSpike, a NegativeSurge or a
// ConversionDrop.
type Anomaly interface {
	Kind() string
	validate(c Config) error
}

// TopicSurge: on day Day (0-based from Config.Start) many extra customer
// messages of shop Shop ask about Topic for Product, with product_id set:
// at least Factor × the product's mean daily count of such messages on the
// days before (and at least 30).
type TopicSurge struct {
	Shop    string  `json:"shop_id"`
	Product string  `json:"product_id"`
	Topic   string  `json:"topic"`
	Day     int     `json:"day"`
	Factor  float64 `json:"factor"`
	// StartHour (0..23) starts the surge at that hour of the day instead
	// of midnight (an intraday surge); the extra messages are then Factor
	// × the baseline's share of the remaining hours.
	StartHour int `json:"start_hour,omitempty"`
}

// DropoffSpike: during week Week (0-based; week 0 is the Monday-to-Sunday
// week containing Config.Start) a share ExtraAbandon of the shop's pre-sale
// consultations that reach Stage stop there and order nothing.
type DropoffSpike struct {
	Shop         string  `json:"shop_id"`
	Stage        string  `json:"stage"` // product, price, shipping, payment
	Week         int     `json:"week"`
	ExtraAbandon float64 `json:"extra_abandon"`
}

// FallbackSpike: on day Day the shop's bot answers are fallbacks at Rate
// (in consultations starting from StartHour, 0 being the whole day).
type FallbackSpike struct {
	Shop      string  `json:"shop_id"`
	Day       int     `json:"day"`
	Rate      float64 `json:"rate"`
	StartHour int     `json:"start_hour,omitempty"`
}

// Kind names the anomaly as the alert rule that should catch it.
func (TopicSurge) Kind() string { return "topic_surge" }

// Kind names the anomaly as the alert rule that should catch it.
func (DropoffSpike) Kind() string { return "dropoff_spike" }

// Kind names the anomaly as the alert rule that should catch it.
func (FallbackSpike) Kind() string { return "fallback_spike" }

func shopIndex(c Config, id string) (int, error) {
	for i := 0; i < c.Shops; i++ {
		if ShopID(i) == id {
			return i, nil
		}
	}
	return 0, fmt.Errorf("shop %q does not exist (shops are %s .. %s)", id, ShopID(0), ShopID(c.Shops-1))
}

func (a TopicSurge) validate(c Config) error {
	si, err := shopIndex(c, a.Shop)
	if err != nil {
		return err
	}
	shop := Shops(si + 1)[si]
	if _, ok := shop.product(a.Product); !ok {
		ids := make([]string, len(shop.Products))
		for i, p := range shop.Products {
			ids[i] = p.ID
		}
		return fmt.Errorf("product %q is not sold by %s (it sells %s)", a.Product, a.Shop, strings.Join(ids, ", "))
	}
	if !slices.Contains(Topics, a.Topic) {
		return fmt.Errorf("topic %q is not one of %s", a.Topic, strings.Join(Topics, ", "))
	}
	if a.Day < 0 || a.Day >= c.Days {
		return fmt.Errorf("day %d is outside 0..%d", a.Day, c.Days-1)
	}
	if !(a.Factor >= 1 && a.Factor <= 1000) {
		return fmt.Errorf("factor must be within 1..1000, got %v", a.Factor)
	}
	return validStartHour(a.StartHour)
}

var stages = []string{"product", "price", "shipping", "payment"}

func (a DropoffSpike) validate(c Config) error {
	if _, err := shopIndex(c, a.Shop); err != nil {
		return err
	}
	if !slices.Contains(stages, a.Stage) {
		return fmt.Errorf("stage %q is not one of %s", a.Stage, strings.Join(stages, ", "))
	}
	if a.Week < 0 || a.Week >= c.weeks() {
		return fmt.Errorf("week %d is outside 0..%d", a.Week, c.weeks()-1)
	}
	if !(a.ExtraAbandon > 0 && a.ExtraAbandon <= 1) {
		return fmt.Errorf("extra_abandon must be within (0, 1], got %v", a.ExtraAbandon)
	}
	return nil
}

func (a FallbackSpike) validate(c Config) error {
	if _, err := shopIndex(c, a.Shop); err != nil {
		return err
	}
	if a.Day < 0 || a.Day >= c.Days {
		return fmt.Errorf("day %d is outside 0..%d", a.Day, c.Days-1)
	}
	if !(a.Rate >= 0 && a.Rate <= 1) {
		return fmt.Errorf("rate must be within 0..1, got %v", a.Rate)
	}
	return validStartHour(a.StartHour)
}

// weekOf is the 0-based Monday week of day d (week 0 contains Start).
func (c Config) weekOf(d int) int {
	wd := (int(c.Start.In(Shanghai).Weekday()) + 6) % 7 // Monday = 0
	return (wd + d) / 7
}

func (c Config) weeks() int { return c.weekOf(c.Days-1) + 1 }

// WeekMonday is the Monday that starts week w.
func (c Config) WeekMonday(w int) time.Time {
	wd := (int(c.Start.In(Shanghai).Weekday()) + 6) % 7
	return c.dayStart(7*w - wd)
}

// DemoAnomalies plants one anomaly of each kind in c's period, on the last
// full week so that the alert baselines have history: a shelf-life surge on
// the first shop's milk powder (or first food product), a shipping drop-off
// spike and a fallback spike.
func DemoAnomalies(c Config) []Anomaly {
	shops := Shops(c.Shops)
	food, foodShop := "", ""
	for _, s := range shops {
		for _, p := range s.Products {
			if p.Kind == KindFood && (food == "" || p.Slug == "milk-powder" && foodShop == s.ID) {
				food, foodShop = p.ID, s.ID
			}
		}
	}
	last := c.Days - 1
	week := c.weekOf(last)
	if c.dayStart(last+1).Sub(c.WeekMonday(week)) < 7*24*time.Hour && week > 0 {
		week--
	}
	var out []Anomaly
	if food != "" {
		out = append(out, TopicSurge{Shop: foodShop, Product: food, Topic: "shelf_life", Day: max(0, last-2), Factor: 5})
	}
	out = append(out, DropoffSpike{Shop: ShopID(0), Stage: "shipping", Week: week, ExtraAbandon: 0.5})
	out = append(out, FallbackSpike{Shop: ShopID(c.Shops - 1), Day: max(0, last-5), Rate: 0.45})
	return out
}

// ParseAnomaly reads the flag form of an anomaly:
//
//	topic_surge:shop=shop-01,product=p01-milk-powder,topic=shelf_life,day=30,factor=5
//	dropoff_spike:shop=shop-01,stage=shipping,week=4,extra=0.4
//	fallback_spike:shop=shop-02,day=20,rate=0.5
//	negative_surge:shop=shop-01,product=p01-nuts,day=20,rate=0.3
//	conversion_drop:shop=shop-02,day=20,drop=0.5
//
// topic_surge, fallback_spike and negative_surge take hour=H to start at
// hour H of the day (an intraday anomaly).
func ParseAnomaly(s string) (Anomaly, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(s), ":")
	kv := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("anomaly %q: %q is not key=value", s, part)
		}
		kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	var firstErr error
	num := func(k string) float64 {
		f, err := strconv.ParseFloat(kv[k], 64)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("anomaly %q: %s=%q is not a number", s, k, kv[k])
		}
		return f
	}
	integer := func(k string) int {
		n, err := strconv.Atoi(kv[k])
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("anomaly %q: %s=%q is not an integer", s, k, kv[k])
		}
		return n
	}
	hour := 0
	if _, ok := kv["hour"]; ok {
		hour = integer("hour")
	}
	var a Anomaly
	switch kind {
	case "topic_surge":
		a = TopicSurge{Shop: kv["shop"], Product: kv["product"], Topic: kv["topic"], Day: integer("day"), Factor: num("factor"), StartHour: hour}
	case "dropoff_spike":
		a = DropoffSpike{Shop: kv["shop"], Stage: kv["stage"], Week: integer("week"), ExtraAbandon: num("extra")}
	case "fallback_spike":
		a = FallbackSpike{Shop: kv["shop"], Day: integer("day"), Rate: num("rate"), StartHour: hour}
	case "negative_surge":
		a = NegativeSurge{Shop: kv["shop"], Product: kv["product"], Day: integer("day"), Rate: num("rate"), StartHour: hour}
	case "conversion_drop":
		a = ConversionDrop{Shop: kv["shop"], Day: integer("day"), Drop: num("drop")}
	default:
		return nil, fmt.Errorf("anomaly %q: kind must be topic_surge, dropoff_spike, fallback_spike, negative_surge or conversion_drop", s)
	}
	return a, firstErr
}
