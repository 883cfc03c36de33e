package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/convintel/convintel/metrics"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/dashboards"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/schedule"
)

func newServeCmd(a *app) *cobra.Command {
	var listen string
	var noSchedule bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the live dashboards, the JSON API and /metrics; run the report scheduler",
		Long: `serve answers over HTTP:

  /weekly, /alerts, /gmv, /qa,  the reports of 'convintel report', live, filters in
  /agents, /experiments         the URL (?week=2026-W47 or ?from=&to=, &shop=, &channel=, &lang=en);
                                without a period, the default one or, when it holds
                                no data, the latest that does
  /api/v1/metrics/{name}        metric rows as JSON (?from=&to=&by=&shop=&channel=&level=)
  /archive/                     the scheduled reports
  /metrics, /healthz            Prometheus metrics; liveness (no auth)

It binds 127.0.0.1:8088 by default (dashboards.listen). Every path but
/healthz requires dashboards.bearer_token or basic_user/basic_password when
set, and serve refuses to listen beyond loopback without one. Unless
--no-schedule (or dashboards.schedule: false), the scheduler of
'convintel schedule' runs inside serve.`,
		Example: `  convintel serve
  convintel serve --database convintel_demo      # the data convintel demo loaded
  CONVINTEL_DASHBOARDS_BEARER_TOKEN=$(openssl rand -hex 24) convintel serve --listen 0.0.0.0:8088
  curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8088/api/v1/metrics/conversion?from=2026-11-16&to=2026-11-22&by=shop_id,channel'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds := a.cfg.Dashboards
			if listen != "" {
				ds.Listen = listen
			}
			if noSchedule {
				ds.Schedule = false
			}
			if err := ds.Validate(); err != nil {
				return usageErr("%v", err)
			}
			// Before ClickHouse and the scheduler (whose catch-up writes
			// archives): a taken port is found in a second, not after.
			if err := checkListen(ds.Listen); err != nil {
				return err
			}
			ctx := cmd.Context()
			conn, _, err := a.clickhouse(ctx)
			if err != nil {
				return err
			}
			loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
			if err != nil {
				return err
			}
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			rs := a.cfg.Reports
			archive := archiveDir(a, rs)
			if ds.Schedule {
				_, stop, err := startScheduler(ctx, a, schedule.Options{Cluster: a.shards, Metrics: a.cfg.Metrics, Reports: rs,
					ArchiveDir: archive, Log: a.log.With("component", "schedule"), Registerer: reg})
				if err != nil {
					return err
				}
				defer stop()
			}
			names, err := reports.LoadDimensions(rs.DimensionsFile)
			if err != nil {
				return err
			}
			go runRetentionLoop(ctx, a)
			// conn (the writer) runs the scheduler and serve's few small
			// authenticated writes; pages and API read through reader.
			reader, err := a.readerConn(ctx, conn)
			if err != nil {
				return err
			}
			srv, err := dashboards.New(dashboards.Options{Names: names, Settings: ds, Source: reports.ShowSource(reader), Location: loc, Retention: a.cfg.Metrics.Retention, QA: a.cfg.Metrics.QA, PromotionDays: a.cfg.Metrics.Alerts.PromotionDays,
				ArchiveDir: archive, Log: a.log.With("component", "dashboards"), Registerer: reg, Gatherer: reg,
				Ready: reader.Ping, Coverage: reports.ShowCoverage(reader, loc, a.cfg.Metrics.AttributionWindow),
				// The writer connection, not reader: disputes are written.
				// 申诉: a supervisor's verdict on a QA violation, one small
				// authenticated write beside the read-only pages.
				Disputes: func(ctx context.Context, d metrics.Dispute) error { return metrics.RecordDispute(ctx, conn, d) }})
			if err != nil {
				return err
			}
			return srv.Serve(ctx, func(addr string) {
				a.log.Info("serving dashboards", "url", "http://"+addr+"/weekly", "auth", ds.AuthConfigured(), "archive", archive)
				fmt.Fprintf(os.Stderr, "dashboards at http://%s/weekly\n", addr)
			})
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "host:port (default dashboards.listen, 127.0.0.1:8088)")
	cmd.Flags().BoolVar(&noSchedule, "no-schedule", false, "do not run the report scheduler inside serve")
	return cmd
}

// archiveDir is reports.archive_dir, or <home>/archive.
func archiveDir(a *app, rs reports.Settings) string {
	if rs.ArchiveDir != "" {
		return rs.ArchiveDir
	}
	return filepath.Join(a.cfg.Home, "archive")
}

// checkListen says, when addr cannot be listened on, which setting to
// change.
func checkListen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		hint := "choose another with --listen or dashboards.listen"
		if errors.Is(err, syscall.EADDRINUSE) {
			hint = "another program (another convintel serve?) uses it; stop it or " + hint
		}
		return fmt.Errorf("cannot listen on %s: %w; %s", addr, errors.Unwrap(err), hint)
	}
	return ln.Close()
}
