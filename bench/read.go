package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/convintel/convintel/dashboards"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// benchMetrics times every metric job over the ingested range (database
// bench_nlp, filled by the ingest stage), then, with the report stage, the
// report and the API over it.
func benchMetrics(ctx context.Context, o Options, r *Results, cfg simulate.Config) error {
	dsn, err := o.DSN("bench_nlp")
	if err != nil {
		return err
	}
	conn, db, err := warehouse.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	msgs, err := warehouse.MessageRows(ctx, conn)
	if err != nil {
		return err
	}
	if msgs == 0 {
		return fmt.Errorf("bench metrics: database bench_nlp is empty; run the ingest stage first (--only ingest,metrics)")
	}
	fmt.Fprintf(o.Log, "==> metrics: every job over %d days, %d messages\n", cfg.Days, msgs)
	rep, err := metrics.Run(ctx, warehouse.Single(conn, db), o.Metrics, cfg.Start, cfg.End().AddDate(0, 0, -1), nil)
	if err != nil {
		return err
	}
	var total float64
	for _, j := range rep.Jobs {
		r.MetricsJobs = append(r.MetricsJobs, JobSeconds{Job: j.Job, Seconds: round3(j.Elapsed.Seconds())})
		total += j.Elapsed.Seconds()
	}
	r.MetricsSeconds = round3(total)
	r.MetricsMessages = msgs
	r.MetricsMessagesPerS = round0(float64(msgs) / total)
	if !o.stage("report") {
		return nil
	}
	return benchReports(ctx, o, r, conn, cfg)
}

// benchReports times the weekly report (build + render) of the last
// simulated week and the dashboard API, uncached, over the same database.
func benchReports(ctx context.Context, o Options, r *Results, conn warehouse.Conn, cfg simulate.Config) error {
	loc, err := time.LoadLocation(o.Metrics.Timezone)
	if err != nil {
		return err
	}
	week := reports.WeekOf(cfg.End().AddDate(0, 0, -1).In(loc))
	fmt.Fprintf(o.Log, "==> report: weekly %s; dashboard API\n", week.Label())
	t := time.Now()
	err = reports.Generate(ctx, reports.ShowSource(conn), "weekly", reports.Scope{Period: week}, io.Discard, reports.RenderOptions{Lang: reports.LangZH})
	if err != nil {
		return err
	}
	r.ReportSeconds = round3(time.Since(t).Seconds())

	ds := o.Dashboards
	ds.CacheTTL = 0 // measure the queries, not the cache
	port, err := freeLoopbackPort()
	if err != nil {
		return err
	}
	ds.Listen = fmt.Sprintf("127.0.0.1:%d", port)
	srv, err := dashboards.New(dashboards.Options{Settings: ds, Source: reports.ShowSource(conn), Location: loc,
		Ready: conn.Ping, Now: func() time.Time { return cfg.End() }})
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	ready := make(chan string, 1)
	go srv.Serve(sctx, func(addr string) { ready <- addr })
	addr := <-ready
	url := fmt.Sprintf("http://%s/api/v1/metrics/conversion?from=%s&to=%s&by=date,shop_id",
		addr, cfg.Start.Format(time.DateOnly), cfg.End().AddDate(0, 0, -1).Format(time.DateOnly))
	header := http.Header{}
	if ds.BearerToken != "" {
		header.Set("Authorization", "Bearer "+ds.BearerToken)
	}
	p50, p95, err := apiLatency(ctx, url, 200, header)
	if err != nil {
		return err
	}
	r.APIP50ms = round3(float64(p50.Microseconds()) / 1000)
	r.APIP95ms = round3(float64(p95.Microseconds()) / 1000)
	return nil
}
