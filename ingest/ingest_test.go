package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/kafkalocal"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// badEvents are malformed inputs with the reason each must be filed under.
var badEvents = []struct{ raw, reason string }{
	{`{"event_id":"bad-1","type":"message"`, ingest.ReasonInvalidJSON},
	{`not json at all`, ingest.ReasonInvalidJSON},
	{`{"event_id":"bad-3","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":"five"}`, ingest.ReasonWrongType},
	{`{"event_id":"bad-4","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k"}`, ingest.ReasonMissingField},
	{`{"event_id":"bad-5","type":"coupon_used","ts":1762790403120,"shop_id":"s","customer_id":"c"}`, ingest.ReasonUnknownType},
	{`{"event_id":"bad-6","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"paid","amount":-3}`, ingest.ReasonInvalidValue},
	{"{\"event_id\":\"bad-7\",\"text\":\"\xc3\x28\"}", ingest.ReasonInvalidUTF8},
	{`{"event_id":"bad-8","type":"rating","ts":"2999-01-01T00:00:00Z","shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ingest.ReasonBadTimestamp},
}

// testKafka starts an embedded Kafka for the test with the event topics
// (partitions partitions) and returns its configuration.
func testKafka(t *testing.T, ctx context.Context, partitions int) ingest.KafkaConfig {
	t.Helper()
	broker, err := kafkalocal.Start(kafkalocal.Options{Partitions: partitions})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(broker.Close)
	kc := ingest.DefaultKafkaConfig()
	kc.Brokers, kc.Partitions = broker.Addrs(), partitions
	if err := kc.EnsureTopics(ctx); err != nil {
		t.Fatal(err)
	}
	return kc
}

func smallSimulation() simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 2, 2, 60
	cfg.DuplicateRate = 0.03
	return cfg
}

func model(t testing.TB) *nlp.Model {
	t.Helper()
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKafkaToClickHouse produces simulated traffic with malformed events
// interleaved to a real-protocol Kafka, ingests it through a consumer group
// and checks ClickHouse holds every good event exactly once, every bad one
// as a dead letter with its reason, and the dead-letter topic has them too.
func TestKafkaToClickHouse(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, db := chtest.New(t)
	kc := testKafka(t, ctx, 3)

	// Produce: simulated lines with a bad event after every 500th.
	w, err := ingest.NewProducer(kc)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []kafka.Message
	bad := 0
	tally, err := simulate.Run(smallSimulation(), func(line []byte) error {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprint(len(msgs) % 7)), Value: append([]byte(nil), line...)})
		if len(msgs)%500 == 0 && bad < len(badEvents) {
			msgs = append(msgs, kafka.Message{Value: []byte(badEvents[bad].raw)})
			bad++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for ; bad < len(badEvents); bad++ {
		msgs = append(msgs, kafka.Message{Value: []byte(badEvents[bad].raw)})
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()

	counts := consume(t, ctx, conn, kc, int64(len(msgs)))
	if counts.Consumed != int64(len(msgs)) {
		t.Fatalf("consumed %d, produced %d", counts.Consumed, len(msgs))
	}
	st, err := warehouse.Status(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	for typ, want := range tally.EventsByType {
		if got := st.Events[typ]; int64(got) != want {
			t.Errorf("events of type %s: stored %d, produced %d (distinct)", typ, got, want)
		}
	}
	if int64(st.EventsTotal) != tally.Events {
		t.Errorf("stored %d distinct events, produced %d", st.EventsTotal, tally.Events)
	}
	if tally.Duplicates == 0 {
		t.Fatal("the simulation should contain duplicate deliveries to exercise dedup")
	}
	wantReasons := map[string]uint64{}
	for _, b := range badEvents {
		wantReasons[b.reason]++
	}
	if st.DeadLetters != uint64(len(badEvents)) {
		t.Errorf("dead letters %d, want %d (%v)", st.DeadLetters, len(badEvents), st.DeadLettersByReason)
	}
	for r, n := range wantReasons {
		if st.DeadLettersByReason[r] != n {
			t.Errorf("dead letters for %s: %d, want %d", r, st.DeadLettersByReason[r], n)
		}
	}
	// Each dead letter keeps its raw bytes and a readable detail.
	var withDetail uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM dead_letters WHERE detail != '' AND raw != '' AND location LIKE 'convintel.events/%'").Scan(&withDetail); err != nil {
		t.Fatal(err)
	}
	if withDetail < uint64(len(badEvents))-2 { // two invalid-JSON lines may carry the parser's text only
		t.Errorf("only %d dead letters carry raw bytes, detail and a topic/partition/offset location", withDetail)
	}
	// The dead-letter topic received them too.
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: kc.Brokers, Topic: kc.DeadLetterTopic, Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	for i := 0; i < len(badEvents); i++ {
		rctx, rcancel := context.WithTimeout(ctx, 10*time.Second)
		m, err := r.ReadMessage(rctx)
		rcancel()
		if err != nil {
			t.Fatalf("dead-letter topic: read %d of %d: %v", i, len(badEvents), err)
		}
		if len(m.Headers) == 0 || m.Headers[0].Key != "reason" {
			t.Fatalf("dead-letter message without reason header: %+v", m.Headers)
		}
	}

	// Re-deliver everything (a new consumer group reads from the start):
	// nothing is counted twice.
	kc.Group = "second-group"
	consume(t, ctx, conn, kc, int64(len(msgs)))
	st2, err := warehouse.Status(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	if st2.EventsTotal != st.EventsTotal || st2.DeadLetters != st.DeadLetters {
		t.Fatalf("after re-delivery: %d events, %d dead letters; before: %d, %d", st2.EventsTotal, st2.DeadLetters, st.EventsTotal, st.DeadLetters)
	}
	// Customer messages were enriched and masked before storage.
	var enriched, rawPhones uint64
	if err := conn.QueryRow(ctx, "SELECT countIf(sender = 'customer' AND sentiment_label != ''), countIf(match(text, '1[3-9][0-9]{9}')) FROM messages").Scan(&enriched, &rawPhones); err != nil {
		t.Fatal(err)
	}
	if enriched == 0 || rawPhones != 0 {
		t.Fatalf("enriched customer messages %d (want > 0), unmasked phone numbers %d (want 0)", enriched, rawPhones)
	}
}

// consume runs a consumer group until want records were stored or dead-lettered.
func consume(t *testing.T, ctx context.Context, conn warehouse.Conn, kc ingest.KafkaConfig, want int64) ingest.Counts {
	t.Helper()
	sink, closeSink, err := ingest.NewDeadLetterTopicSink(kc)
	if err != nil {
		t.Fatal(err)
	}
	defer closeSink()
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(model(t), false), Sink: sink})
	src, err := ingest.NewKafkaSource(kc, ingest.SourceOptions{BatchRows: 2000, BatchBytes: 8 << 20, BatchAge: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	batches := make(chan ingest.Batch)
	go src.Run(sctx, batches)
	go func() {
		for sctx.Err() == nil {
			c := p.Counts()
			if c.Stored+c.DeadLettered >= want {
				stop()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	if err := p.Run(ctx, batches); err != nil {
		t.Fatal(err)
	}
	return p.Counts()
}

// TestImportJSONL imports a gzip file with good lines, bad lines, blank
// lines and an oversized line: all good ones stored, each bad one a dead
// letter at its file:line.
func TestImportJSONL(t *testing.T) {
	ctx := context.Background()
	conn, db := chtest.New(t)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	lines := 0
	cfg := smallSimulation()
	cfg.Days, cfg.ConsultationsPerShopDay = 1, 20
	tally, err := simulate.Run(cfg, func(line []byte) error {
		zw.Write(line)
		zw.Write([]byte("\n"))
		lines++
		if lines == 10 {
			zw.Write([]byte("\n   \n"))
			zw.Write([]byte(badEvents[2].raw + "\n"))
			zw.Write([]byte(`{"event_id":"huge","text":"` + strings.Repeat("长", ingest.MaxEventBytes/3+10) + "\"}\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "events.jsonl.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 2; round++ { // importing twice stores nothing twice
		p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(nil, false)})
		if err := p.RunSource(ctx, &ingest.JSONLSource{Path: path, Rows: 300}); err != nil {
			t.Fatal(err)
		}
		if c := p.Counts(); c.DeadLettered != 2 || c.Consumed != int64(lines)+2 {
			t.Fatalf("round %d: consumed %d dead %d, want %d and 2", round, c.Consumed, c.DeadLettered, lines+2)
		}
	}
	st, err := warehouse.Status(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	if int64(st.EventsTotal) != tally.Events {
		t.Fatalf("stored %d, want %d", st.EventsTotal, tally.Events)
	}
	if st.DeadLettersByReason[ingest.ReasonTooLarge] != 1 || st.DeadLettersByReason[ingest.ReasonWrongType] != 1 {
		t.Fatalf("dead letters by reason %v", st.DeadLettersByReason)
	}
	var loc string
	if err := conn.QueryRow(ctx, "SELECT location FROM dead_letters WHERE reason = 'too_large'").Scan(&loc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, ":14") {
		t.Fatalf("oversized line located at %q, want line 14", loc)
	}
}

// sliceSource sends fixed batches, then closes.
type sliceSource struct{ batches []ingest.Batch }

func (s *sliceSource) Run(ctx context.Context, out chan<- ingest.Batch) error {
	defer close(out)
	for _, b := range s.batches {
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// TestAcksInBatchOrder: with two batches inserting at once, a small batch
// finishes before the large one ahead of it, yet batches are acked in the
// order they came, and only once every batch before them is in ClickHouse
// (an offset committed early would lose the large batch in a crash).
func TestAcksInBatchOrder(t *testing.T) {
	ctx := context.Background()
	conn, _ := chtest.New(t)
	cfg := smallSimulation()
	cfg.Days, cfg.ConsultationsPerShopDay, cfg.DuplicateRate, cfg.ResendRate = 6, 150, 0, 0 // one row per record: counts are exact
	var lines [][]byte
	if _, err := simulate.Run(cfg, func(line []byte) error {
		lines = append(lines, append([]byte(nil), line...))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var (
		src     sliceSource
		mu      sync.Mutex
		acked   []int
		through []int // records in batches 0..i
		bad     []string
	)
	stored := func() int {
		var n uint64
		err := conn.QueryRow(ctx, `SELECT (SELECT count() FROM messages) + (SELECT count() FROM conversations) +
			(SELECT count() FROM handoffs) + (SELECT count() FROM ratings) + (SELECT count() FROM orders)`).Scan(&n)
		if err != nil {
			t.Error(err)
		}
		return int(n)
	}
	for i, total := 0, 0; total < len(lines); i++ {
		size := 5000 // large, then small, …
		if i%2 == 1 {
			size = 3
		}
		size = min(size, len(lines)-total)
		recs := make([]ingest.Record, size)
		for j := range recs {
			recs[j] = ingest.Record{Value: lines[total+j], Source: "test", Origin: "t", Offset: int64(total + j)}
		}
		total += size
		through = append(through, total)
		src.batches = append(src.batches, ingest.Batch{Records: recs, Ack: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			acked = append(acked, i)
			if n := stored(); n < through[i] {
				bad = append(bad, fmt.Sprintf("batch %d acked with %d rows stored, want ≥ %d", i, n, through[i]))
			}
			return nil
		}})
	}
	if len(src.batches) < 6 {
		t.Fatalf("only %d batches: the simulation is too small for the test", len(src.batches))
	}
	p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(nil, false), Inserts: 2})
	if err := p.RunSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	for i, b := range acked {
		if b != i {
			t.Fatalf("ack order %v, want 0..%d in order", acked, len(src.batches)-1)
		}
	}
	if len(acked) != len(src.batches) {
		t.Fatalf("%d of %d batches acked", len(acked), len(src.batches))
	}
	for _, s := range bad {
		t.Error(s)
	}
	if n := stored(); n != len(lines) {
		t.Fatalf("stored %d rows of %d records", n, len(lines))
	}
}

// TestKafkaLargeValues: events whose value does not fit the space left in
// the source's shared value buffers (a 300 KiB event, valid; a 900 KiB
// one, valid) are read on their own, stored whole, and reading goes on
// after them in the same partition, with nothing lost or read twice.
func TestKafkaLargeValues(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, db := chtest.New(t)
	kc := testKafka(t, ctx, 1)
	kc.Group = "large-values"
	cfg := smallSimulation()
	cfg.DuplicateRate, cfg.ResendRate = 0, 0
	var msgs []kafka.Message
	tally, err := simulate.Run(cfg, func(line []byte) error {
		msgs = append(msgs, kafka.Message{Value: append([]byte(nil), line...)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	big := func(id string, n int) []byte {
		return []byte(`{"event_id":"` + id + `","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":4,"blob":"` +
			strings.Repeat("大", n/3) + `"}`)
	}
	third := len(msgs) / 3
	msgs = append(msgs[:third:third], append([]kafka.Message{{Value: big("big-300k", 300<<10)}}, msgs[third:]...)...)
	msgs = append(msgs[:2*third:2*third], append([]kafka.Message{{Value: big("big-900k", 900<<10)}}, msgs[2*third:]...)...)
	w, err := ingest.NewProducer(kc)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	w.Close()
	counts := consume(t, ctx, conn, kc, int64(len(msgs)))
	if counts.Consumed != int64(len(msgs)) || counts.DeadLettered != 0 {
		t.Fatalf("consumed %d of %d, dead-lettered %d", counts.Consumed, len(msgs), counts.DeadLettered)
	}
	st, err := warehouse.Status(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	if int64(st.EventsTotal) != tally.Events+2 {
		t.Fatalf("stored %d distinct events, want %d", st.EventsTotal, tally.Events+2)
	}
	var sizes []uint64
	rows, err := conn.Query(ctx, "SELECT length(extra) FROM ratings WHERE event_id LIKE 'big-%' ORDER BY event_id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n uint64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, n)
	}
	rows.Close()
	if len(sizes) != 2 || sizes[0] < 300<<10-16 || sizes[1] < 900<<10-16 {
		t.Fatalf("big events' extra lengths %v, want ≈ 300 KiB and 900 KiB", sizes)
	}
}
