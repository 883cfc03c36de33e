package metrics

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// BenchmarkRun times every job over simulated traffic (upstream intents
// only, no NLP, to keep loading quick). Size with CONVINTEL_BENCH_CONSULTS
// (per shop and day, default 1000) and CONVINTEL_BENCH_DAYS (default 10):
//
//	go test -run x -bench Run -benchtime 1x ./metrics/
func env(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
		return v
	}
	return def
}

func BenchmarkRun(b *testing.B) {
	conn, db := chtest.New(b)
	cfg := simulate.DefaultConfig()
	cfg.Days = env("CONVINTEL_BENCH_DAYS", 10)
	cfg.Shops = 5
	cfg.ConsultationsPerShopDay = env("CONVINTEL_BENCH_CONSULTS", 1000)
	loadLines(b, conn, func(emit func([]byte) error) error {
		_, err := simulate.Run(cfg, emit)
		return err
	}, func(e *ingest.Event) {})
	var messages uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM messages").Scan(&messages); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Run(context.Background(), warehouse.Single(conn, db), DefaultSettings(), cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("total %.2f s for %d messages over %d days: %.0f messages/s", rep.Elapsed.Seconds(), messages, cfg.Days,
			float64(messages)/rep.Elapsed.Seconds())
		for _, j := range rep.Jobs {
			b.Logf("%-14s %3d days %8d rows %6.2f s", j.Job, j.Days, j.Rows, j.Elapsed.Seconds())
		}
	}
}

// BenchmarkRunAtScale is the target: 30 days of 5 shops × 9,300
// consultations a day (≈ 10 M messages: the simulator writes ≈ 7.2 per
// consultation), loaded through the ingest
// pipeline with NLP off into the database CONVINTEL_BENCH_DSN names
// (e.g. clickhouse://127.0.0.1:9000/metbench). The database is kept: it
// is loaded only when it has no messages yet, so reruns time the metrics
// alone. Skipped without the variable.
//
//	CONVINTEL_BENCH_DSN=clickhouse://127.0.0.1:9000/metbench go test -run x -bench RunAtScale -benchtime 1x -timeout 60m ./metrics/
func BenchmarkRunAtScale(b *testing.B) {
	dsn := os.Getenv("CONVINTEL_BENCH_DSN")
	if dsn == "" {
		b.Skip("set CONVINTEL_BENCH_DSN to a database to load (once) and time")
	}
	ctx := context.Background()
	conn, db, err := warehouse.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := warehouse.Migrate(ctx, conn, db, warehouse.Topology{}, nil); err != nil {
		b.Fatal(err)
	}
	cfg := simulate.DefaultConfig()
	cfg.Days = 30
	cfg.Shops = 5
	cfg.ConsultationsPerShopDay = env("CONVINTEL_BENCH_CONSULTS", 9300)
	var messages uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM messages").Scan(&messages); err != nil {
		b.Fatal(err)
	}
	if messages == 0 {
		t0 := time.Now()
		p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(nil, false)})
		batches := make(chan ingest.Batch, 1)
		errc := make(chan error, 1)
		go func() {
			defer close(batches)
			var recs []ingest.Record
			_, err := simulate.Run(cfg, func(line []byte) error {
				recs = append(recs, ingest.Record{Value: append([]byte(nil), line...), Source: "bench"})
				if len(recs) == 50000 {
					batches <- ingest.Batch{Records: recs}
					recs = nil
				}
				return nil
			})
			if len(recs) > 0 {
				batches <- ingest.Batch{Records: recs}
			}
			errc <- err
		}()
		if err := p.Run(ctx, batches); err != nil {
			b.Fatal(err)
		}
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
		if err := conn.QueryRow(ctx, "SELECT count() FROM messages").Scan(&messages); err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d messages in %.0f s", messages, time.Since(t0).Seconds())
	}
	// Per-query rows read, memory and time land in system.query_log.
	ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"log_queries": 1}))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Run(ctx, warehouse.Single(conn, db), DefaultSettings(), cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("total %.2f s for %d messages over %d days: %.0f messages/s", rep.Elapsed.Seconds(), messages, cfg.Days,
			float64(messages)/rep.Elapsed.Seconds())
		for _, j := range rep.Jobs {
			b.Logf("%-14s %3d days %8d rows %6.2f s", j.Job, j.Days, j.Rows, j.Elapsed.Seconds())
		}
	}
}
