package metrics

import (
	"context"
	"testing"

	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/sql/chtest"
)

func TestGrowthSimulatedSmoke(t *testing.T) {
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Days, cfg.ConsultationsPerShopDay, cfg.OrderHistoryDays = 4, 120, 365
	simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := Run(context.Background(), conn, db, DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	for _, tb := range []string{"metric_experiments", "metric_hourly", "metric_retention", "metric_roi"} {
		var n uint64
		if err := conn.QueryRow(context.Background(), "SELECT count() FROM "+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d rows", tb, n)
	}
}
