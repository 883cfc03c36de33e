package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/warehouse"
)

// hostileCase is one bad or hostile input and what must become of it: a
// dead letter with reason expect, or (expect "stored") a stored event.
type hostileCase struct {
	file, expect, what string
	raw                []byte
}

const hostileDir = "../testdata/hostile"

// loadHostile reads ingest/testdata/hostile: the inputs listed in cases.tsv
// (every file of the directory must be listed).
func loadHostile(t testing.TB) []hostileCase {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(hostileDir, "cases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{"cases.tsv": true, "README.md": true}
	var cases []hostileCase
	for _, line := range strings.Split(string(manifest), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("cases.tsv: %q: want file, expect, what", line)
		}
		raw, err := os.ReadFile(filepath.Join(hostileDir, f[0]))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, hostileCase{file: f[0], expect: f[1], what: f[2], raw: bytes.TrimSuffix(raw, []byte("\n"))})
		listed[f[0]] = true
	}
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("ingest/testdata/hostile/%s is not listed in cases.tsv", e.Name())
		}
	}
	return cases
}

// generatedHostile are the inputs too big to commit.
func generatedHostile() []hostileCase {
	msg := func(id, text string) []byte {
		b, _ := json.Marshal(map[string]any{"event_id": id, "type": "message", "ts": "2026-09-08T10:00:00+08:00",
			"shop_id": "shop-01", "customer_id": "c-hostile", "conversation_id": "conv-hostile", "sender": "customer", "text": text})
		return b
	}
	items := make([]map[string]any, 1001)
	for i := range items {
		items[i] = map[string]any{"product_id": "p" + strconv.Itoa(i), "qty": 1, "price": "1.00"}
	}
	manyItems, _ := json.Marshal(map[string]any{"event_id": "h-gen-items", "type": "order", "ts": "2026-09-08T10:00:00+08:00",
		"shop_id": "shop-01", "customer_id": "c-hostile", "order_id": "o-h-items", "status": "created", "amount": "1001.00", "items": items})
	deep := append(append([]byte(`{"event_id":"h-gen-deep","x":`), bytes.Repeat([]byte("["), 100_000)...), bytes.Repeat([]byte("]"), 100_000)...)
	return []hostileCase{
		{file: "generated: 10 MB message", expect: ingest.ReasonTooLarge, raw: msg("h-gen-10mb", strings.Repeat("大促", 10<<20/6))},
		{file: "generated: 2 MiB of garbage", expect: ingest.ReasonTooLarge, raw: bytes.Repeat([]byte("{{{{"), 1<<19)},
		{file: "generated: text of 16 KiB + 1", expect: ingest.ReasonInvalidValue, raw: msg("h-gen-16k", strings.Repeat("a", ingest.MaxTextBytes+1))},
		{file: "generated: 1001 order items", expect: ingest.ReasonInvalidValue, raw: manyItems},
		{file: "generated: 100 000 nested arrays", expect: ingest.ReasonInvalidJSON, raw: append(deep, '}')},
	}
}

// TestHostileCorpusDecoder checks each hostile input against the decoder
// alone, so a wrong expectation in cases.tsv shows up without servers.
func TestHostileCorpusDecoder(t *testing.T) {
	dec := ingest.NewDecoder()
	for _, c := range append(loadHostile(t), generatedHostile()...) {
		var e ingest.Event
		err := dec.Decode(c.raw, &e)
		got := "stored"
		if err != nil {
			got = ingest.ReasonOf(err)
		}
		if got != c.expect {
			t.Errorf("%s (%s): decoder says %s (%v), want %s", c.file, c.what, got, err, c.expect)
		}
	}
}

