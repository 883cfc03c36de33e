package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/sql"
)

func newImportCmd(a *app) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Load events from JSONL files (plain or gzip) through the ingest path",
		Long: `import reads contract events, one JSON object per line (plain or gzip,
detected from the content), and stores them exactly as ingest would: the
same validation, NLP enrichment, PII masking and dedup by event_id. Bad
lines go to the dead letters with file:line and the reason; the good lines
around them are stored. Importing a file twice stores nothing twice.`,
		Example: `  convintel import history/2026-10-*.jsonl.gz
  convintel simulate --out sim.jsonl && convintel import sim.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			return runImport(cmd.Context(), a, files, o)
		},
	}
	cmd.Flags().BoolVar(&o.noNLP, "no-nlp", false, "store messages masked but without NLP enrichment")
	cmd.Flags().BoolVar(&o.quiet, "quiet", false, "no progress bar")
	return cmd
}

type importOptions struct {
	noNLP, quiet bool
}

func runImport(ctx context.Context, a *app, files []string, o importOptions) error {
	var total int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if st.IsDir() {
			return fmt.Errorf("import: %s is a directory; pass the files (e.g. %s/*.jsonl)", f, f)
		}
		total += st.Size()
	}
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	enrich, err := a.enricher(o.noNLP)
	if err != nil {
		return err
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, a.log, nil), Enrich: enrich, Workers: a.cfg.Ingest.Workers, Log: a.log})
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetDescription("importing"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetVisibility(!o.quiet),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
	)
	start := time.Now()
	var done int64
	for _, f := range files {
		src := &ingest.JSONLSource{Path: f, Rows: a.cfg.Ingest.BatchRows, Progress: func(n int64) { _ = bar.Set64(done + n) }}
		batches := make(chan ingest.Batch)
		errc := make(chan error, 1)
		go func() { errc <- src.Run(ctx, batches) }()
		if err := p.Run(ctx, batches); err != nil {
			return err
		}
		if err := <-errc; err != nil {
			return fmt.Errorf("import %s: %w", f, err)
		}
		st, _ := os.Stat(f)
		done += st.Size()
	}
	_ = bar.Finish()
	c := p.Counts()
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "\nimported %d events in %s (%.0f events/s): %d stored, %d dead-lettered\n",
		c.Consumed, el.Round(time.Millisecond), float64(c.Consumed)/el.Seconds(), c.Stored, c.DeadLettered)
	if c.DeadLettered > 0 {
		reasons, err := sql.DeadLetterReasons(ctx, conn, "import")
		if err == nil {
			keys := make([]string, 0, len(reasons))
			for k := range reasons {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s=%d", k, reasons[k]))
			}
			fmt.Fprintf(os.Stderr, "dead letters by reason (all imports so far): %s\n  inspect: SELECT location, reason, detail FROM dead_letters ORDER BY received_at DESC LIMIT 20\n", strings.Join(parts, " "))
		}
	}
	return nil
}
