package export

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/tabular"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestImportThroughput measures import of the same events from JSONL,
// Parquet, CSV and Arrow, with NLP off (masking only) and on, into fresh
// databases, and prints events/s, ratios to JSONL and peak heap.
// It takes about a minute, so it runs only with CONVINTEL_THROUGHPUT set
// (to the number of simulated consultations per shop and day, e.g. 500):
//
//	CONVINTEL_THROUGHPUT=500 go test -count=1 -v -run Throughput ./ingest/export/
func TestImportThroughput(t *testing.T) {
	perDay, _ := strconv.Atoi(os.Getenv("CONVINTEL_THROUGHPUT"))
	if perDay <= 0 {
		t.Skip("set CONVINTEL_THROUGHPUT=500 to measure import throughput")
	}
	ctx := context.Background()
	cfg := smallSimulation()
	cfg.Shops, cfg.Days, cfg.ConsultationsPerShopDay = 4, 10, perDay
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "sim.jsonl")
	n := simulateJSONL(t, cfg, jsonl)

	base, _ := chtest.New(t)
	run(t, base, ingest.NLPEnricher(nil, false), &ingest.JSONLSource{Path: jsonl})
	q := Query{From: cfg.Start, To: cfg.Start.AddDate(0, 0, cfg.Days-1), Location: cfg.Start.Location()}
	files := map[tabular.Format]string{tabular.JSONL: jsonl}
	for _, f := range []Format{Parquet, CSV, Arrow} {
		path := filepath.Join(dir, "events."+string(f))
		start := time.Now()
		res, err := Export(ctx, base, "events", q, f, path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		el := time.Since(start)
		t.Logf("export events %-7s %7d rows in %6s: %8.0f rows/s, %5.1f MB", f, res.Rows, el.Round(time.Millisecond), float64(res.Rows)/el.Seconds(), float64(st.Size())/1e6)
		files[tabular.Format(f)] = path
	}
	st, _ := os.Stat(jsonl)
	t.Logf("jsonl: %d events, %.1f MB", n, float64(st.Size())/1e6)

	for _, nlpOn := range []bool{false, true} {
		enrich := ingest.NLPEnricher(nil, false)
		label := "NLP off"
		if nlpOn {
			enrich, label = enricher(t), "NLP on "
		}
		var jsonlRate float64
		for _, f := range []tabular.Format{tabular.JSONL, tabular.Parquet, tabular.CSV, tabular.Arrow} {
			// Best of two: the machine is shared, so one run can be slowed
			// by others.
			var el time.Duration
			var peak *atomic.Uint64
			var c ingest.Counts
			for rep := 0; rep < 2; rep++ {
				conn, _ := chtest.New(t)
				src, err := tabular.Open(files[f], f, tabular.Options{Rows: 50_000})
				if err != nil {
					t.Fatal(err)
				}
				runtime.GC()
				stop, pk := sampleHeap()
				start := time.Now()
				c = run(t, conn, enrich, src)
				d := time.Since(start)
				stop()
				if c.Stored != int64(n) {
					t.Fatalf("%s: stored %d of %d", f, c.Stored, n)
				}
				if rep == 0 || d < el {
					el, peak = d, pk
				}
			}
			rate := float64(c.Stored) / el.Seconds()
			if f == tabular.JSONL {
				jsonlRate = rate
			}
			t.Logf("import %s %-7s %7d events in %6s: %8.0f events/s (%.2f× JSONL), peak heap %4.0f MB",
				label, f, c.Stored, el.Round(time.Millisecond), rate, rate/jsonlRate, float64(peak.Load())/1e6)
		}
	}
}

// sampleHeap records the peak in-use heap every 10 ms until stop.
func sampleHeap() (stop func(), peak *atomic.Uint64) {
	peak = new(atomic.Uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }, peak
}
