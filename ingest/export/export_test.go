package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/tabular"
	"github.com/convintel/convintel/metrics"
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

func smallSimulation() simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.Shops, cfg.Days, cfg.ConsultationsPerShopDay = 2, 3, 100
	cfg.Experiments = simulate.DefaultExperiments(cfg.Shops) // v1.1 fields round-trip too
	return cfg
}

var enricher = func() func(t testing.TB) ingest.Enricher {
	var m *nlp.Model
	return func(t testing.TB) ingest.Enricher {
		if m == nil {
			var err error
			if m, err = nlp.Default(); err != nil {
				t.Fatal(err)
			}
		}
		return ingest.NLPEnricher(m, false)
	}
}()

// run stores what src sends through the pipeline, as import does.
func run(t testing.TB, conn warehouse.Conn, enrich ingest.Enricher, src tabular.Source) ingest.Counts {
	t.Helper()
	w := ingest.NewWriter(conn, nil, nil)
	p := ingest.NewPipeline(ingest.Options{Writer: w, Enrich: enrich})
	if err := p.RunSource(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	return p.Counts()
}

// simulateJSONL writes the simulation's events to a JSONL file.
func simulateJSONL(t testing.TB, cfg simulate.Config, path string) int {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	n := 0
	if _, err := simulate.Run(cfg, func(line []byte) error {
		n++
		bw.Write(line)
		return bw.WriteByte('\n')
	}); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return n
}

var rawTables = []string{"messages", "conversations", "handoffs", "ratings", "orders", "dead_letters"}

// dump returns every column but ingested_at/received_at of table, one
// line per row, sorted.
func dump(t *testing.T, conn warehouse.Conn, db, table string) []string {
	t.Helper()
	ctx := context.Background()
	crows, err := conn.Query(ctx, "SELECT name FROM system.columns WHERE database = ? AND table = ? ORDER BY name", db, table)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for crows.Next() {
		var c string
		crows.Scan(&c)
		if c != "ingested_at" && c != "received_at" {
			cols = append(cols, c)
		}
	}
	crows.Close()
	order := "event_id"
	if table == "dead_letters" {
		order = "location"
	}
	rows, err := conn.Query(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", strings.Join(cols, ", "), table, order))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	types := rows.ColumnTypes()
	for rows.Next() {
		vals := make([]any, len(types))
		for i, ct := range types {
			vals[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(vals...); err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&sb, "%s=%v ", cols[i], reflect.ValueOf(v).Elem().Interface())
		}
		out = append(out, sb.String())
	}
	return out
}

func sameTables(t *testing.T, what string, a warehouse.Conn, adb string, b warehouse.Conn, bdb string) {
	t.Helper()
	for _, table := range rawTables {
		x, y := dump(t, a, adb, table), dump(t, b, bdb, table)
		t.Logf("%s: %s: %d rows compared", what, table, len(x))
		if len(x) != len(y) {
			t.Errorf("%s: %s has %d rows, the original %d", what, table, len(y), len(x))
			continue
		}
		diffs := 0
		for i := range x {
			if x[i] != y[i] {
				if diffs < 3 {
					t.Errorf("%s: %s row %d differs:\n original %s\nre-import %s", what, table, i, x[i], y[i])
				}
				diffs++
			}
		}
		if diffs > 0 {
			t.Errorf("%s: %s: %d of %d rows differ", what, table, diffs, len(x))
		}
	}
}

// TestRoundTrip: simulated traffic stored through the pipeline, exported
// as events to Parquet, CSV and Arrow, and imported into fresh databases,
// gives identical stored rows in every raw table and identical metrics.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	cfg := smallSimulation()
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "sim.jsonl")
	n := simulateJSONL(t, cfg, jsonl)
	orig, origDB := chtest.New(t)
	c := run(t, orig, enricher(t), &ingest.JSONLSource{Path: jsonl})
	if c.Stored != int64(n) || c.DeadLettered != 0 {
		t.Fatalf("simulation: %d events, stored %d, dead %d", n, c.Stored, c.DeadLettered)
	}
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	q := Query{From: from, To: to, Location: simulate.Shanghai}

	s := metrics.DefaultSettings()
	if _, err := metrics.Run(ctx, warehouse.Single(orig, origDB), s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, name := range metrics.Names() {
		rows, err := metrics.Show(ctx, orig, name, metrics.Query{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rows)
		want[name] = string(b)
	}

	// An events or messages export reports each day it has written.
	var ticks []int
	pq := q
	pq.Progress = func(done, total int) {
		if total != cfg.Days {
			t.Errorf("progress total %d, want the %d days of the range", total, cfg.Days)
		}
		ticks = append(ticks, done)
	}
	if _, err := Export(ctx, orig, "messages", pq, CSV, filepath.Join(dir, "progress.csv")); err != nil {
		t.Fatal(err)
	}
	if pq.Days() != cfg.Days {
		t.Fatalf("Query.Days() = %d, want %d", pq.Days(), cfg.Days)
	}
	if len(ticks) != cfg.Days || ticks[len(ticks)-1] != cfg.Days {
		t.Fatalf("progress ticks %v, want 1..%d", ticks, cfg.Days)
	}

	for _, f := range []Format{Parquet, CSV, Arrow} {
		t.Run(string(f), func(t *testing.T) {
			path := filepath.Join(dir, "events."+string(f))
			res, err := Export(ctx, orig, "events", q, f, path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != int64(n) {
				t.Fatalf("exported %d events, stored %d", res.Rows, n)
			}
			re, reDB := chtest.New(t)
			src, err := tabular.Open(path, "", tabular.Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := run(t, re, enricher(t), src)
			if c.Stored != int64(n) || c.DeadLettered != 0 {
				t.Fatalf("re-import: stored %d dead %d, want %d and 0", c.Stored, c.DeadLettered, n)
			}
			sameTables(t, string(f), orig, origDB, re, reDB)
			if f != Parquet {
				return
			}
			if _, err := metrics.Run(ctx, warehouse.Single(re, reDB), s, from, to, nil); err != nil {
				t.Fatal(err)
			}
			for _, name := range metrics.Names() {
				rows, err := metrics.Show(ctx, re, name, metrics.Query{From: from, To: to})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.Marshal(rows)
				if string(b) != want[name] {
					t.Errorf("metric %s after re-import differs:\n got %.300s\nwant %.300s", name, b, want[name])
				}
			}
		})
	}

	// Messages and metric exports: the types analysts expect, and the
	// values of the database.
	t.Run("types", func(t *testing.T) {
		path := filepath.Join(dir, "messages.parquet")
		res, err := Export(ctx, orig, "messages", q, Parquet, path)
		if err != nil {
			t.Fatal(err)
		}
		var msgs uint64
		orig.QueryRow(ctx, "SELECT uniqExact(event_id) FROM messages").Scan(&msgs)
		tbl := readParquet(t, path)
		defer tbl.Release()
		if res.Rows != int64(msgs) || tbl.NumRows() != int64(msgs) {
			t.Fatalf("messages: exported %d, file %d, stored %d", res.Rows, tbl.NumRows(), msgs)
		}
		wantTypes := map[string]string{"date": "date32", "ts": "timestamp[ms, tz=UTC]", "topics": "list<item: utf8, nullable>",
			"sentiment_score": "float64", "intent_source": "utf8"}
		checkTypes(t, tbl.Schema(), wantTypes)

		var topicsWant uint64
		orig.QueryRow(ctx, "SELECT sum(length(topics)) FROM messages").Scan(&topicsWant)
		var topicsGot int
		col := tbl.Column(tbl.Schema().FieldIndices("topics")[0])
		for _, ch := range col.Data().Chunks() {
			topicsGot += ch.(*array.List).ListValues().Len()
		}
		if uint64(topicsGot) != topicsWant || topicsWant == 0 {
			t.Fatalf("topics in file %d, stored %d", topicsGot, topicsWant)
		}

		for _, name := range metrics.Names() {
			path := filepath.Join(dir, name+".parquet")
			res, err := Export(ctx, orig, name, q, Parquet, path)
			if err != nil {
				if strings.Contains(err.Error(), ErrNoRows.Error()) {
					t.Logf("%s: %v", name, err)
					continue
				}
				t.Fatal(err)
			}
			tbl := readParquet(t, path)
			if tbl.NumRows() != res.Rows || res.Rows == 0 {
				t.Fatalf("%s: %d rows in file, %d exported", name, tbl.NumRows(), res.Rows)
			}
			t.Logf("%s: %d rows: %s", name, res.Rows, tbl.Schema())
			switch name {
			case "conversion":
				checkTypes(t, tbl.Schema(), map[string]string{"date": "date32", "consulting_buyers": "int64", "order_rate": "float64", "final_paid_amount": "decimal(18, 2)"})
			case "gmv":
				checkTypes(t, tbl.Schema(), map[string]string{"gmv": "decimal(18, 2)", "orders": "int64", "bot_share": "float64"})
			}
			tbl.Release()
		}
	})
}

func readParquet(t *testing.T, path string) arrow.Table {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func checkTypes(t *testing.T, sc *arrow.Schema, want map[string]string) {
	t.Helper()
	for name, typ := range want {
		idx := sc.FieldIndices(name)
		if len(idx) != 1 {
			t.Errorf("no column %s in %s", name, sc)
			continue
		}
		// Parquet names a list's element "list"; Arrow writers say "item".
		if got := strings.Replace(sc.Field(idx[0]).Type.String(), "list<list:", "list<item:", 1); got != typ {
			t.Errorf("column %s is %s, want %s", name, got, typ)
		}
	}
}

// TestDays: day windows are cut in the reporting zone.
func TestDays(t *testing.T) {
	sh := simulate.Shanghai
	ws := days(time.Date(2026, 11, 10, 0, 0, 0, 0, sh), time.Date(2026, 11, 11, 0, 0, 0, 0, sh), sh)
	if len(ws) != 2 || ws[0].fromMs != time.Date(2026, 11, 9, 16, 0, 0, 0, time.UTC).UnixMilli() || ws[1].toMs != time.Date(2026, 11, 11, 16, 0, 0, 0, time.UTC).UnixMilli() {
		t.Fatalf("windows %+v", ws)
	}
	a := ws[0].args()
	if a[0].(int64) != ws[0].fromMs/1000 || a[1].(int64) != (ws[0].toMs-1)/1000 {
		t.Fatalf("args %v", a)
	}
}
