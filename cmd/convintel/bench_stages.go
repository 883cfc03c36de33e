package main

import (
	"context"
	"fmt"
	"os"

	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/sql"
)

// benchLater measures the stages that read what ingest stored: metric jobs
// over the ingested range (database bench_nlp, filled by the ingest stage).
func benchLater(ctx context.Context, a *app, res *benchResults, cfg simulate.Config, stage func(string) bool, dsnFor func(string) (string, error)) error {
	if !stage("metrics") {
		return nil
	}
	dsn, err := dsnFor("bench_nlp")
	if err != nil {
		return err
	}
	conn, db, err := sql.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	var msgs uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM messages").Scan(&msgs); err != nil {
		return err
	}
	if msgs == 0 {
		return fmt.Errorf("bench metrics: database bench_nlp is empty; run the ingest stage first (--only ingest,metrics)")
	}
	fmt.Fprintf(os.Stderr, "==> metrics: every job over %d days, %d messages\n", cfg.Days, msgs)
	rep, err := metrics.Run(ctx, conn, db, a.cfg.Metrics, cfg.Start, cfg.End().AddDate(0, 0, -1), nil)
	if err != nil {
		return err
	}
	var total float64
	for _, j := range rep.Jobs {
		res.set("metrics_"+j.Job+"_seconds", round3(j.Elapsed.Seconds()))
		total += j.Elapsed.Seconds()
	}
	res.set("metrics_seconds", round3(total))
	res.set("metrics_messages", msgs)
	res.set("metrics_messages_per_s", round0(float64(msgs)/total))
	return nil
}
