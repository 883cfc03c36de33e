package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest/export"
	"github.com/convintel/convintel/metrics"
)

func newExportCmd(a *app) *cobra.Command {
	var o struct {
		from, to, format, out, shop, level string
		by                                 []string
	}
	cmd := &cobra.Command{
		Use:   "export NAME --from DATE --to DATE --format parquet|csv|arrow --out FILE",
		Short: "Write stored events, enriched messages or a metric to a Parquet, CSV or Arrow file",
		Long: `export writes one of:
  events    every stored event in the contract's fields, one row per event_id
            (unknown fields as a JSON "extra" column); the file re-imports
            with "convintel import" into the same stored rows
  messages  stored messages with their enrichment: masked text, intent and
            intent_source, topics, sentiment score and label, signature
  ` + strings.Join(metrics.Names(), ", ") + `
            the rows of "convintel metrics show NAME" (run "metrics run" first)

Days are --from to --to inclusive, cut in metrics.timezone. Types: dates
date32, times timestamp[ms, UTC], money decimal128(18,2), counts int64,
rates float64, topics list<string>; CSV writes RFC 3339 times, 2-place
decimals and lists as JSON. Events and messages stream from ClickHouse in
bounded batches; the file appears only when complete.`,
		Example: `  convintel export events --from 2026-11-01 --to 2026-11-30 --format parquet --out nov.parquet
  convintel export messages --from 2026-11-11 --to 2026-11-11 --format csv --out d11-messages.csv
  convintel export conversion --from 2026-11-01 --to 2026-11-30 --by date,shop_id --format parquet --out conversion.parquet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			known := false
			for _, n := range export.Names() {
				known = known || n == name
			}
			if !known {
				return usageErr("export %q: choose one of %s", name, strings.Join(export.Names(), ", "))
			}
			if o.out == "" {
				return usageErr("--out FILE is required")
			}
			f, err := export.ParseFormat(o.format)
			if err != nil {
				return usageErr("--format: %v", err)
			}
			loc, err := time.LoadLocation(a.cfg.Metrics.Timezone)
			if err != nil {
				return fmt.Errorf("metrics.timezone: %w", err)
			}
			from, err := exportDay("from", o.from, loc)
			if err != nil {
				return usageErr("%v", err)
			}
			to, err := exportDay("to", o.to, loc)
			if err != nil {
				return usageErr("%v", err)
			}
			if to.Before(from) {
				return usageErr("--to %s is before --from %s", o.to, o.from)
			}
			conn, _, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			start := time.Now()
			q := export.Query{From: from, To: to, Location: loc,
				Metric: metrics.Query{By: o.by, Shop: o.shop, Level: o.level}}
			desc := fmt.Sprintf("exporting %s %s .. %s", name, o.from, o.to)
			var bar *progressbar.ProgressBar
			if name == "events" || name == "messages" {
				// Day by day: a bar with the days done and an ETA.
				bar = newProgress(int64(q.Days()), desc+" (days)", false)
				q.Progress = func(done, _ int) { _ = bar.Set(done) }
			} else {
				bar = newSpinner(desc)
			}
			res, err := export.Export(cmd.Context(), conn, name, q, f, o.out)
			_ = bar.Finish()
			if err != nil {
				return err
			}
			el := time.Since(start)
			fmt.Fprintf(os.Stderr, "exported %d rows of %s to %s (%s) in %s\n", res.Rows, name, o.out, f, el.Round(time.Millisecond))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.from, "from", "", "first day, YYYY-MM-DD (required)")
	fl.StringVar(&o.to, "to", "", "last day, YYYY-MM-DD, inclusive (required)")
	fl.StringVar(&o.format, "format", "parquet", "parquet, csv or arrow (Arrow IPC file)")
	fl.StringVar(&o.out, "out", "", "output file (required)")
	fl.StringSliceVar(&o.by, "by", nil, "metrics: group by these dimensions (as metrics show --by)")
	fl.StringVar(&o.shop, "shop", "", "metrics: only this shop_id")
	fl.StringVar(&o.level, "level", "", "dropoff: node, intent or product")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func exportDay(name, v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s %q: use YYYY-MM-DD", name, v)
	}
	return t, nil
}
