package main

import (
	"testing"

	"github.com/convintel/convintel/simulate"
)

// The demo tells a found anomaly from one the simulated buyers produced on
// their own: same rule, same shop and, for the per-product rules, the same
// product.
func TestPlantedAlert(t *testing.T) {
	planted := []simulate.Anomaly{
		simulate.TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 25, Factor: 5},
		simulate.FallbackSpike{Shop: "shop-04", Day: 22, Rate: 0.4},
		simulate.DropoffSpike{Shop: "shop-01", Stage: "shipping", Week: 3, ExtraAbandon: 0.3},
	}
	for _, c := range []struct {
		rule, shop, product string
		want                bool
	}{
		{"topic_surge", "shop-01", "p01-milk-powder", true},
		{"topic_surge", "shop-01", "p01-nuts", false},
		{"fallback_spike", "shop-04", "", true},
		{"fallback_spike", "shop-03", "", false},
		{"dropoff_spike", "shop-01", "", true},
		{"negative_surge", "shop-02", "p02-hoodie", false},
	} {
		if got := plantedAlert(planted, c.rule, c.shop, c.product); got != c.want {
			t.Errorf("plantedAlert(%s %s %s) = %v, want %v", c.rule, c.shop, c.product, got, c.want)
		}
	}
}
