package metrics

import (
	"os"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
)

// TestQACostShare measures what inspecting every agent and bot message
// for forbidden phrases costs beside ingest's decode + enrich (NLP on) of
// the same simulated traffic (the demo's QA plan), single-threaded, and
// fails above 10 %. Set CONVINTEL_QA_BENCH=1 to run it (it takes ~20 s);
// the figures are in docs/metrics.md.
func TestQACostShare(t *testing.T) {
	if os.Getenv("CONVINTEL_QA_BENCH") == "" {
		t.Skip("set CONVINTEL_QA_BENCH=1 to measure the QA matcher's share of ingest CPU")
	}
	cfg := simulate.DefaultConfig()
	cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 2, 2, 1000
	cfg.QA = simulate.DemoQAPlan()
	var lines [][]byte
	if _, err := simulate.Run(cfg, func(b []byte) error { lines = append(lines, append([]byte(nil), b...)); return nil }); err != nil {
		t.Fatal(err)
	}
	enrich := enricher(t)
	dec := ingest.NewDecoder()
	var texts []string
	for _, l := range lines {
		var e ingest.Event
		if err := dec.Decode(l, &e); err != nil {
			t.Fatal(err)
		}
		if e.Type == ingest.TypeMessage && e.Sender != ingest.SenderCustomer {
			texts = append(texts, e.Text)
		}
	}
	ingestRun := func() time.Duration {
		t0 := time.Now()
		for _, l := range lines {
			var e ingest.Event
			if err := dec.Decode(l, &e); err != nil {
				t.Fatal(err)
			}
			if e.Type == ingest.TypeMessage {
				enrich(&e)
			}
		}
		return time.Since(t0)
	}
	r, err := newQARules(DefaultQASettings())
	if err != nil {
		t.Fatal(err)
	}
	var hits []phraseHit
	qaRun := func() time.Duration {
		t0 := time.Now()
		for _, s := range texts {
			hits = r.shared.matcher.match(s, hits[:0])
		}
		return time.Since(t0)
	}
	per := func(f func() time.Duration, n int) float64 {
		res := testing.Benchmark(func(b *testing.B) {
			for range b.N {
				f()
			}
		})
		return float64(res.NsPerOp()) / float64(n)
	}
	ingNs, qaNs := per(ingestRun, len(lines)), per(qaRun, len(texts))
	ing, qa := ingNs*float64(len(lines)), qaNs*float64(len(texts))
	share := qa / ing
	t.Logf("%d events (%d agent/bot messages): decode+enrich %.0f ns/event, matcher %.0f ns/agent-or-bot message; QA share of ingest CPU %.2f %%",
		len(lines), len(texts), ingNs, qaNs, 100*share)
	if share > 0.10 {
		t.Errorf("QA costs %.1f %% of ingest's decode+enrich; the budget is 10 %%", 100*share)
	}
}
