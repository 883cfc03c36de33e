package metrics

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestAddMetricByDescriptor: a metric defined only by a descriptor and
// its SQL files (testdata/presale: the table a migration would create, the
// job, the roll-up) is run by Run and shown by Show like the built-in
// ones, with no other code knowing its name.
func TestAddMetricByDescriptor(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	files := os.DirFS("testdata/presale").(FS)
	Register(Metric{
		Name: "pre_sale", Section: 99, Table: "metric_pre_sale",
		Grain: []string{"date", "shop_id"},
		Job:   "pre_sale", ShowSQL: "show_pre_sale", Files: files,
		Dimensions: []string{"date", "week", "shop_id"},
		Derive: func(r Record) Row {
			return Row{
				{"consultations", r.Count("consultations")},
				{"pre_sale", r.Count("pre_sale")},
				{"pre_sale_rate", r.Ratio("pre_sale", "consultations")},
			}
		},
	})
	t.Cleanup(func() { unregister("pre_sale") })

	conn, db := chtest.New(t)
	ctx := context.Background()
	ddl, err := files.ReadFile("table.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(ctx, string(ddl)); err != nil {
		t.Fatal(err)
	}
	cfg := simulate.DefaultConfig()
	cfg.Seed = 5
	cfg.Days = 3
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 40
	simulated(t, conn, cfg)
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	rep, err := Run(ctx, warehouse.Single(conn, db), DefaultSettings(), from, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Jobs, func(j JobReport) bool { return j.Job == "pre_sale" && j.Rows > 0 && j.Days == cfg.Days }) {
		t.Fatalf("Run did not run the pre_sale job over %d days: %+v", cfg.Days, rep.Jobs)
	}
	if !slices.Contains(Names(), "pre_sale") || !slices.Equal(Dimensions("pre_sale", ""), []string{"date", "week", "shop_id"}) {
		t.Fatalf("pre_sale not in the catalogue: %v", Names())
	}
	// Every consultation of the summary is counted once: the same total
	// as sentiment's consultations, per shop.
	got, err := Show(ctx, conn, "pre_sale", Query{From: from, To: to, By: []string{"shop_id"}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Show(ctx, conn, "sentiment", Query{From: from, To: to, By: []string{"shop_id"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != cfg.Shops || len(want) != cfg.Shops {
		t.Fatalf("want a row per shop, got %v and %v", got, want)
	}
	for i := range got {
		if fields(got[i], "shop_id", "consultations") != fields(want[i], "shop_id", "consultations") {
			t.Errorf("pre_sale %v, sentiment %v", got[i], want[i])
		}
		n, _ := got[i].Get("pre_sale")
		rate, _ := got[i].Get("pre_sale_rate")
		if n.(int64) == 0 || rate.(float64) <= 0 || rate.(float64) > 1 {
			t.Errorf("pre_sale row %v: want pre-sale consultations and a rate in (0, 1]", got[i])
		}
	}
	if _, err := Show(ctx, conn, "pre_sale", Query{From: from, To: to, By: []string{"channel"}}); err == nil {
		t.Error("pre_sale grouped by a dimension it does not have")
	}
}
