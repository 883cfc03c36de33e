package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

var update = flag.Bool("update", false, "rewrite testdata/show_golden.json")

// goldenQueries are the `metrics show` calls the golden file holds: every
// metric by day, by every dimension it allows (weekly, to keep the file
// small), for one shop, and every drop-off level.
func goldenQueries(q Query) []struct {
	name string
	q    Query
} {
	type call = struct {
		name string
		q    Query
	}
	with := func(by []string, shop, level string) Query {
		x := q
		x.By, x.Shop, x.Level = by, shop, level
		return x
	}
	calls := []call{
		{"conversion", with(nil, "", "")},
		{"conversion", with([]string{"shop_id", "channel", "responder"}, "", "")},
		{"conversion", with([]string{"week"}, "shop-01", "")},
		{"gmv", with(nil, "", "")},
		{"gmv", with([]string{"week", "shop_id", "bucket", "agent_id"}, "", "")},
		{"gmv", with([]string{"week", "bucket"}, "shop-01", "")},
		{"sentiment", with(nil, "", "")},
		{"sentiment", with([]string{"week", "shop_id", "channel", "responder"}, "", "")},
		{"dropoff", with(nil, "", "")},
		{"dropoff", with([]string{"week", "shop_id"}, "", "intent")},
		{"dropoff", with([]string{"shop_id"}, "", "product")},
		{"funnel", with(nil, "", "")},
		{"funnel", with([]string{"week", "shop_id"}, "shop-02", "")},
		{"service", with(nil, "", "")},
		{"service", with([]string{"week", "shop_id", "channel"}, "", "")},
		{"gaps", with(nil, "", "")},
		{"gaps", with([]string{"shop_id"}, "", "")},
		{"topics", with(nil, "", "")},
		{"topics", with([]string{"week", "shop_id", "product_id", "topic"}, "", "")},
		{"alerts", with(nil, "", "")},
		{"alerts", with(nil, "shop-01", "")},
		{"qa", with([]string{"week", "shop_id", "responder"}, "", "")},
		{"agents", with([]string{"week", "agent_id"}, "", "")},
		{"hourly", with([]string{"shop_id", "hour"}, "", "")},
		{"experiments", with([]string{"shop_id"}, "", "")},
		{"retention", with([]string{"week", "shop_id"}, "", "")},
		{"roi", with([]string{"week", "shop_id"}, "", "")},
	}
	// every other registered metric (and any added later) over the range
	listed := map[string]bool{}
	for _, c := range calls {
		listed[c.name] = true
	}
	for _, name := range Names() {
		if !listed[name] {
			calls = append(calls, call{name, with(nil, "", "")})
		}
	}
	return calls
}

// TestShowGolden: `metrics show --format json` of every metric on a fixed
// simulated dataset is exactly testdata/show_golden.json, so a refactoring
// of how metrics are run, rolled up or derived cannot change a number.
// Rerun with -update only when a definition changes on purpose, and
// review the diff.
func TestShowGolden(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	conn, db := chtest.New(t)
	cfg := simulate.DefaultConfig()
	cfg.Seed = 47
	cfg.Days = 21
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 60
	cfg.Anomalies = simulate.DemoAnomalies(cfg)
	cfg.QA = simulate.DemoQAPlan()
	cfg = cfg.WithGrowth()
	simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	ctx := context.Background()
	if _, err := Run(ctx, warehouse.Single(conn, db), DefaultSettings(), from, to, nil); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	for _, c := range goldenQueries(Query{From: from, To: to}) {
		rows, err := Show(ctx, conn, c.name, c.q)
		if err != nil {
			t.Fatalf("show %s %v: %v", c.name, c.q.By, err)
		}
		if rows == nil {
			rows = []Row{}
		}
		fmt.Fprintf(&got, "# metrics show %s --by %v --shop %q --level %q --format json\n", c.name, c.q.By, c.q.Shop, c.q.Level)
		enc := json.NewEncoder(&got)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join("testdata", "show_golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./metrics -run TestShowGolden -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gotPath := filepath.Join(t.TempDir(), "show_golden.json")
		_ = os.WriteFile(gotPath, got.Bytes(), 0o644)
		t.Errorf("metrics show output differs from %s (got: %s); if a definition changed on purpose, rerun with -update and review the diff", path, gotPath)
	}
}
