package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/bench"
	"github.com/convintel/convintel/ingest"
)

type benchOptions struct {
	events       int
	importEvents int
	out          string
	smoke        bool
	only         string
	// intraday: messages of the day the hourly alert evaluation reads;
	// scale: message counts of the metric-job scaling runs (--only scale).
	intraday int
	scale    []int
	// alertNoNLP loads the alert stages' traffic masked but not enriched.
	alertNoNLP bool
	// reuse keeps the intraday and scale stages' databases when they
	// already hold the same simulated traffic.
	reuse bool
}

func newBenchCmd(a *app) *cobra.Command {
	var o benchOptions
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure ingest, NLP, import, metrics and report speed on generated data, with baselines",
		Long: `bench generates simulated traffic and measures, on the same data in one run:

  ingest_nlp     Kafka → decode → NLP → ClickHouse, events/s, with the broker and
                 the ingest process as separate processes (peak RSS of ingest)
  ingest_raw     the same with NLP off (masking only)
  ceiling        a plain native-protocol insert of the same rows, no Kafka
  nlp            NLP enrichment messages/s on one core
  import         JSONL (and Parquet/CSV when available) import events/s
  metrics        seconds per metric job over the ingested range
  report / api   weekly report render seconds, dashboard API p50/p95
  intraday       the hourly alert evaluation over a day of --intraday-messages
                 (default 10 M): first at 12:00 with nothing computed (twelve
                 hours to compute), then every hour to 24:00 as the scheduler
                 runs it (each computes the hour just finished)
  scale          every metric job over a month of each --scale size (10 M and
                 30 M messages): how job time grows with volume; only with --only

Ratios between them hold on a noisy machine where single times do not. The
table is printed and written as flat JSON to --out (default out/bench.json).
--smoke runs everything on a few thousand events in seconds (CI runs it so
the bench code cannot rot).`,
		Example: `  convintel bench                       # 10 million events, ~15 minutes on 2 cores
  convintel bench --events 2000000
  convintel bench --smoke`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.smoke {
				o.events, o.importEvents, o.intraday, o.scale = 20_000, 10_000, 50_000, []int{50_000, 150_000}
			}
			if o.importEvents == 0 {
				o.importEvents = min(o.events, 1_000_000)
			}
			return runBench(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.events, "events", 10_000_000, "Kafka messages (events) for the ingest runs")
	f.IntVar(&o.importEvents, "import-events", 0, "events for the import runs (default min(events, 1M))")
	f.StringVar(&o.out, "out", "out/bench.json", "where to write the JSON results")
	f.BoolVar(&o.smoke, "smoke", false, "tiny sizes: checks the bench works, measures nothing meaningful")
	f.StringVar(&o.only, "only", "", "comma list of stages to run ("+strings.Join(bench.Stages, ",")+"; default all but scale)")
	f.IntVar(&o.intraday, "intraday-messages", 10_000_000, "messages in the day the hourly alert evaluation reads (stage intraday)")
	f.IntSliceVar(&o.scale, "scale", []int{10_000_000, 30_000_000}, "message counts of the metric-job scaling runs (stage scale, only with --only)")
	f.BoolVar(&o.reuse, "reuse-data", false, "intraday and scale stages: keep a database an earlier run loaded with the same traffic (recorded under --home) and time only the evaluation and the jobs")
	f.BoolVar(&o.alertNoNLP, "alert-stages-no-nlp", false, "load the intraday and scale stages' traffic masked but without NLP (they time the evaluation and the metric jobs over stored rows; NLP only decides labels, and enriching 40 M messages takes hours on a busy 2-core machine)")
	return cmd
}

func runBench(ctx context.Context, a *app, o benchOptions) error {
	only, err := bench.ParseStages(o.only)
	if err != nil {
		return err
	}
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	res, err := bench.Run(ctx, bench.Options{
		Events: o.events, ImportEvents: o.importEvents, Only: only,
		Home: a.cfg.Home, Self: self, Admin: conn,
		DSN: func(db string) (string, error) {
			if a.chLocal != nil {
				return a.chLocal.DSN(db), nil
			}
			return replaceDatabase(a.cfg.ClickHouse.DSN, db)
		},
		ClickHouseCPU: func() float64 {
			if a.chLocal == nil {
				return 0
			}
			return bench.ProcessCPU(a.chLocal.PID())
		},
		Kafka: a.cfg.Kafka, BatchRows: a.cfg.Ingest.BatchRows,
		Metrics: a.cfg.Metrics, Dashboards: a.cfg.Dashboards,
		NLP: a.nlpModel,
		ImportSource: func(path, format string) (ingest.Source, error) {
			return importSource(path, format, nil, a.cfg.Ingest.BatchRows)
		},
		Produce: produceSimulation, WriteJSONL: writeSimulation,
		IntradayMessages: o.intraday, ScaleMessages: o.scale, AlertStagesNoNLP: o.alertNoNLP, ReuseData: o.reuse,
	})
	if err != nil {
		return err
	}
	if err := writeJSON(o.out, res); err != nil {
		return err
	}
	res.WriteTable(os.Stdout)
	fmt.Fprintf(os.Stderr, "written to %s\n", o.out)
	return nil
}

// replaceDatabase returns dsn with its path (database) set to db.
func replaceDatabase(dsn, db string) (string, error) {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return "", fmt.Errorf("DSN %q has no scheme", dsn)
	}
	hostPart, query, _ := strings.Cut(rest, "?")
	host, _, _ := strings.Cut(hostPart, "/")
	out := scheme + "://" + host + "/" + db
	if query != "" {
		out += "?" + query
	}
	return out, nil
}
