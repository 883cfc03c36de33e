package main

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/reports/schedule"
)

func newScheduleCmd(a *app) *cobra.Command {
	var job, slot string
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Run the report scheduler: hourly metrics, daily alerts, Monday weekly report",
		Long: `schedule runs, in the metrics time zone:

  metrics  every hour at :05 (reports.schedule.metrics_minute): recompute the
           last 3 days (metrics_lookback_days) of every metric
  intraday every hour at :10 (reports.schedule.intraday_minute): the hourly
           alert rules on the day so far (convintel alerts intraday);
           new alerts are announced once
  alerts   daily at 08:30 (alerts_at): evaluate yesterday's alerts, archive
           <archive>/alerts/2026-11-22.<lang>.html, announce open alerts
  weekly   Mondays at 09:00 (weekly_at): archive last week's report as
           <archive>/weekly/2026-W47.<lang>.html and announce it

The archive is reports.archive_dir (default <home>/archive). Webhooks
(DingTalk, WeCom, Feishu, Slack) are configured under reports.webhooks.
The last completed slot per job is kept in ClickHouse (schedule_slots,
shared by every serve replica) and in <archive>/schedule-state.json; on
start, missed slots are run (at most catch_up_limit per job) and logged.

With --job and --slot, schedule runs one slot now and exits; rerunning a
slot rewrites the same files.`,
		Example: `  convintel schedule
  convintel schedule --job weekly --slot 2026-11-23T09:00
  convintel schedule --job alerts --slot 2026-11-23T08:30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if (job == "") != (slot == "") {
				return usageErr("--job and --slot go together")
			}
			if job != "" && !slices.Contains(schedule.Jobs, job) {
				return usageErr("--job %q: choose %s", job, strings.Join(schedule.Jobs, ", "))
			}
			loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
			if err != nil {
				return err
			}
			var at time.Time
			if slot != "" {
				if at, err = time.ParseInLocation("2006-01-02T15:04", slot, loc); err != nil {
					return usageErr("--slot %q: use YYYY-MM-DDTHH:MM (e.g. 2026-11-23T09:00) in %s", slot, loc)
				}
			}
			cl, err := a.clickhouseShards(ctx)
			if err != nil {
				return err
			}
			rs := a.cfg.Reports
			opts := schedule.Options{Cluster: cl, Metrics: a.cfg.Metrics, Reports: rs,
				ArchiveDir: archiveDir(a, rs), Log: a.log}
			if job != "" {
				sch, err := schedule.New(opts)
				if err != nil {
					return err
				}
				return sch.RunSlot(ctx, job, at)
			}
			_, stop, err := startScheduler(ctx, a, opts)
			if err != nil {
				return err
			}
			<-ctx.Done()
			stop()
			return nil
		},
	}
	cmd.Flags().StringVar(&job, "job", "", "run one slot of this job now: "+strings.Join(schedule.Jobs, ", "))
	cmd.Flags().StringVar(&slot, "slot", "", "the slot time of --job, YYYY-MM-DDTHH:MM in the metrics time zone")
	return cmd
}

// startScheduler starts the report scheduler, elected among replicas
// when Kafka brokers are configured (schedule.Start).
func startScheduler(ctx context.Context, a *app, o schedule.Options) (*schedule.Scheduler, func(), error) {
	return schedule.Start(ctx, o, a.cfg.Kafka)
}
