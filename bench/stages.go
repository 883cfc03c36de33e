package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/export"
	"github.com/convintel/convintel/simulate"
)

// ceilingRound is how many events the ceiling decodes before inserting
// them back to back (about 1 GiB of columns).
const ceilingRound = 2_000_000

// benchCeiling inserts the same rows straight through the native
// protocol, with the writer and batch size of ingest, into a fresh
// database: the rows are decoded and masked beforehand, a round of them
// at a time, and each round's INSERTs run back to back with only they
// timed. Timing each INSERT alone between decodes instead would leave
// ClickHouse's background merges of the inserted parts off the clock,
// which ingest's time cannot do (docs/performance.md).
func benchCeiling(ctx context.Context, o Options, r *Results, cfg simulate.Config) error {
	conn, _, err := freshDB(ctx, o, "bench_ceiling")
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Fprintln(o.Log, "==> ceiling: plain native-protocol inserts of the same rows, no Kafka")
	w := ingest.NewWriter(conn, nil, nil)
	dec := ingest.NewDecoder()
	mask := ingest.NLPEnricher(nil, false)
	var (
		round       []*ingest.Rows
		inRound     int
		total       int64
		spent       time.Duration
		chCPU       float64
		e           ingest.Event
		now         = time.Now()
		insertRound = func() error {
			t, c := time.Now(), o.ClickHouseCPU()
			for _, rows := range round {
				if err := w.Write(ctx, rows); err != nil {
					return err
				}
				total += int64(rows.Len())
			}
			spent += time.Since(t)
			chCPU += o.ClickHouseCPU() - c
			round, inRound = round[:0], 0
			return nil
		}
	)
	_, err = simulate.Run(cfg, func(line []byte) error {
		if err := dec.Decode(line, &e); err != nil {
			return err
		}
		if e.Type == ingest.TypeMessage {
			mask(&e)
		}
		if len(round) == 0 || round[len(round)-1].Len() >= o.BatchRows {
			round = append(round, new(ingest.Rows))
		}
		round[len(round)-1].Add(&e, now)
		if inRound++; inRound >= ceilingRound {
			return insertRound()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := insertRound(); err != nil {
		return err
	}
	r.CeilingCPUClickHouseS = round3(chCPU)
	r.CeilingSeconds = round3(spent.Seconds())
	r.InsertCeilingRowsPerS = round0(float64(total) / spent.Seconds())
	if r.IngestRaw != nil {
		r.IngestRawVsCeiling = round3(r.IngestRaw.MsgsPerS / r.InsertCeilingRowsPerS)
	}
	return nil
}

// processCPUSeconds is the user+system CPU time of this process, to the
// microsecond.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// benchNLP runs the full enrichment over customer messages on one
// goroutine.
func benchNLP(o Options, r *Results, cfg simulate.Config) error {
	fmt.Fprintln(o.Log, "==> nlp: enrichment on one core")
	model, err := o.NLP()
	if err != nil {
		return err
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
		return err
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	t, cpu := time.Now(), processCPUSeconds()
	for i := range texts {
		_ = model.Analyze(texts[i].Text, "", 0) // predict, as for unlabelled messages
	}
	r.NLPMsgsPerSPerCore = round0(float64(len(texts)) / time.Since(t).Seconds())
	// Wall time counts the time other processes had the core; CPU time
	// (one P, so this process's CPU is the loop's and its collector's)
	// does not, and is the figure to compare runs on a shared machine.
	if c := processCPUSeconds() - cpu; c > 0 {
		r.NLPMsgsPerCPUSecond = round0(float64(len(texts)) / c)
	}
	return nil
}

// benchImport imports the same events from JSONL, then from the Parquet
// and CSV files `export events` writes of them, with NLP off and on.
func benchImport(ctx context.Context, o Options, r *Results, cfg simulate.Config) error {
	dir := filepath.Join(o.Home, "bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"jsonl": filepath.Join(dir, "events.jsonl")}
	tally, err := o.WriteJSONL(files["jsonl"], cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Log, "==> import: %d events from each format\n", tally.LinesEmitted)
	for _, format := range []string{"jsonl", "parquet", "csv"} {
		for _, withNLP := range []bool{false, true} {
			rate, err := importRun(ctx, o, files, format, withNLP, tally, cfg)
			if err != nil {
				return err
			}
			r.Imports = append(r.Imports, ImportRun{Format: format, NLP: withNLP, EventsPerS: rate})
		}
	}
	return nil
}

// importRun imports files[format] into a fresh database and returns the
// events per second; after the JSONL import with NLP it exports the other
// formats from what it stored, so they hold exactly the same events.
func importRun(ctx context.Context, o Options, files map[string]string, format string, withNLP bool, tally *simulate.Tally, cfg simulate.Config) (float64, error) {
	c, _, err := freshDB(ctx, o, "bench_import_"+format)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	enrich := ingest.NLPEnricher(nil, false)
	if withNLP {
		m, err := o.NLP()
		if err != nil {
			return 0, err
		}
		enrich = ingest.NLPEnricher(m, false)
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(c, nil, nil), Enrich: enrich})
	src, err := o.ImportSource(files[format], format)
	if err != nil {
		return 0, err
	}
	t := time.Now()
	if err := p.RunSource(ctx, src); err != nil {
		return 0, err
	}
	el := time.Since(t)
	if got := p.Counts().Stored; got < tally.Events {
		return 0, fmt.Errorf("bench import %s stored %d of %d events", format, got, tally.Events)
	}
	if format == "jsonl" && withNLP {
		for _, f := range []string{"parquet", "csv"} {
			files[f] = filepath.Join(filepath.Dir(files["jsonl"]), "events."+f)
			q := export.Query{From: cfg.Start.AddDate(0, 0, -1), To: cfg.End(), Location: time.UTC}
			if _, err := export.Export(ctx, c, "events", q, export.Format(f), files[f]); err != nil {
				return 0, fmt.Errorf("bench: export %s: %w", f, err)
			}
		}
	}
	return round0(float64(p.Counts().Consumed) / el.Seconds()), nil
}
