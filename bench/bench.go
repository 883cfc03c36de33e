package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/convintel/convintel/dashboards"
	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
)

// Stages are the stages Options.Only may name, in run order. A run without
// Only runs every stage but scale (the metric jobs over 10 M and 30 M
// messages take as long as the rest together).
var Stages = []string{"ingest", "ceiling", "nlp", "import", "metrics", "report", "intraday", "scale"}

// Options configure a bench run. cmd/convintel fills them from the
// configuration; every function is how the harness reaches a part of the
// product without knowing how the command wires it.
type Options struct {
	// Events is the number of Kafka messages of the ingest runs, and sizes
	// the metric, report and API stages; ImportEvents that of the import
	// runs.
	Events, ImportEvents int
	// Only lists the stages to run (nil: all of Stages).
	Only []string
	// Home is where summaries and the import files go.
	Home string
	// Self is the convintel binary, run as the broker and the ingest
	// processes (with Home as their --home).
	Self string
	// Admin is a connection to the server every bench database lives on;
	// DSN names database db on it.
	Admin warehouse.Conn
	DSN   func(db string) (string, error)
	// ClickHouseCPU is the server's CPU seconds so far (nil or 0 when its
	// process is not visible).
	ClickHouseCPU func() float64
	// Kafka are the settings the ingest processes start from (brokers and
	// topics are the bench broker's).
	Kafka     ingest.KafkaConfig
	BatchRows int
	// Metrics and Dashboards are the settings the metric, report and API
	// stages use.
	Metrics    metrics.Settings
	Dashboards dashboards.Settings
	// NLP loads the active model.
	NLP func() (*nlp.Model, error)
	// ImportSource opens a file of format (jsonl, parquet, csv) for import.
	ImportSource func(path, format string) (ingest.Source, error)
	// Produce sends simulated events to kc's topic; WriteJSONL writes them
	// to a file.
	Produce    func(ctx context.Context, kc ingest.KafkaConfig, cfg simulate.Config) (*simulate.Tally, error)
	WriteJSONL func(path string, cfg simulate.Config) (*simulate.Tally, error)
	// IntradayMessages sizes the day the hourly alert evaluation reads
	// (stage intraday); ScaleMessages are the sizes of the scale stage.
	IntradayMessages int
	ScaleMessages    []int
	// AlertStagesNoNLP loads the intraday and scale stages' traffic masked
	// but not enriched: they time the evaluation and the metric jobs over
	// stored rows, and NLP only decides the labels.
	AlertStagesNoNLP bool
	// ReuseData keeps an intraday or scale database that an earlier run
	// loaded with the same traffic (a record under Home says what it
	// holds), so a rerun on a quiet machine times only the evaluation and
	// the jobs.
	ReuseData bool
	// Log receives progress: each stage and its figures as they come
	// (default stderr).
	Log io.Writer
}

func (o Options) stage(name string) bool {
	if len(o.Only) == 0 {
		return name != "scale"
	}
	return slicesContains(o.Only, name)
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// ParseStages reads a comma list of stages ("" = all).
func ParseStages(list string) ([]string, error) {
	if list == "" {
		return nil, nil
	}
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if !slicesContains(Stages, s) {
			return nil, fmt.Errorf("--only %q: stages are %s", s, strings.Join(Stages, ","))
		}
		out = append(out, s)
	}
	return out, nil
}

// Run measures the stages of o on generated data.
func Run(ctx context.Context, o Options) (*Results, error) {
	if o.Log == nil {
		o.Log = os.Stderr
	}
	if o.ClickHouseCPU == nil {
		o.ClickHouseCPU = func() float64 { return 0 }
	}
	r := &Results{MachineCores: runtime.NumCPU(), EventsTarget: o.Events}
	p := &progress{w: o.Log}
	p.note(r)
	cfg := simFor(o.Events, 7)
	steps := []struct {
		stage string
		run   func() error
	}{
		{"ingest", func() error { return benchIngest(ctx, o, r, cfg) }},
		{"ceiling", func() error { return benchCeiling(ctx, o, r, cfg) }},
		{"nlp", func() error { return benchNLP(o, r, simFor(min(o.Events, 400_000), 11)) }},
		{"import", func() error { return benchImport(ctx, o, r, simFor(o.ImportEvents, 13)) }},
		{"metrics", func() error { return benchMetrics(ctx, o, r, cfg) }},
		{"intraday", func() error { r.AlertStagesNLP = !o.AlertStagesNoNLP; return benchIntraday(ctx, o, r) }},
		{"scale", func() error { r.AlertStagesNLP = !o.AlertStagesNoNLP; return benchScale(ctx, o, r) }},
	}
	for _, s := range steps {
		if !o.stage(s.stage) {
			continue
		}
		if err := s.run(); err != nil {
			return r, err
		}
		p.note(r)
	}
	return r, nil
}

// simFor returns a month of traffic sized to about n events.
func simFor(n int, seed uint64) simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops = seed, 30, 5
	if n < 200_000 {
		cfg.Days, cfg.Shops = 7, 2
	}
	// ~10.4 events per consultation at the default mix (measured).
	cfg.ConsultationsPerShopDay = max(10, n*10/(104*cfg.Days*cfg.Shops))
	return cfg
}

// freshDB drops database db, creates and migrates it, and returns a
// connection to it and its DSN.
func freshDB(ctx context.Context, o Options, db string) (warehouse.Conn, string, error) {
	if err := warehouse.DropDatabase(ctx, o.Admin, db); err != nil {
		return nil, "", err
	}
	dsn, err := o.DSN(db)
	if err != nil {
		return nil, "", err
	}
	c, name, err := warehouse.Open(ctx, dsn)
	if err != nil {
		return nil, "", err
	}
	_, err = warehouse.Migrate(ctx, c, name, warehouse.Topology{}, nil)
	return c, dsn, err
}
