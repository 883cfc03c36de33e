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
		Short: "Compute and show the metrics of metrics.md (conversion, GMV, sentiment, drop-off, funnel, service, gaps, alerts)",
	}
	cmd.AddCommand(newMetricsRunCmd(a), newMetricsShowCmd(a))
	return cmd
}

func parseDay(name, v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: use YYYY-MM-DD", name, v)
	}
	return t, nil
}

func newMetricsRunCmd(a *app) *cobra.Command {
	var from, to string
	c := &cobra.Command{
		Use:   "run --from DATE --to DATE",
		Short: "Recompute every metric and alert for a date range (idempotent)",
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
		Use:       "show NAME --from DATE --to DATE",
		Short:     "Show a metric rolled up by dimensions: " + strings.Join(metrics.Names(), ", "),
		Args:      cobra.ExactArgs(1),
		ValidArgs: metrics.Names(),
		RunE: func(cmd *cobra.Command, args []string) error {
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

func cell(v any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, " | ")
	case float64:
		return fmt.Sprintf("%.4g", x)
	}
	return fmt.Sprint(v)
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
				rec[j] = cell(f.Value)
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
