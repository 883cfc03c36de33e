package metrics

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/sql/chtest"
)

// BenchmarkRun times every job over simulated traffic (upstream intents
// only, no NLP, to keep loading quick). Size with CONVINTEL_BENCH_CONSULTS
// (per shop and day, default 1000) and CONVINTEL_BENCH_DAYS (default 10):
//
//	go test -run x -bench Run -benchtime 1x ./metrics/
func BenchmarkRun(b *testing.B) {
	env := func(k string, def int) int {
		if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
			return v
		}
		return def
	}
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
		rep, err := Run(context.Background(), conn, db, DefaultSettings(), cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1), nil)
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
