package ingest

import (
	"testing"
	"time"

	"github.com/convintel/convintel/simulate"
)

// simulatedRecords returns n simulated events as Kafka-like records.
func simulatedRecords(b *testing.B, n int) []Record {
	cfg := simulate.DefaultConfig()
	cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 7, 2, 400
	recs := make([]Record, 0, n)
	if _, err := simulate.Run(cfg, func(line []byte) error {
		if len(recs) < n {
			recs = append(recs, Record{Value: append([]byte(nil), line...), Source: "kafka", Origin: "bench", Offset: int64(len(recs))})
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	if len(recs) < n {
		b.Fatalf("simulated %d events, want %d", len(recs), n)
	}
	return recs
}

// BenchmarkDecodeRange is one decode worker's share of a 50k-event batch
// (25k simulated events: decode, masking, appending to the columns),
// without NLP. "reused" is the steady state, a Rows from the pipeline's
// free list; "fresh" a new Rows, as in a run's first batches, where the
// columns used to regrow by doubling (the reserve in decodeRange). ns/op
// is per 25k events.
func BenchmarkDecodeRange(b *testing.B) {
	recs := simulatedRecords(b, 25_000)
	p := NewPipeline(Options{})
	now := time.Now()
	b.Run("reused", func(b *testing.B) {
		var rows Rows
		b.ReportAllocs()
		for b.Loop() {
			rows.Reset()
			if dead := p.decodeRange(recs, &rows, now); len(dead) > 0 {
				b.Fatal(dead[0].Reason)
			}
		}
	})
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var rows Rows
			if dead := p.decodeRange(recs, &rows, now); len(dead) > 0 {
				b.Fatal(dead[0].Reason)
			}
		}
	})
}
