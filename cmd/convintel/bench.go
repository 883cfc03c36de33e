package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/simulate"
	"github.com/convintel/convintel/reports/export"
	"github.com/convintel/convintel/sql"
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
  intraday       one hourly alert evaluation over a day of --intraday-messages
                 (default 10 M), at 12:00 and over the whole day
  scale          (only with --only scale) every metric job over a month of
                 each --scale message count (default 10 M and 30 M)

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
	f.StringVar(&o.only, "only", "", "comma list of stages to run (ingest,ceiling,nlp,import,metrics,report,intraday,scale)")
	f.IntVar(&o.intraday, "intraday-messages", 10_000_000, "messages in the day the hourly alert evaluation reads")
	f.IntSliceVar(&o.scale, "scale", []int{10_000_000, 30_000_000}, "message counts of the metric-job scaling runs (--only scale)")
	return cmd
}

// benchResults is the flat key → value table, printed in insertion order.
type benchResults struct {
	keys []string
	vals map[string]any
}

func (r *benchResults) set(k string, v any) {
	if r.vals == nil {
		r.vals = map[string]any{}
	}
	if _, ok := r.vals[k]; !ok {
		r.keys = append(r.keys, k)
	}
	r.vals[k] = v
	fmt.Fprintf(os.Stderr, "    %-34s %v\n", k, v)
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

func runBench(ctx context.Context, a *app, o benchOptions) error {
	stage := func(name string) bool {
		return o.only == "" || strings.Contains(","+o.only+",", ","+name+",")
	}
	var res benchResults
	res.set("machine_cores", runtime.NumCPU())
	res.set("events_target", o.events)
	conn, _, err := a.clickhouse(ctx)
	if err != nil {
		return err
	}
	dsnFor := func(db string) (string, error) {
		if a.chLocal != nil {
			return a.chLocal.DSN(db), nil
		}
		return replaceDatabase(a.cfg.ClickHouse.DSN, db)
	}
	freshDB := func(db string) (sql.Conn, string, error) {
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			return nil, "", err
		}
		dsn, err := dsnFor(db)
		if err != nil {
			return nil, "", err
		}
		c, name, err := sql.Open(ctx, dsn)
		if err != nil {
			return nil, "", err
		}
		_, err = sql.Migrate(ctx, c, name, sql.Topology{}, nil)
		return c, dsn, err
	}
	cfg := simFor(o.events, 7)
	if stage("ingest") {
		if err := benchIngest(ctx, a, &res, cfg, freshDB); err != nil {
			return err
		}
	}
	if stage("ceiling") {
		c, _, err := freshDB("bench_ceiling")
		if err != nil {
			return err
		}
		rate, err := benchCeiling(ctx, a, &res, c, cfg)
		c.Close()
		if err != nil {
			return err
		}
		res.set("insert_ceiling_rows_per_s", round0(rate))
		if raw, ok := res.vals["ingest_raw_msgs_per_s"].(float64); ok {
			res.set("ingest_raw_vs_ceiling", round3(raw/rate))
		}
	}
	if stage("nlp") {
		rate, err := benchNLP(a, simFor(min(o.events, 400_000), 11))
		if err != nil {
			return err
		}
		res.set("nlp_msgs_per_s_per_core", round0(rate))
	}
	if stage("import") {
		if err := benchImport(ctx, a, &res, simFor(o.importEvents, 13), freshDB); err != nil {
			return err
		}
	}
	if err := benchLater(ctx, a, &res, cfg, stage, dsnFor); err != nil {
		return err
	}
	if stage("intraday") {
		if err := benchIntraday(ctx, &res, a.cfg.Metrics, o.intraday, freshDB); err != nil {
			return err
		}
	}
	if o.only != "" && stage("scale") {
		if err := benchMetricsScale(ctx, &res, a.cfg.Metrics, o.scale, freshDB); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	flat := map[string]any{}
	for _, k := range res.keys {
		flat[k] = res.vals[k]
	}
	if err := writeJSON(o.out, flat); err != nil {
		return err
	}
	printBench(os.Stdout, &res)
	fmt.Fprintf(os.Stderr, "written to %s\n", o.out)
	return nil
}

// benchIngest runs the broker and two ingest runs (NLP on, off) as
// separate processes on the same produced data.
func benchIngest(ctx context.Context, a *app, res *benchResults, cfg simulate.Config, freshDB func(string) (sql.Conn, string, error)) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	port, err := freeLoopbackPort()
	if err != nil {
		return err
	}
	broker := exec.CommandContext(ctx, self, "broker", "--memory", "--port", strconv.Itoa(port), "--home", a.cfg.Home)
	broker.Stdout, broker.Stderr = io.Discard, os.Stderr
	broker.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := broker.Start(); err != nil {
		return err
	}
	defer func() { broker.Process.Kill(); broker.Wait() }()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitPort(ctx, addr, 10*time.Second); err != nil {
		return fmt.Errorf("bench broker: %w", err)
	}
	kc := a.cfg.Kafka
	kc.Brokers = []string{addr}
	kc.Topic = "bench.events"
	kc.DeadLetterTopic = "bench.dead-letters"
	fmt.Fprintf(os.Stderr, "==> producing simulated traffic to the bench broker (%d days × %d shops)\n", cfg.Days, cfg.Shops)
	t0 := time.Now()
	tally, err := produceSimulation(ctx, kc, cfg)
	if err != nil {
		return err
	}
	res.set("events_produced", tally.LinesEmitted)
	res.set("produce_events_per_s", round0(float64(tally.LinesEmitted)/time.Since(t0).Seconds()))
	for _, run := range []struct {
		key   string
		extra []string
	}{{"ingest_nlp", nil}, {"ingest_raw", []string{"--no-nlp"}}} {
		c, dsn, err := freshDB("bench_" + strings.TrimPrefix(run.key, "ingest_"))
		if err != nil {
			return err
		}
		c.Close()
		sum := filepath.Join(a.cfg.Home, run.key+".summary.json")
		args := append([]string{"ingest", "--brokers", addr, "--clickhouse", dsn, "--listen", "off",
			"--stop-when-idle", "3s", "--summary", sum, "--home", a.cfg.Home, "--log-level", "warn"}, run.extra...)
		fmt.Fprintf(os.Stderr, "==> %s: convintel %s\n", run.key, strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, self, args...)
		// The last, partial batch waits out ingest.batch_age for events
		// that never come; at the default 1 s that idle wait would be a
		// third of a 1 M-event run's active time.
		cmd.Env = append(os.Environ(), "CONVINTEL_INGEST_BATCH_AGE=100ms",
			"CONVINTEL_KAFKA_TOPIC="+kc.Topic, "CONVINTEL_KAFKA_DEAD_LETTER_TOPIC="+kc.DeadLetterTopic,
			"CONVINTEL_KAFKA_GROUP=bench-"+run.key+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		brokerCPU, chCPU := processCPU(broker.Process.Pid), a.clickhouseCPU()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", run.key, err)
		}
		brokerCPU, chCPU = processCPU(broker.Process.Pid)-brokerCPU, a.clickhouseCPU()-chCPU
		var s ingestSummary
		b, err := os.ReadFile(sum)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s.Consumed != tally.LinesEmitted {
			return fmt.Errorf("%s consumed %d of %d produced events", run.key, s.Consumed, tally.LinesEmitted)
		}
		res.set(run.key+"_msgs_per_s", round0(float64(s.Consumed)/s.ActiveSeconds))
		res.set(run.key+"_seconds", round3(s.ActiveSeconds))
		res.set(run.key+"_peak_rss_bytes", s.PeakRSSBytes)
		// Where the 2 cores went during the run (ClickHouse only when it is
		// the local server whose process we can see).
		res.set(run.key+"_cpu_ingest_s", round3(s.CPUSeconds))
		res.set(run.key+"_cpu_broker_s", round3(brokerCPU))
		if chCPU > 0 {
			res.set(run.key+"_cpu_clickhouse_s", round3(chCPU))
		}
	}
	res.set("ingest_peak_rss_bytes", max(res.vals["ingest_nlp_peak_rss_bytes"].(int64), res.vals["ingest_raw_peak_rss_bytes"].(int64)))
	res.set("ingest_nlp_vs_raw", round3(res.vals["ingest_nlp_msgs_per_s"].(float64)/res.vals["ingest_raw_msgs_per_s"].(float64)))
	return nil
}