// TestHostileKafka sends the hostile corpus through Kafka between good
// simulated events: every bad input becomes a dead letter with its reason
// (in ClickHouse and on the dead-letter topic), every good and every valid
// hostile event is stored, the hostile text verbatim but masked.
func TestHostileKafka(t *testing.T) {
	w := newWorld(t, "")
	cases := append(loadHostile(t), generatedHostile()...)
	good := w.simulate("--seed", "21", "--days", "2", "--shops", "2", "--consultations-per-day", "100", "--duplicate-rate", "0.02")
	// kfake, like Kafka, refuses records over message.max.bytes (1 MiB by
	// default); the topic is raised to 16 MiB so the 10 MB event arrives
	// and ingest, not the broker, has to refuse it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	kc := w.kafkaConfig("hostile")
	cl := &kafka.Client{Addr: kafka.TCP(w.addr)}
	resp, err := cl.IncrementalAlterConfigs(ctx, &kafka.IncrementalAlterConfigsRequest{Resources: []kafka.IncrementalAlterConfigsRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: kc.Topic,
		Configs: []kafka.IncrementalAlterConfigsRequestConfig{{Name: "max.message.bytes", Value: strconv.Itoa(16 << 20), ConfigOperation: kafka.ConfigOperationSet}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range resp.Resources {
		if r.Error != nil {
			t.Fatalf("raise max.message.bytes of %s: %v", kc.Topic, r.Error)
		}
	}
	values := interleave(good.lines, cases)
	w.produce(values)
	dsn, conn := w.database("hostile_kafka")
	p := w.startIngest("ingest-hostile", dsn, "hostile")
	want := checkHostileStored(t, w, conn, dsn, "hostile", "hostile_kafka", good, cases, p)
	if err := p.term(45 * time.Second); err != nil {
		t.Errorf("ingest did not stop cleanly: %v", err)
	}

	// The dead-letter topic has the same dead letters, with the reason header.
	topicReasons := map[string]int{}
	for _, m := range readTopic(t, w.addr, kc.DeadLetterTopic) {
		if len(m.Value) > ingest.MaxDeadLetterRaw {
			t.Errorf("dead-letter topic message of %d bytes: raw should be cut to %d", len(m.Value), ingest.MaxDeadLetterRaw)
		}
		for _, h := range m.Headers {
			if h.Key == "reason" {
				topicReasons[string(h.Value)]++
			}
		}
	}
	if n := len(topicReasons); n == 0 || want == 0 {
		t.Errorf("dead-letter topic: %d reasons for %d dead letters", n, want)
	}
	wantReasons := map[string]int{}
	for _, c := range cases {
		if c.expect != "stored" {
			wantReasons[c.expect]++
		}
	}
	if fmt.Sprint(topicReasons) != fmt.Sprint(wantReasons) {
		t.Errorf("dead-letter topic reasons %v, want %v", topicReasons, wantReasons)
	}
}

// TestHostileImport sends the same corpus through `convintel import`
// (a JSONL file), where the 10 MB line never has to be held whole.
func TestHostileImport(t *testing.T) {
	w := newWorld(t, "")
	cases := append(loadHostile(t), generatedHostile()...)
	good := w.simulate("--seed", "22", "--days", "2", "--shops", "2", "--consultations-per-day", "100", "--duplicate-rate", "0.02")
	var file bytes.Buffer
	for _, v := range interleave(good.lines, cases) {
		file.Write(v)
		file.WriteByte('\n')
	}
	path := filepath.Join(w.dir, "hostile.jsonl")
	if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dsn, conn := w.database("hostile_import")
	for round := 1; round <= 2; round++ { // a second import of the same file changes nothing
		if _, err := w.run(5*time.Minute, nil, "import", "--quiet", "--clickhouse", dsn, "--home", w.dir, path); err != nil {
			t.Fatalf("import round %d: %v", round, err)
		}
		checkHostileStored(t, w, conn, dsn, "", "hostile_import_round_"+itoa(round), good, cases, nil)
		if t.Failed() {
			return
		}
	}
}

// interleave spreads the hostile inputs evenly between the good lines.
func interleave(good [][]byte, cases []hostileCase) [][]byte {
	out := make([][]byte, 0, len(good)+len(cases))
	step := len(good) / (len(cases) + 1)
	next := 0
	for i, g := range good {
		if next < len(cases) && i == (next+1)*step {
			out = append(out, cases[next].raw)
			next++
		}
		out = append(out, g)
	}
	for ; next < len(cases); next++ {
		out = append(out, cases[next].raw)
	}
	return out
}

// checkHostileStored waits (with a group: until the group has no lag) and
// checks the database: good and valid hostile events stored, bad ones dead
// letters with their reasons, hostile text stored verbatim but masked. It
// returns the number of dead letters.
func checkHostileStored(t *testing.T, w *world, conn warehouse.Conn, dsn, group, scenario string, good simulation, cases []hostileCase, p *ingestProc) int {
	t.Helper()
	wantByType := map[string]uint64{}
	for typ, n := range good.tally.EventsByType {
		wantByType[typ] = uint64(n)
	}
	wantDead := map[string]uint64{}
	var stored []hostileCase
	deadCount := 0
	for _, c := range cases {
		if c.expect == "stored" {
			var head struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(c.raw, &head); err != nil {
				t.Fatalf("%s: %v", c.file, err)
			}
			wantByType[head.Type]++
			stored = append(stored, c)
			continue
		}
		wantDead[c.expect]++
		deadCount++
	}
	var wantTotal uint64
	for _, n := range wantByType {
		wantTotal += n
	}
	if group != "" {
		w.waitDrained(conn, group, wantTotal, 3*time.Minute, p)
		// Dead letters of the last batch are stored with it; wait for them.
		waitFor(t, "dead letters stored", time.Minute, 100*time.Millisecond, func() (bool, error) {
			var n uint64
			err := conn.QueryRow(context.Background(), "SELECT uniqExact(source, location) FROM dead_letters").Scan(&n)
			return err == nil && n >= uint64(deadCount), err
		})
	}
	statusGroup := group
	if statusGroup == "" {
		statusGroup = "none" // import has no group; status still wants one
	}
	st := w.status(dsn, statusGroup)
	for typ, n := range wantByType {
		if st.Events[typ] != n {
			t.Errorf("%s events stored: %d, want %d", typ, st.Events[typ], n)
		}
	}
	if st.EventsTotal != wantTotal {
		t.Errorf("events stored: %d, want %d", st.EventsTotal, wantTotal)
	}
	if fmt.Sprint(st.DeadLettersByReason) != fmt.Sprint(wantDead) {
		t.Errorf("dead letters by reason %v, want %v", st.DeadLettersByReason, wantDead)
	}
	figure(t, scenario, "good_events_produced", good.tally.Events)
	figure(t, scenario, "hostile_inputs", len(cases))
	figure(t, scenario, "events_stored", st.EventsTotal)
	figure(t, scenario, "dead_lettered", st.DeadLetters)
	figure(t, scenario, "dead_letters_by_reason", st.DeadLettersByReason)

	// Each bad input is a dead letter with its own reason and raw bytes.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT reason, raw, detail, location FROM dead_letters")
	if err != nil {
		t.Fatal(err)
	}
	byRaw := map[string][]string{}
	for rows.Next() {
		var reason, raw, detail, location string
		if err := rows.Scan(&reason, &raw, &detail, &location); err != nil {
			t.Fatal(err)
		}
		if len(raw) > ingest.MaxDeadLetterRaw {
			t.Errorf("dead letter at %s keeps %d raw bytes, the cap is %d", location, len(raw), ingest.MaxDeadLetterRaw)
		}
		if detail == "" || location == "" {
			t.Errorf("dead letter %q without detail or location", reason)
		}
		byRaw[raw] = append(byRaw[raw], reason)
	}
	rows.Close()
	for _, c := range cases {
		if c.expect == "stored" {
			continue
		}
		raw := c.raw
		if len(raw) > ingest.MaxDeadLetterRaw {
			raw = raw[:ingest.MaxDeadLetterRaw]
		}
		reasons := byRaw[string(raw)]
		sort.Strings(reasons)
		if len(reasons) == 0 || reasons[0] != c.expect || reasons[len(reasons)-1] != c.expect {
			t.Errorf("%s (%s): dead letters %v, want reason %s", c.file, c.what, reasons, c.expect)
		}
	}

	// Valid events with hostile content are stored as sent, masked.
	for _, c := range stored {
		var in map[string]any
		if err := json.Unmarshal(c.raw, &in); err != nil {
			t.Fatal(err)
		}
		id := in["event_id"].(string)
		switch in["type"] {
		case "message":
			var text, agentID string
			if err := conn.QueryRow(ctx, "SELECT any(text), any(agent_id) FROM messages WHERE event_id = ?", id).Scan(&text, &agentID); err != nil {
				t.Fatal(err)
			}
			want := in["text"].(string)
			if c.file == "html_with_phone.json" {
				want = strings.Replace(want, "13812345678", "[PHONE]", 1)
			}
			if text != want {
				t.Errorf("%s: stored text %q, want %q", c.file, text, want)
			}
			if a, _ := in["agent_id"].(string); agentID != a {
				t.Errorf("%s: stored agent_id %q, want %q", c.file, agentID, a)
			}
		case "rating":
			var shop, customer, conv string
			if err := conn.QueryRow(ctx, "SELECT any(shop_id), any(customer_id), any(conversation_id) FROM ratings WHERE event_id = ?", id).Scan(&shop, &customer, &conv); err != nil {
				t.Fatal(err)
			}
			if shop != in["shop_id"] || customer != in["customer_id"] || conv != in["conversation_id"] {
				t.Errorf("%s: stored ids %q %q %q, sent %q %q %q", c.file, shop, customer, conv, in["shop_id"], in["customer_id"], in["conversation_id"])
			}
		case "order":
			var orderID, extra string
			if err := conn.QueryRow(ctx, "SELECT any(order_id), any(extra) FROM orders WHERE event_id = ?", id).Scan(&orderID, &extra); err != nil {
				t.Fatal(err)
			}
			var ex map[string]any
			if err := json.Unmarshal([]byte(extra), &ex); err != nil {
				t.Errorf("%s: extra %q is not JSON: %v", c.file, extra, err)
			}
			if orderID != in["order_id"] || ex["note"] != in["note"] {
				t.Errorf("%s: stored order_id %q, extra %q; sent %q, note %q", c.file, orderID, extra, in["order_id"], in["note"])
			}
		default:
			t.Fatalf("%s: no check for type %v", c.file, in["type"])
		}
	}

	// Bad amounts never reach GMV.
	gmv, _ := paidGMV(t, conn)
	if want := expectedPaidGMV(t, good.lines); gmv != want {
		t.Errorf("paid GMV %d cents, the good events carry %d", gmv, want)
	}
	return deadCount
}

// readTopic reads every partition of topic from its start to its end.
func readTopic(t testing.TB, addr, topic string) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := kafka.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := conn.ReadPartitions(topic)
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out []kafka.Message
	for _, p := range parts {
		leader, err := kafka.DialLeader(ctx, "tcp", addr, topic, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		end, err := leader.ReadLastOffset()
		leader.Close()
		if err != nil {
			t.Fatal(err)
		}
		if end == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: topic, Partition: p.ID, MaxWait: 100 * time.Millisecond, MaxBytes: 16 << 20})
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				t.Fatalf("read %s/%d: %v", topic, p.ID, err)
			}
			out = append(out, m)
			if m.Offset >= end-1 {
				break
			}
		}
		r.Close()
	}
	return out
}
