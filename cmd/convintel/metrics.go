package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/metrics"
)

func newMetricsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "Compute and show the metrics of docs/metrics.md (conversion, GMV, sentiment, drop-off, funnel, service, gaps, alerts)",
		Long: `metrics run computes every metric of docs/metrics.md for a range of days
from the stored events and keeps the results in ClickHouse; metrics show
prints one of them, rolled up by the dimensions you choose. Reports, the
dashboards and export read the same results, so run metrics run for a
period before reporting on it (serve's scheduler does it every hour for
the last days). Days are cut in metrics.timezone (default Asia/Shanghai).`,
		Example: `  # after convintel demo (database convintel_demo, days 2026-09-07 .. 2026-10-04)
  convintel metrics show conversion --database convintel_demo --from 2026-09-07 --to 2026-10-04 --by shop_id

  convintel metrics run --from 2026-11-01 --to 2026-11-30
  convintel metrics show gmv --from 2026-11-01 --to 2026-11-30 --by date,shop_id --format csv > gmv.csv`,
	}
	cmd.AddCommand(newMetricsRunCmd(a), newMetricsShowCmd(a))
	return cmd
}

func parseDay(name, v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, usageError{err: fmt.Errorf("--%s %q: use YYYY-MM-DD", name, v)}
	}
	return t, nil
}

func newMetricsRunCmd(a *app) *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "run --from DATE --to DATE",
		Short: "Recompute every metric and alert for a date range (idempotent)",
		Long: `run recomputes every metric job and the daily alert rules for each day
from --from to --to (both included, in metrics.timezone) and replaces that
day's results, so running it twice gives the same numbers. A day's order
numbers are final once its order window (metrics.attribution_window, 72h)
has closed; rerun the recent days until then. It prints the rows and
seconds per job, with a progress bar on a terminal.`,
		Example: `  convintel metrics run --from 2026-11-01 --to 2026-11-30
  convintel metrics run --database convintel_demo --from 2026-09-07 --to 2026-10-04`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.cfg.Metrics
			loc, err := time.LoadLocation(s.Timezone)
			if err != nil {
				return fmt.Errorf("metrics.timezone: %w", err)
			}
			f, err := parseDay("from", from, loc)
			if err != nil {
				return err
			}
			t, err := parseDay("to", to, loc)
			if err != nil {
				return err
			}
			if t.Before(f) {
				return usageErr("--to %s is before --from %s", to, from)
			}
			rep, err := runMetrics(cmd.Context(), a, f, t)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintf(w, "job\tdays\trows\tseconds\n")
			for _, j := range rep.Jobs {
				fmt.Fprintf(w, "%s\t%d\t%d\t%.2f\n", j.Job, j.Days, j.Rows, j.Elapsed.Seconds())
			}
			fmt.Fprintf(w, "total\t%d\t\t%.2f\n", rep.Days, rep.Elapsed.Seconds())
			if err := w.Flush(); err != nil {
				return err
			}
			if n := rep.AlertDaysAfter; n > 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "alerts also evaluated for the %d days after %s that earlier runs evaluated (their state carries on from the days run)\n",
					n, rep.To.Format(time.DateOnly))
			}
			return printWindowModels(cmd.Context(), a, cmd.OutOrStdout(), f, t.AddDate(0, 0, 1))
		},
	}
	c.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (reporting time zone)")
	c.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (inclusive)")
	_ = c.MarkFlagRequired("from")
	_ = c.MarkFlagRequired("to")
	return c
}

