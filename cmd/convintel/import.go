package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/tabular"
	"github.com/convintel/convintel/warehouse"
)

func newImportCmd(a *app) *cobra.Command {
	var o importOptions
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Load events from JSONL, Parquet, CSV or Arrow files through the ingest path",
		Long: `import reads contract events from files and stores them exactly as ingest
would: the same validation, NLP enrichment, PII masking and dedup by
event_id. The format comes from the extension (.jsonl/.json[.gz], .parquet,
.csv[.gz], .arrow/.ipc) or --format.

JSONL holds one JSON object per line. Parquet, CSV and Arrow hold one event
per row, in columns named as the contract's fields (event_id, type, ts,
shop_id, customer_id, conversation_id, sender, text, score, amount, items,
…); --map renames others. ts may be a timestamp, epoch milliseconds or an
RFC 3339 string; items a JSON string or a list<struct>; a column named
extra holding a JSON object contributes its members as fields; other
columns are kept as extra fields. Files are streamed (Parquet row group by
row group) in constant memory.

Bad rows go to the dead letters with file:row (JSONL: file:line), the
reason and the PII-masked head of the raw bytes; the good rows around them
are stored. A file that reaches ingest.max_dead_letters_per_file dead
letters (default 10000; 0 = no limit) is stopped there (it does not look
like contract events): the rest of it is not read, the next file is, and
the command exits non-zero. A corrupt Parquet row group is dead-lettered
by number and the rest of the file is read; the command then exits
non-zero. With --strict any dead letter makes the exit status non-zero
(for scripts and CI). Importing a file twice stores nothing twice.
List the dead letters with "convintel deadletters --source import".`,
		Example: `  convintel import history/2026-10-*.jsonl.gz
  convintel import orders-2025.parquet chats-2025.csv.gz
  convintel import --map store=shop_id,buyer=customer_id,created_at=ts,legacy_flag=- dump.parquet
  convintel simulate --out sim.jsonl && convintel import sim.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			f, topt, comma, err := o.tabularOptions(cmd)
			if err != nil {
				return err
			}
			for _, path := range files {
				if f == "" {
					if _, err := tabular.DetectFormat(path); err != nil {
						return usageErr("%v", err)
					}
				}
			}
			return runImport(cmd.Context(), a, files, o, f, topt, comma)
		},
	}
	cmd.Flags().BoolVar(&o.noNLP, "no-nlp", false, "store messages masked but without NLP enrichment")
	cmd.Flags().BoolVar(&o.strict, "strict", false, "exit non-zero when any input was dead-lettered")
	cmd.Flags().BoolVar(&o.quiet, "quiet", false, "no progress bar")
	cmd.Flags().StringVar(&o.format, "format", "", "jsonl, parquet, csv or arrow (default: from each file's extension)")
	cmd.Flags().StringVar(&o.mapping, "map", "", "rename columns to contract fields: COLUMN=FIELD,… (FIELD - drops the column)")
	cmd.Flags().StringVar(&o.delimiter, "csv-delimiter", ",", "CSV field delimiter (one character; \\t for tab)")
	return cmd
}

type importOptions struct {
	noNLP, quiet, strict       bool
	format, mapping, delimiter string
}

// tabularOptions checks the format flags before anything starts.
func (o importOptions) tabularOptions(cmd *cobra.Command) (tabular.Format, tabular.Options, rune, error) {
	var f tabular.Format
	if o.format != "" {
		var err error
		if f, err = tabular.ParseFormat(o.format); err != nil {
			return "", tabular.Options{}, 0, usageErr("--format: %v", err)
		}
	}
	m, err := tabular.ParseMapping(o.mapping)
	if err != nil {
		return "", tabular.Options{}, 0, usageErr("%v", err)
	}
	d := []rune(strings.ReplaceAll(o.delimiter, `\t`, "\t"))
	if len(d) != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r' {
		return "", tabular.Options{}, 0, usageErr("--csv-delimiter %q: use one character other than a quote or newline", o.delimiter)
	}
	return f, tabular.Options{Map: m}, d[0], nil
}

func runImport(ctx context.Context, a *app, files []string, o importOptions, format tabular.Format, topt tabular.Options, comma rune) error {
	total, err := tabular.TotalBytes(files)
	if err != nil {
		return explainMissingFile(err)
	}
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	enrich, err := a.enricher(o.noNLP)
	if err != nil {
		return err
	}
	w := ingest.NewWriter(conn, a.log, nil)
	topt.Rows = a.cfg.Ingest.BatchRows
	// Unreadable rows and row groups are stored beside the pipeline's dead
	// letters and counted with them.
	topt.DeadLetters = tabular.WriteDeadLetters(w)
	bar := newProgress(total, "importing", true)
	if o.quiet {
		bar = progressbar.DefaultSilent(total)
	}
	im := tabular.Import{Format: format, Options: topt, Comma: comma,
		NewPipeline: func() *ingest.Pipeline {
			return ingest.NewPipeline(ingest.Options{Writer: w, Enrich: enrich, Workers: a.cfg.Ingest.Workers, Inserts: a.cfg.Ingest.Inserts,
				MaxDeadLetters: a.cfg.Ingest.MaxDeadLettersPerFile, Log: a.log})
		},
		Progress: func(done int64) { _ = bar.Set64(done) },
	}
	start := time.Now()
	res, err := im.Run(ctx, files)
	if err != nil {
		return err
	}
	c, unreadable := res.Counts, res.Unreadable
	_ = bar.Finish()
	el := time.Since(start)
	fmt.Fprintf(os.Stderr, "\nimported %d events in %s (%.0f events/s): %d stored, %d dead-lettered\n",
		c.Consumed, el.Round(time.Millisecond), float64(c.Consumed)/el.Seconds(), c.Stored, c.DeadLettered)
	if c.DeadLettered > 0 {
		reasons, err := warehouse.DeadLetterReasons(ctx, conn, "import")
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
			fmt.Fprintf(os.Stderr, "dead letters by reason (all imports so far): %s\n  list them: convintel deadletters --source import\n", strings.Join(parts, " "))
		}
	}
	if len(unreadable) > 0 {
		return fmt.Errorf("import: parts of %d file(s) could not be read:\n%w", len(unreadable), errors.Join(unreadable...))
	}
	if o.strict && c.DeadLettered > 0 {
		return fmt.Errorf("import --strict: %d input(s) dead-lettered (list them: convintel deadletters --source import)", c.DeadLettered)
	}
	return nil
}

// explainMissingFile turns "stat FILE: no such file or directory" into a
// usage error naming the file; a pattern the shell left as it was matched
// nothing.
func explainMissingFile(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if strings.ContainsAny(pe.Path, "*?[") {
		return usageError{err: fmt.Errorf("%s: no file matches this pattern", pe.Path)}
	}
	return usageError{err: fmt.Errorf("%s: no such file", pe.Path)}
}
