package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

type reportOptions struct {
	week, from, to, shop, channel, lang, out string
}

func newReportCmd(a *app) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report weekly|alerts|gmv|qa|agents|experiments",
		Short: "Write a report as one self-contained HTML file",
		Long: `report writes one of these reports as a single HTML file that opens
offline (ECharts is embedded), on a laptop or a phone:

  weekly  询单转化周报 for operations managers: 询单→下单 / 当日付款 / 最终付款
          with week-over-week deltas by shop and channel, the funnel,
          high drop-off nodes (高流失节点), sentiment, service, knowledge gaps.
  alerts  the early-warning report for merchandisers: open alerts by shop and
          product with their numbers against the baseline, a trend, masked
          evidence and the action to take.
  gmv     the GMV-contribution dashboard for executives: bot, agent and
          unattributed GMV, bot share, conversion by responder, top agents;
          bot value (hours and money saved), night order share and
          bot-guided repurchase, each against the period before.
  qa      智能质检 for service supervisors: every bot and agent message
          checked against the quality-inspection rules; violations per day,
          by rule and by agent, the worst conversations with masked examples.
  agents  the agent scoreboard: the bot, then each shop's agents by 客服销售额,
          with 接待人数, 询单人数, 转化率, 客单价, response times, CSAT, QA score.
  experiments  话术 A/B tests with exposures in the period: per arm buyers,
          order rate with its 95 % interval, lift, p-value, containment,
          handoff rate, CSAT, crossovers; a verdict line (winner / no
          difference yet / broken split) and what the numbers do not prove.
          The weekly report also carries the hour × weekday heat-map.

The period is an ISO week (--week 2026-W47) or a date range (--from/--to);
without either, the last complete week in the metrics time zone, or when
that holds no data the latest week that does. Metrics must have been
computed (convintel metrics run) for the period; a period without data
says which dates have some. The weekly report compares only days whose
order window (W, 72 h) has closed, with the same days of the week before.`,
		Example: `  # after convintel demo: its last week (the demo database is convintel_demo)
  convintel report weekly --database convintel_demo --week 2026-W40 --out weekly.html

  convintel report weekly --week 2026-W47 --out weekly.html
  convintel report alerts --from 2026-11-20 --to 2026-11-22 --lang en --out alerts.html
  convintel report gmv --from 2026-11-01 --to 2026-11-30 --shop shop-01 --out gmv.html
  convintel report qa --week 2026-W47 --out qa.html
  convintel report experiments --from 2026-11-01 --to 2026-11-30 --lang en --out ab.html`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: reports.Kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd, a, args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.week, "week", "", "ISO week, e.g. 2026-W47")
	f.StringVar(&o.from, "from", "", "first day, YYYY-MM-DD (with --to)")
	f.StringVar(&o.to, "to", "", "last day, YYYY-MM-DD, inclusive (with --from)")
	f.StringVar(&o.shop, "shop", "", "only this shop_id")
	f.StringVar(&o.channel, "channel", "", "only this channel (gmv: conversion figures)")
	f.StringVar(&o.lang, "lang", reports.LangZH, "zh-CN or en")
	f.StringVar(&o.out, "out", "", "output file (- for stdout)")
	return cmd
}

func runReport(cmd *cobra.Command, a *app, kind string, o reportOptions) error {
	if !slices.Contains(reports.Kinds, kind) {
		return usageErr("unknown report %q: choose %s", kind, strings.Join(reports.Kinds, ", "))
	}
	if o.out == "" {
		return usageErr("--out is required (a file name, or - for stdout)")
	}
	if _, err := reports.NewLocale(o.lang); err != nil {
		return usageErr("--lang: %v", err)
	}
	if o.channel != "" && kind != "gmv" {
		return usageErr("--channel applies to the gmv report only")
	}
	loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
	if err != nil {
		return err
	}
	period, err := reportPeriod(o.week, o.from, o.to, loc, time.Now())
	if err != nil {
		return usageErr("%v", err)
	}
	ctx := cmd.Context()
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	cov, err := reports.ShowCoverage(conn, loc, a.cfg.Metrics.AttributionWindow)(ctx)
	if err != nil {
		return err
	}
	if o.week == "" && o.from == "" {
		if latest := reports.LatestWithData(period, cov); latest != period {
			a.log.Info("no data in the default period: reporting the latest period with data", "default", period.Label(), "period", latest.Label())
			period = latest
		}
	} else if w := emptyPeriodWarning(period, cov); w != "" {
		// The page says so too; a script writing reports must hear it.
		fmt.Fprintln(os.Stderr, w)
	}
	scope := reports.Scope{Period: period, Shop: o.shop, Channel: o.channel, Coverage: cov, Retention: a.cfg.Metrics.Retention, QA: a.cfg.Metrics.QA, PromotionDays: a.cfg.Metrics.Alerts.PromotionDays}
	names, err := reports.LoadDimensions(a.cfg.Reports.DimensionsFile)
	if err != nil {
		return err
	}
	ro := reports.RenderOptions{Lang: o.lang, Names: names}
	start := time.Now()
	write := func(w io.Writer) error {
		return reports.Generate(ctx, reports.ShowSource(conn), kind, scope, w, ro)
	}
	if o.out == "-" {
		return write(os.Stdout)
	}
	if err := reports.WriteFile(o.out, write); err != nil {
		return err
	}
	abs, _ := filepath.Abs(o.out)
	a.log.Info("report written", "report", kind, "period", period.Label(), "file", abs, "elapsed", time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(os.Stderr, abs)
	return nil
}

// reportPeriod reads --week or --from/--to; with neither, the last
// complete week before now.
func reportPeriod(week, from, to string, loc *time.Location, now time.Time) (reports.Period, error) {
	switch {
	case week != "" && (from != "" || to != ""):
		return reports.Period{}, fmt.Errorf("give --week or --from/--to, not both")
	case week != "":
		return reports.ParseWeek(week, loc)
	case from != "" || to != "":
		if from == "" || to == "" {
			return reports.Period{}, fmt.Errorf("--from and --to go together")
		}
		return reports.ParseRange(from, to, loc)
	}
	return reports.WeekOf(now.In(loc).AddDate(0, 0, -7)), nil
}

// emptyPeriodWarning says, for a period chosen by flags that holds no
// computed metrics, that the report will be empty and what to do; "" when
// it holds some or nothing was computed at all (the page explains that).
func emptyPeriodWarning(p reports.Period, cov metrics.Coverage) string {
	if cov.Empty() || cov.Overlaps(p.From, p.To) {
		return ""
	}
	return fmt.Sprintf("warning: no metrics computed for %s, so the report is empty; metrics exist for %s .. %s "+
		"(compute the period with: convintel metrics run --from %s --to %s)",
		p.Label(), cov.FirstDay.Format(time.DateOnly), cov.LastDay.Format(time.DateOnly),
		p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
}