func newMetricsShowCmd(a *app) *cobra.Command {
	var from, to, by, shop, format, level string
	c := &cobra.Command{
		Use:   "show NAME --from DATE --to DATE",
		Short: "Show a metric rolled up by dimensions: " + strings.Join(metrics.Names(), ", "),
		Long: `show prints the stored results of one metric (run "convintel metrics run"
for the period first), summed over the days --from to --to and grouped by
--by. Rates are recomputed from the summed counts, never averaged; a rate
with nothing to divide by (no consultations, no ratings…) has no value:
– in the table, an empty CSV cell, null in JSON.
docs/metrics.md defines every column.

Metrics: ` + strings.Join(metrics.Names(), ", ") + `.`,
		Example: `  convintel metrics show conversion --from 2026-11-01 --to 2026-11-30
  convintel metrics show conversion --from 2026-11-01 --to 2026-11-30 --by week,shop_id
  convintel metrics show dropoff --level product --from 2026-11-16 --to 2026-11-22 --shop shop-01
  convintel metrics show alerts --from 2026-11-01 --to 2026-11-30 --format json`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: metrics.Names(),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains([]string{"table", "json", "csv"}, format) {
				return usageErr("--format %q: use table, json or csv", format)
			}
			if !slices.Contains(metrics.Names(), args[0]) {
				return usageErr("unknown metric %q: choose one of %s", args[0], strings.Join(metrics.Names(), ", "))
			}
			loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
			if err != nil {
				return fmt.Errorf("metrics.timezone: %w", err)
			}
			q := metrics.Query{Shop: shop, Level: level}
			if q.From, err = parseDay("from", from, loc); err != nil {
				return err
			}
			if q.To, err = parseDay("to", to, loc); err != nil {
				return err
			}
			if by != "" {
				for _, d := range strings.Split(by, ",") {
					q.By = append(q.By, strings.TrimSpace(d))
				}
			}
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			rows, err := metrics.Show(cmd.Context(), conn, args[0], q)
			if err != nil {
				return err
			}
			if len(rows) == 0 {
				explainNoRows(cmd, a, conn, q)
			}
			return writeRows(cmd.OutOrStdout(), format, rows)
		},
	}
	c.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD")
	c.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (inclusive)")
	c.Flags().StringVar(&by, "by", "", "comma-separated dimensions (default date): "+strings.Join(allDimensions(), ", "))
	c.Flags().StringVar(&shop, "shop", "", "only this shop_id")
	c.Flags().StringVar(&format, "format", "table", "table, json or csv")
	c.Flags().StringVar(&level, "level", "", "level of a metric stored at several levels (default the first): "+levelHelp())
	_ = c.MarkFlagRequired("from")
	_ = c.MarkFlagRequired("to")
	return c
}

// allDimensions are the --by dimensions of every metric, in catalogue order.
func allDimensions() []string {
	var out []string
	for _, m := range metrics.Catalog() {
		dims := m.Dimensions
		for _, l := range m.Levels {
			dims = append(slices.Clone(dims), l.Dimensions...)
		}
		for _, d := range dims {
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// levelHelp lists each metric's levels: "dropoff: node, intent, product".
func levelHelp() string {
	var out []string
	for _, m := range metrics.Catalog() {
		if len(m.Levels) > 0 {
			out = append(out, m.Name+": "+strings.Join(metrics.LevelNames(m.Name), ", "))
		}
	}
	return strings.Join(out, "; ")
}

// cell is v as a CSV field; a field without a value (nil: a rate with no
// denominator, roi without a handling time, a control's p-value) is empty.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(x, " | ")
	case float64:
		return fmt.Sprintf("%.4g", x)
	}
	return fmt.Sprint(v)
}

// tableCell is v in the table: – for no value, as the reports print it. A
// shop without bot consultations read "handoff_rate 0", as if the bot had
// handed nobody over, and an empty cell looked like a column cut off.
func tableCell(v any) string {
	if v == nil {
		return "–"
	}
	return cell(v)
}

func writeRows(w io.Writer, format string, rows []metrics.Row) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []metrics.Row{}
		}
		return enc.Encode(rows)
	case "csv":
		cw := csv.NewWriter(w)
		for i, r := range rows {
			if i == 0 {
				_ = cw.Write(r.Keys())
			}
			rec := make([]string, len(r))
			for j, f := range r {
				rec[j] = cell(f.Value)
			}
			_ = cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "table", "":
		if len(rows) == 0 {
			fmt.Fprintln(w, "(no rows)")
			return nil
		}
		tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(rows[0].Keys(), "\t"))
		for _, r := range rows {
			rec := make([]string, len(r))
			for j, f := range r {
				rec[j] = tableCell(f.Value)
			}
			fmt.Fprintln(tw, strings.Join(rec, "\t"))
		}
		return tw.Flush()
	}
	return fmt.Errorf("--format %q: use table, json or csv", format)
}

// runMetrics recomputes from..to with a progress bar on stderr.
func runMetrics(ctx context.Context, a *app, from, to time.Time) (metrics.Report, error) {
	cl, err := a.clickhouseShards(ctx)
	if err != nil {
		return metrics.Report{}, err
	}
	var bar *progressbar.ProgressBar
	progress := func(done, total int, job string) {
		if bar == nil {
			bar = newProgress(int64(total), "metrics", false)
		}
		bar.Describe(fmt.Sprintf("%-13s", job))
		_ = bar.Set(done)
	}
	rep, err := metrics.Run(ctx, cl, a.cfg.Metrics, from, to, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	return rep, err
}