// ceilingRound is how many events the ceiling decodes before inserting
// them back to back (about 1 GiB of columns).
const ceilingRound = 2_000_000

// benchCeiling inserts the same rows straight through the native protocol,
// with the writer and batch size of ingest: the rows are decoded and masked
// beforehand, a round of them at a time, and each round's INSERTs run back
// to back with only they timed. Timing each INSERT alone between decodes
// instead would leave ClickHouse's background merges of the inserted parts
// off the clock, which ingest's time cannot do (docs/performance.md).
func benchCeiling(ctx context.Context, a *app, res *benchResults, conn sql.Conn, cfg simulate.Config) (float64, error) {
	fmt.Fprintln(os.Stderr, "==> ceiling: plain native-protocol inserts of the same rows, no Kafka")
	w := ingest.NewWriter(conn, nil, nil)
	dec := ingest.NewDecoder()
	mask := ingest.NLPEnricher(nil, false)
	batchRows := a.cfg.Ingest.BatchRows
	var (
		round       []*ingest.Rows
		inRound     int
		total       int64
		spent       time.Duration
		chCPU       float64
		e           ingest.Event
		now         = time.Now()
		insertRound = func() error {
			t, c := time.Now(), a.clickhouseCPU()
			for _, rows := range round {
				if err := w.Write(ctx, rows); err != nil {
					return err
				}
				total += int64(rows.Len())
			}
			spent += time.Since(t)
			chCPU += a.clickhouseCPU() - c
			round, inRound = round[:0], 0
			return nil
		}
	)
	_, err := simulate.Run(cfg, func(line []byte) error {
		if err := dec.Decode(line, &e); err != nil {
			return err
		}
		if e.Type == ingest.TypeMessage {
			mask(&e)
		}
		if len(round) == 0 || round[len(round)-1].Len() >= batchRows {
			round = append(round, new(ingest.Rows))
		}
		round[len(round)-1].Add(&e, now)
		if inRound++; inRound >= ceilingRound {
			return insertRound()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := insertRound(); err != nil {
		return 0, err
	}
	if chCPU > 0 {
		res.set("ceiling_cpu_clickhouse_s", round3(chCPU))
	}
	res.set("ceiling_seconds", round3(spent.Seconds()))
	return float64(total) / spent.Seconds(), nil
}

// benchNLP runs the full enrichment over customer messages on one goroutine.
func benchNLP(a *app, cfg simulate.Config) (float64, error) {
	fmt.Fprintln(os.Stderr, "==> nlp: enrichment on one core")
	model, err := a.nlpModel()
	if err != nil {
		return 0, err
	}
	dec := ingest.NewDecoder()
	var texts []ingest.Event
	var e ingest.Event
	if _, err := simulate.Run(cfg, func(line []byte) error {
		if dec.Decode(line, &e) == nil && e.Type == ingest.TypeMessage && e.Sender == ingest.SenderCustomer {
			texts = append(texts, e)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	t := time.Now()
	for i := range texts {
		_ = model.Analyze(texts[i].Text, "", 0) // predict, as for unlabelled messages
	}
	return float64(len(texts)) / time.Since(t).Seconds(), nil
}

// benchImport imports the same events from JSONL, then from the Parquet
// and CSV files `export events` writes of them, with NLP off and on.
func benchImport(ctx context.Context, a *app, res *benchResults, cfg simulate.Config, freshDB func(string) (sql.Conn, string, error)) error {
	dir := filepath.Join(a.cfg.Home, "bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"jsonl": filepath.Join(dir, "events.jsonl")}
	tally, err := writeSimulation(files["jsonl"], cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> import: %d events from each format\n", tally.LinesEmitted)
	for _, format := range []string{"jsonl", "parquet", "csv"} {
		for _, withNLP := range []bool{false, true} {
			key := "import_" + format + "_events_per_s"
			if withNLP {
				key = "import_" + format + "_nlp_events_per_s"
			}
			c, _, err := freshDB("bench_import_" + format)
			if err != nil {
				return err
			}
			enrich := ingest.NLPEnricher(nil, false)
			if withNLP {
				m, err := a.nlpModel()
				if err != nil {
					return err
				}
				enrich = ingest.NLPEnricher(m, false)
			}
			p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(c, nil, nil), Enrich: enrich})
			src, err := importSource(files[format], format, nil, a.cfg.Ingest.BatchRows)
			if err != nil {
				return err
			}
			t := time.Now()
			if err := p.RunSource(ctx, src); err != nil {
				return err
			}
			el := time.Since(t)
			if got := p.Counts().Stored; got < tally.Events {
				return fmt.Errorf("bench import %s stored %d of %d events", format, got, tally.Events)
			}
			res.set(key, round0(float64(p.Counts().Consumed)/el.Seconds()))
			if format == "jsonl" && withNLP {
				// The other formats are the export of exactly these events.
				for _, f := range []string{"parquet", "csv"} {
					files[f] = filepath.Join(dir, "events."+f)
					q := export.Query{From: cfg.Start.AddDate(0, 0, -1), To: cfg.End(), Location: time.UTC}
					if _, err := export.Export(ctx, c, "events", q, export.Format(f), files[f]); err != nil {
						return fmt.Errorf("bench: export %s: %w", f, err)
					}
				}
			}
			c.Close()
		}
	}
	return nil
}

func printBench(w io.Writer, r *benchResults) {
	fmt.Fprintln(w, "\nbenchmark                              value")
	fmt.Fprintln(w, "-------------------------------------  ------------")
	for _, k := range r.keys {
		fmt.Fprintf(w, "%-38s %v\n", k, r.vals[k])
	}
}

func round0(f float64) float64 { return float64(int64(f + 0.5)) }
func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitPort(ctx context.Context, addr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not open within %s", addr, limit)
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

// clickhouseCPU is the CPU seconds of the local ClickHouse server so far
// (0 when it is not a local child we can see).
func (a *app) clickhouseCPU() float64 {
	if a.chLocal == nil {
		return 0
	}
	return processCPU(a.chLocal.PID())
}
