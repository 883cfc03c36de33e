package reporttest

import (
	"context"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// SmallConfig is simulated traffic small enough for a unit test yet with
// every metric populated: two shops over three weeks, planted anomalies.
func SmallConfig() simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.Seed = 47
	cfg.Days = 21
	cfg.Shops = 2
	cfg.ConsultationsPerShopDay = 60
	cfg.Anomalies = simulate.DemoAnomalies(cfg)
	cfg.QA = simulate.DemoQAPlan()
	return cfg
}

// Load runs the simulator through the real ingest path (decode, NLP
// enrichment, the columnar writer) into conn, then computes every metric
// for the simulated days with the default settings. It returns the first
// and last simulated day.
func Load(t testing.TB, conn warehouse.Conn, db string, cfg simulate.Config) (from, to time.Time) {
	t.Helper()
	ctx := context.Background()
	model, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(model, false), Workers: 2})
	in := make(chan ingest.Batch, 1)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, in) }()
	var b ingest.Batch
	n := 0
	_, err = simulate.Run(cfg, func(line []byte) error {
		n++
		b.Records = append(b.Records, ingest.Record{Value: append([]byte(nil), line...), Source: "simulate", Location: "line"})
		b.Bytes += len(line)
		if len(b.Records) >= 20_000 {
			in <- b
			b = ingest.Batch{}
		}
		return nil
	})
	if len(b.Records) > 0 {
		in <- b
	}
	close(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("ingest: %v", err)
	}
	if c := p.Counts(); c.Stored == 0 {
		t.Fatalf("ingest stored nothing of %d simulated events: %+v", n, c)
	}
	from, to = cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	if _, err := metrics.Run(ctx, warehouse.Single(conn, db), metrics.DefaultSettings(), from, to, nil); err != nil {
		t.Fatalf("metrics run: %v", err)
	}
	return from, to
}
