package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/warehouse"
)

// piiCase is one line of nlp/testdata/pii/corpus.tsv.
type piiCase struct{ kind, text, raw string }

func readPIICorpus(t *testing.T) []piiCase {
	t.Helper()
	f, err := os.Open("../../nlp/testdata/pii/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []piiCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			p := strings.Split(l, "\t")
			c := piiCase{kind: p[0]}
			var e1, e2 error
			c.text, e1 = strconv.Unquote(p[1])
			c.raw, e2 = strconv.Unquote(p[2])
			if e1 != nil || e2 != nil {
				t.Fatalf("corpus.tsv:%d: %v %v", n, e1, e2)
			}
			out = append(out, c)
		}
	}
	return out
}

// digitsView is s as a reader sees its numbers: full-width digits as
// ASCII, separators and invisible characters between digits left out, so
// "138 1234 5678" and "１３８…" both contain 13812345678.
func digitsView(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
		case r == 'Ｘ' || r == 'ｘ':
			b.WriteByte('X')
		case r == ' ' || r == '-' || r == '.' || r == '\t' || r == 0xA0 || r == 0x3000 || r == 0xFEFF || r == 0xAD || r == 0x2212 || r == 0xFF0D ||
			r >= 0x2000 && r <= 0x200D || r >= 0x2010 && r <= 0x2015 || r == 0x2060:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// piiNeedles are the strings that must not appear anywhere: each raw value
// as written, its digits (ID numbers also without the check character),
// and e-mail local parts.
func piiNeedles(corpus []piiCase) (exact, digits []string) {
	add := func(list *[]string, s string) {
		if s != "" && !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, c := range corpus {
		add(&exact, c.raw)
		if c.kind == "EMAIL" {
			if local, _, _ := strings.Cut(strings.ReplaceAll(c.raw, "＠", "@"), "@"); len(local) >= 5 && strings.Trim(local, "0123456789") != "" {
				add(&exact, local)
			}
			continue
		}
		if c.kind == "ADDRESS" {
			continue
		}
		d := digitsView(c.raw)
		if len(d) >= 11 {
			add(&digits, d)
			add(&digits, strings.TrimRight(d, "Xx"))
		}
	}
	return exact, digits
}

// plantPII rewrites simulated lines: in the first 20 conversations with a
// customer question answered by the bot, the question becomes the ID
// number of the reproduction and the bot falls back (a knowledge
// gap); in the next ones each corpus text twice; every fifth event gets
// unknown fields holding PII (named and unnamed). It returns the lines
// and how many conversations carry a planted gap.
func plantPII(t *testing.T, lines [][]byte, corpus []piiCase) ([][]byte, int) {
	t.Helper()
	evs := make([]map[string]any, len(lines))
	byConv := map[string][]int{}
	var convs []string
	for i, l := range lines {
		if err := json.Unmarshal(l, &evs[i]); err != nil {
			t.Fatal(err)
		}
		if evs[i]["type"] == "message" {
			c := evs[i]["conversation_id"].(string)
			if byConv[c] == nil {
				convs = append(convs, c)
			}
			byConv[c] = append(byConv[c], i)
		}
	}
	idCase := "我的身份证 110105 19491231 002X 能开发票吗"
	texts := make([]string, 0, 20+2*len(corpus))
	for range 20 {
		texts = append(texts, idCase)
	}
	for _, c := range corpus {
		texts = append(texts, c.text, c.text)
	}
	planted := 0
	for _, c := range convs {
		if planted == len(texts) {
			break
		}
		ms := byConv[c]
		for k := 0; k+1 < len(ms); k++ {
			q, a := evs[ms[k]], evs[ms[k+1]]
			if q["sender"] == "customer" && a["sender"] == "bot" {
				q["text"] = texts[planted]
				delete(q, "intent")
				a["bot_fallback"] = true
				planted++
				break
			}
		}
	}
	if planted < len(texts) {
		t.Fatalf("only %d conversations to plant %d gaps in", planted, len(texts))
	}
	out := make([][]byte, len(lines))
	for i, ev := range evs {
		if i%5 == 0 {
			c := corpus[(i/5)%len(corpus)]
			ev["buyer_phone"] = "138 1234 5678"
			ev["id_card"] = "110105 19491231 002X"
			ev["note"] = c.text
			ev["receiver"] = map[string]any{"name": "张三", "addr": "浙江省杭州市西湖区文三路90号"}
			ev["memo_list"] = []any{"ok", c.text}
			ev["n"] = json.Number("13812345678")
		}
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out, planted
}

// piiDeadLetters are lines that must be dead-lettered and carry PII: a bad
// ts, broken JSON, an unknown type, each with a corpus text (also with the
// text's characters \u-escaped, as some JSON encoders send them).
func piiDeadLetters(corpus []piiCase) [][]byte {
	var out [][]byte
	for i, c := range corpus {
		txt, _ := json.Marshal(c.text)
		esc := strconv.QuoteToASCII(c.text)
		out = append(out,
			fmt.Appendf(nil, `{"event_id":"pii-ts-%d","type":"message","ts":"yesterday","shop_id":"shop-01","customer_id":"c-pii","channel":"web","conversation_id":"pii","message_id":"m%d","sender":"customer","text":%s,"buyer_phone":"13812345678"}`, i, i, txt),
			fmt.Appendf(nil, `{"event_id":"pii-json-%d","type":"message","text":%s,`, i, esc),
			fmt.Appendf(nil, `{"event_id":"pii-type-%d","type":"chat %s","ts":1788000000000}`, i, strings.Trim(string(txt), `"`)),
		)
	}
	return out
}

// TestPIICorpus pushes every form of personal data in nlp/testdata/pii through
// every path and checks that no raw value survives anywhere: message text
// and unknown fields through Kafka and `convintel import`, dead letters in
// ClickHouse and on the dead-letter topic, the metric tables after
// `metrics run`, the report files, the dashboard pages and API, an export
// of the events, and every log the processes wrote.
func TestPIICorpus(t *testing.T) {
	w := newWorld(t, "")
	corpus := readPIICorpus(t)
	exact, digits := piiNeedles(corpus)
	sim := w.simulate("--seed", "61", "--days", "7", "--shops", "2", "--consultations-per-day", "70")
	lines, planted := plantPII(t, sim.lines, corpus)
	dead := piiDeadLetters(corpus)
	all := append(append([][]byte{}, lines...), dead...)
	path := filepath.Join(w.dir, "pii.jsonl")
	if err := os.WriteFile(path, append(bytes.Join(all, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	var hay haystack

	// Kafka, with the dead-letter topic.
	dsnK, connK := w.database("pii_kafka")
	w.produce(all)
	ing := w.startIngest("ingest-pii", dsnK, "pii")
	w.waitDrained(connK, "pii", uint64(sim.tally.Events), 3*time.Minute, ing)
	waitFor(t, "dead letters stored", time.Minute, 100*time.Millisecond, func() (bool, error) {
		n := countRows(t, connK, "dead_letters")
		return n == uint64(len(dead)), fmt.Errorf("%d of %d dead letters", n, len(dead))
	})
	if err := ing.term(20 * time.Second); err != nil {
		t.Errorf("ingest did not stop cleanly: %v", err)
	}
	hay.add("dead-letter topic", readDeadLetterTopic(t, w, len(dead)))

	// import.
	dsnI, connI := w.database("pii_import")
	hay.add("import output", w.runAll(t, "import", "--clickhouse", dsnI, "--home", w.dir, path))
	if n := countRows(t, connI, "dead_letters"); n != uint64(len(dead)) {
		t.Errorf("import: %d dead letters, want %d", n, len(dead))
	}

	// Metrics, reports, export.
	from, to := "2026-09-07", "2026-09-13"
	hay.add("metrics run", w.runAll(t, "metrics", "run", "--from", from, "--to", to, "--clickhouse", dsnK, "--home", w.dir))
	for _, r := range [][]string{{"weekly", "--week", "2026-W37"}, {"alerts", "--from", from, "--to", to}, {"gmv", "--from", from, "--to", to}} {
		out := filepath.Join(w.dir, r[0]+".html")
		hay.add("report "+r[0], w.runAll(t, append(append([]string{"report"}, r...), "--out", out, "--clickhouse", dsnK, "--home", w.dir)...))
		hay.addFile(t, out)
	}
	for _, name := range []string{"events", "messages", "gaps"} {
		out := filepath.Join(w.dir, "export-"+name+".csv")
		hay.add("export "+name, w.runAll(t, "export", name, "--from", from, "--to", to, "--format", "csv", "--out", out, "--clickhouse", dsnK, "--home", w.dir))
		hay.addFile(t, out)
	}

	// The dashboards and their API.
	port := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	srv := startProc(t, w.dir, "serve", nil, w.bin, "serve", "--listen", "127.0.0.1:"+strconv.Itoa(port), "--no-schedule", "--clickhouse", dsnK, "--home", w.dir)
	waitFor(t, "dashboards answering", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
		if srv.exited() {
			t.Fatalf("serve exited: %v\n%s", srv.waitErr, tailFile(srv.logPath, 20))
		}
		code, _, err := get(base+"/healthz", "")
		return err == nil && code == 200, err
	})
	rng := "from=" + from + "&to=" + to
	gapsSeen := false
	for _, p := range []string{"/weekly?week=2026-W37", "/weekly?week=2026-W37&lang=en", "/alerts?" + rng, "/gmv?" + rng,
		"/api/v1/metrics/gaps?" + rng, "/api/v1/metrics/gaps?" + rng + "&by=shop_id", "/api/v1/metrics/sentiment?" + rng,
		"/api/v1/metrics/topics?" + rng, "/api/v1/metrics/conversion?" + rng, "/api/v1/metrics/dropoff?" + rng,
		"/api/v1/metrics/funnel?" + rng, "/api/v1/metrics/service?" + rng, "/api/v1/metrics/gmv?" + rng, "/api/v1/metrics/alerts?" + rng} {
		code, body, err := get(base+p, "")
		if err != nil || code != 200 {
			t.Errorf("GET %s: %d %v %.300s", p, code, err, body)
		}
		if strings.HasPrefix(p, "/api/v1/metrics/gaps") && strings.Contains(body, "[IDCARD]") {
			gapsSeen = true
		}
		hay.add("GET "+p, []byte(body))
	}
	if !gapsSeen {
		t.Errorf("the planted knowledge gap (%d conversations) is not in /api/v1/metrics/gaps as [IDCARD]: the check proved nothing", planted)
	}
	if err := srv.term(20 * time.Second); err != nil {
		t.Errorf("serve did not stop cleanly: %v", err)
	}

	// What was stored, in every table of both databases.
	for _, c := range []warehouse.Conn{connK, connI} {
		dumpTables(t, c, &hay)
	}
	// Every log: broker, ingest, serve (the command outputs are in already).
	for _, p := range []*proc{w.broker, ing.proc, srv} {
		hay.addFile(t, p.logPath)
	}

	leaks := 0
	for _, part := range hay.parts {
		view := digitsView(part.text)
		for _, n := range exact {
			if strings.Contains(part.text, n) {
				leaks++
				t.Errorf("%s keeps %q: …%s…", part.name, n, around(part.text, n))
			}
		}
		for _, n := range digits {
			if strings.Contains(view, n) {
				leaks++
				t.Errorf("%s keeps the digits %s: …%s…", part.name, n, around(view, n))
			}
		}
		if leaks > 30 {
			t.Fatal("too many leaks, stopping")
		}
	}
	size := 0
	for _, p := range hay.parts {
		size += len(p.text)
	}
	t.Logf("checked %d places (%d KiB) for %d raw values and %d digit strings; %d corpus lines, %d gap conversations, %d dead letters per path",
		len(hay.parts), size>>10, len(exact), len(digits), len(corpus), planted, len(dead))
	figure(t, "pii", "places_checked", len(hay.parts))
	figure(t, "pii", "corpus_lines", len(corpus))
}

type haystack struct {
	parts []struct{ name, text string }
}

func (h *haystack) add(name string, b []byte) {
	h.parts = append(h.parts, struct{ name, text string }{name, string(b)})
}

func (h *haystack) addFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h.add(filepath.Base(path), b)
}

func around(s, n string) string {
	i := strings.Index(s, n)
	return s[max(0, i-60):min(len(s), i+len(n)+60)]
}

// runAll runs the binary and returns its stdout and stderr together.
func (w *world) runAll(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Dir = w.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("convintel %s: %v\n%s", strings.Join(args, " "), err, tailString(string(out), 2000))
	}
	return out
}

func countRows(t *testing.T, conn warehouse.Conn, table string) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dumpTables adds every row of every table of conn's database.
func dumpTables(t *testing.T, conn warehouse.Conn, h *haystack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rows, err := conn.Query(ctx, "SELECT name FROM system.tables WHERE database = currentDatabase()")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	for _, tb := range tables {
		rows, err := conn.Query(ctx, "SELECT * FROM "+tb)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		types := rows.ColumnTypes()
		for rows.Next() {
			vals := make([]any, len(types))
			for i, ct := range types {
				vals[i] = reflect.New(ct.ScanType()).Interface()
			}
			if err := rows.Scan(vals...); err != nil {
				t.Fatalf("%s: %v", tb, err)
			}
			for _, v := range vals {
				fmt.Fprint(&b, reflect.ValueOf(v).Elem().Interface(), "\t")
			}
			b.WriteByte('\n')
		}
		rows.Close()
		h.add("table "+tb, []byte(b.String()))
	}
}

// readDeadLetterTopic reads n messages of the dead-letter topic (every
// partition, as a fresh consumer group): keys, values and headers.
func readDeadLetterTopic(t *testing.T, w *world, n int) []byte {
	t.Helper()
	kc := w.kafkaConfig("")
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: kc.Brokers, Topic: kc.DeadLetterTopic, GroupID: "pii-dead-letter-check",
		StartOffset: kafka.FirstOffset, MaxWait: 200 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("dead-letter topic: %d of %d messages read: %v", i, n, err)
		}
		b.Write(m.Key)
		b.WriteByte('\t')
		b.Write(m.Value)
		for _, h := range m.Headers {
			b.WriteByte('\t')
			b.WriteString(h.Key + "=" + string(h.Value))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}
