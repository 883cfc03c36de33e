package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestGrowthTally: on simulated traffic with experiments (sticky arms,
// crossovers, one arm tagged on bot messages), night staffing and a year of
// order history, §11's counts per arm equal the simulator's ground truth
// computed in Go from the emitted events, and every §12–§14 roll-up runs.
func TestGrowthTally(t *testing.T) {
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig().WithGrowth()
	cfg.Days, cfg.ConsultationsPerShopDay = 5, 150
	tally := simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(context.Background(), warehouse.Single(conn, db), DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, r := range tally.Experiments {
		want = append(want, fmt.Sprintf("%s %s %d %d %d %s %d %d", r.Experiment, r.Variant, r.Buyers, r.OrderedBuyers,
			r.PaidBuyers, r.PaidAmount, r.Crossovers, r.Consultations))
	}
	q := Query{From: from, To: to}
	got = pick(t, conn, "experiments", q, "experiment", "variant", "buyers", "ordered_buyers", "paid_buyers", "paid_amount",
		"crossovers", "consultations")
	if len(want) != 6 {
		t.Fatalf("tally has %d arms, want 6", len(want))
	}
	expect(t, "experiments vs tally", got, want)
	for _, name := range []string{"experiments", "hourly", "retention", "roi"} {
		rows, err := Show(context.Background(), conn, name, Query{From: from, To: to, By: []string{"shop_id"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rows)
		t.Logf("%s: %s", name, b)
	}
}
