package tabular

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// importFile runs src through a pipeline into conn, with the source's own
// dead letters stored beside the pipeline's.
func importFile(t *testing.T, conn warehouse.Conn, path string, f Format, o Options) (ingest.Counts, error) {
	t.Helper()
	ctx := context.Background()
	w := ingest.NewWriter(conn, nil, nil)
	o.DeadLetters = WriteDeadLetters(w)
	src, err := Open(path, f, o)
	if err != nil {
		return ingest.Counts{}, err
	}
	p := ingest.NewPipeline(ingest.Options{Writer: w, Enrich: ingest.NLPEnricher(nil, false)})
	err = p.RunSource(ctx, src)
	return p.Counts(), err
}

type deadLetter struct{ location, reason, detail, raw string }

func deadLetters(t *testing.T, conn warehouse.Conn) []deadLetter {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT location, reason, detail, raw FROM dead_letters ORDER BY location")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []deadLetter
	for rows.Next() {
		var d deadLetter
		if err := rows.Scan(&d.location, &d.reason, &d.detail, &d.raw); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func count(t *testing.T, conn warehouse.Conn, table string) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// record builds a record of schema sc from a JSON array of objects.
func record(t *testing.T, sc *arrow.Schema, js string) arrow.Record {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.DefaultAllocator, sc, strings.NewReader(js))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return rec
}

// writeParquet writes recs with at most rowGroup rows per row group.
func writeParquet(t *testing.T, path string, rowGroup int64, recs ...arrow.Record) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithMaxRowGroupLength(rowGroup), parquet.WithDictionaryDefault(false))
	w, err := pqarrow.NewFileWriter(recs[0].Schema(), f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

var (
	str       = arrow.BinaryTypes.String
	tsMs      = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	money     = &arrow.Decimal128Type{Precision: 18, Scale: 2}
	strFields = func(names ...string) []arrow.Field {
		out := make([]arrow.Field, len(names))
		for i, n := range names {
			out[i] = arrow.Field{Name: n, Type: str, Nullable: true}
		}
		return out
	}
)

func TestTextCells(t *testing.T) {
	var te textEncoder
	f := func(k kind, in, want string) {
		t.Helper()
		got := te.append(nil, k, in)
		if got == nil {
			got = []byte("<omitted>")
		}
		if string(got) != want {
			t.Errorf("kind %d %q: got %s, want %s", k, in, got, want)
		}
	}
	f(kindString, "", "<omitted>")
	f(kindString, "a\"b\\c\n\x01", `"a\"b\\c\n\u0001"`)
	f(kindString, "质量", `"质量"`)
	f(kindTs, "1757174400000", "1757174400000")
	f(kindTs, "2026-09-07T00:00:03.120+08:00", `"2026-09-07T00:00:03.120+08:00"`)
	f(kindNumber, "4", "4")
	f(kindNumber, " 0.75 ", "0.75")
	f(kindNumber, "abc", `"abc"`)
	f(kindNumber, "1e", `"1e"`)
	f(kindNumber, "NaN", `"NaN"`)
	f(kindBool, "TRUE", "true")
	f(kindBool, "0", "false")
	f(kindBool, "maybe", `"maybe"`)
	f(kindAmount, "12.30", `"12.30"`)
	f(kindItems, `[{"product_id":"p1","qty":1,"price":"9.90"}]`, `[{"product_id":"p1","qty":1,"price":"9.90"}]`)
	f(kindItems, `[{"product_id":`, `"[{\"product_id\":"`)

	got, n := te.appendExtra([]byte(`{"a":1`), `{"k":"v","n":[1,2]}`, true)
	if string(got) != `{"a":1,"k":"v","n":[1,2]` || n != 2 {
		t.Errorf("extra: %s %d", got, n)
	}
	got, n = te.appendExtra(nil, `not json`, false)
	if string(got) != `"extra":"not json"` || n != 1 {
		t.Errorf("extra not an object: %s %d", got, n)
	}
}

func TestPlan(t *testing.T) {
	_, err := plan("x.parquet", []string{"event_id", "type", "ts", "customer_id", "store"}, nil)
	if err == nil || !strings.Contains(err.Error(), `"shop_id"`) || !strings.Contains(err.Error(), "--map COLUMN=shop_id") {
		t.Fatalf("missing shop_id: %v", err)
	}
	cols, err := plan("x.parquet", []string{"EVENT_ID", "type", "ts", "customer_id", "store", "junk"}, Mapping{"store": "shop_id", "junk": Skip})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cols {
		names = append(names, c.name)
	}
	if strings.Join(names, ",") != "event_id,type,ts,customer_id,shop_id" {
		t.Fatalf("plan: %v", names)
	}
	if _, err := plan("x.parquet", []string{"event_id", "type", "ts", "customer_id", "shop_id", "store"}, Mapping{"store": "shop_id"}); err == nil || !strings.Contains(err.Error(), "both map") {
		t.Fatalf("two columns for shop_id: %v", err)
	}
	if _, err := plan("x.parquet", []string{"event_id"}, Mapping{"nope": "shop_id"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("mapped column absent: %v", err)
	}
	m, err := ParseMapping("store=shop_id, buyer = customer_id,junk=-")
	if err != nil || m["buyer"] != "customer_id" || m["junk"] != Skip || len(m) != 3 {
		t.Fatalf("ParseMapping: %v %v", m, err)
	}
	if _, err := ParseMapping("store"); err == nil {
		t.Fatal("ParseMapping accepted a bare column")
	}
}

// TestParquetBadRows: wrong types in a column and rows missing a field are
// dead-lettered with file and row; the rows around them are stored.
func TestParquetBadRows(t *testing.T) {
	conn, _ := chtest.New(t)
	sc := arrow.NewSchema(append([]arrow.Field{{Name: "ts", Type: tsMs}},
		strFields("event_id", "type", "shop_id", "customer_id", "conversation_id", "sender", "text", "score", "extra")...), nil)
	rec := record(t, sc, `[
	 {"event_id":"e1","type":"conversation_started","ts":"2025-03-01T10:00:00Z","shop_id":"s1","customer_id":"c1","conversation_id":"v1"},
	 {"event_id":"e2","type":"message","ts":"2025-03-01T10:00:01.250Z","shop_id":"s1","customer_id":"c1","conversation_id":"v1","sender":"customer","text":"我的手机 13812345678","extra":"{\"campaign\":\"double11\"}"},
	 {"event_id":"e3","type":"rating","ts":"2025-03-01T10:00:02Z","shop_id":"s1","customer_id":"c1","conversation_id":"v1","score":"abc"},
	 {"event_id":"e4","type":"rating","ts":"2025-03-01T10:00:03Z","shop_id":"s1","customer_id":"c1","conversation_id":"v1","score":"4"},
	 {"event_id":"e5","type":"message","ts":"2025-03-01T10:00:04Z","shop_id":"s1","customer_id":"c1","sender":"bot","text":"hi"},
	 {"event_id":"e6","type":"conversation_ended","ts":"2025-03-01T10:00:05Z","shop_id":"s1","customer_id":"c1","conversation_id":"v1"}
	]`)
	path := filepath.Join(t.TempDir(), "bad.parquet")
	writeParquet(t, path, 4, rec)
	c, err := importFile(t, conn, path, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Stored != 4 || c.DeadLettered != 2 {
		t.Fatalf("stored %d dead %d, want 4 and 2", c.Stored, c.DeadLettered)
	}
	dl := deadLetters(t, conn)
	if len(dl) != 2 || dl[0].location != path+":row 3" || dl[0].reason != ingest.ReasonWrongType || !strings.Contains(dl[0].detail, "score") ||
		dl[1].location != path+":row 5" || dl[1].reason != ingest.ReasonMissingField || !strings.Contains(dl[1].detail, "conversation_id") {
		t.Fatalf("dead letters: %+v", dl)
	}
	var score uint8
	var text, extra string
	var tsMs int64
	if err := conn.QueryRow(context.Background(), "SELECT score FROM ratings WHERE event_id = 'e4'").Scan(&score); err != nil || score != 4 {
		t.Fatalf("score %d %v", score, err)
	}
	if err := conn.QueryRow(context.Background(), "SELECT text, extra, ts_ms FROM messages WHERE event_id = 'e2'").Scan(&text, &extra, &tsMs); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text, "13812345678") || extra != `{"campaign":"double11"}` || tsMs != 1740823201250 {
		t.Fatalf("message stored as text %q extra %q ts_ms %d", text, extra, tsMs)
	}
}

// TestParquetNested: items as list<struct>, amount as decimal, ts as
// int64 epoch milliseconds, an integer id column and an unknown column.
func TestParquetNested(t *testing.T) {
	conn, _ := chtest.New(t)
	item := arrow.StructOf(arrow.Field{Name: "product_id", Type: str}, arrow.Field{Name: "sku", Type: str, Nullable: true},
		arrow.Field{Name: "qty", Type: arrow.PrimitiveTypes.Int32}, arrow.Field{Name: "price", Type: money})
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "event_id", Type: str}, {Name: "type", Type: str}, {Name: "ts", Type: arrow.PrimitiveTypes.Int64},
		{Name: "shop_id", Type: str}, {Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "order_id", Type: str}, {Name: "status", Type: str}, {Name: "amount", Type: money, Nullable: true},
		{Name: "items", Type: arrow.ListOf(item), Nullable: true}, {Name: "warehouse", Type: str, Nullable: true},
	}, nil)
	rec := record(t, sc, `[
	 {"event_id":"o1","type":"order","ts":1740823200000,"shop_id":"s1","customer_id":42,"order_id":"A1","status":"created","amount":"129.90",
	  "items":[{"product_id":"p1","sku":"red-M","qty":2,"price":"49.95"},{"product_id":"p2","qty":1,"price":"30.00"}],"warehouse":"hz"},
	 {"event_id":"o2","type":"order","ts":1740823260000,"shop_id":"s1","customer_id":42,"order_id":"A1","status":"paid","amount":"129.90"},
	 {"event_id":"o3","type":"order","ts":1740823320000,"shop_id":"s1","customer_id":42,"order_id":"A1","status":"shipped","amount":"129.90"}
	]`)
	path := filepath.Join(t.TempDir(), "orders.parquet")
	writeParquet(t, path, 1000, rec)
	c, err := importFile(t, conn, path, Parquet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Stored != 2 || c.DeadLettered != 1 {
		t.Fatalf("stored %d dead %d", c.Stored, c.DeadLettered)
	}
	var (
		cust, amount, extra string
		pids, skus          []string
		qtys                []uint32
		prices              []string
	)
	err = conn.QueryRow(context.Background(), `SELECT customer_id, toString(amount), item_product_ids, item_skus, item_qtys,
		arrayMap(x -> toString(x), item_prices), extra FROM orders WHERE event_id = 'o1'`).Scan(&cust, &amount, &pids, &skus, &qtys, &prices, &extra)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cust, amount, pids, skus, qtys, prices, extra)
	want := fmt.Sprint("42", "129.90", []string{"p1", "p2"}, []string{"red-M", ""}, []uint32{2, 1}, []string{"49.95", "30.00"}, `{"warehouse":"hz"}`)
	if got != want {
		t.Fatalf("order o1:\n got %s\nwant %s", got, want)
	}
	if dl := deadLetters(t, conn); len(dl) != 1 || dl[0].location != path+":row 3" || !strings.Contains(dl[0].detail, "shipped") {
		t.Fatalf("dead letters: %+v", dl)
	}
}

func TestParquetMissingColumn(t *testing.T) {
	conn, _ := chtest.New(t)
	sc := arrow.NewSchema(append([]arrow.Field{{Name: "ts", Type: tsMs}}, strFields("event_id", "type", "store", "customer_id", "conversation_id")...), nil)
	rec := record(t, sc, `[{"event_id":"e1","type":"conversation_started","ts":"2025-03-01T10:00:00Z","store":"s1","customer_id":"c1","conversation_id":"v1"}]`)
	path := filepath.Join(t.TempDir(), "store.parquet")
	writeParquet(t, path, 10, rec)
	_, err := importFile(t, conn, path, "", Options{})
	if err == nil || !strings.Contains(err.Error(), `missing required column "shop_id"`) || !strings.Contains(err.Error(), "--map COLUMN=shop_id") {
		t.Fatalf("want a missing shop_id error naming --map, got %v", err)
	}
	if n := count(t, conn, "conversations"); n != 0 {
		t.Fatalf("stored %d rows from a file with a missing column", n)
	}
	c, err := importFile(t, conn, path, "", Options{Map: Mapping{"store": "shop_id"}})
	if err != nil || c.Stored != 1 {
		t.Fatalf("with --map store=shop_id: %+v %v", c, err)
	}
}

// TestParquetCorrupt: a damaged row group is dead-lettered by number and
// the other row groups are stored; a file without its footer is refused.
func TestParquetCorrupt(t *testing.T) {
	conn, _ := chtest.New(t)
	sc := arrow.NewSchema(append([]arrow.Field{{Name: "ts", Type: arrow.PrimitiveTypes.Int64}}, strFields("event_id", "type", "shop_id", "customer_id", "conversation_id", "text")...), nil)
	var js strings.Builder
	js.WriteString("[")
	for i := 0; i < 3000; i++ {
		if i > 0 {
			js.WriteString(",")
		}
		fmt.Fprintf(&js, `{"event_id":"e%d","type":"conversation_started","ts":%d,"shop_id":"s%d","customer_id":"c%d","conversation_id":"v%d","text":"padding %d %s"}`,
			i, 1740823200000+int64(i)*1000, i%3, i, i, i*7919, strings.Repeat("x", i%50))
	}
	js.WriteString("]")
	dir := t.TempDir()
	path := filepath.Join(dir, "corrupt.parquet")
	writeParquet(t, path, 1000, record(t, sc, js.String()))

	// Damage the middle of row group 1's event_id column chunk (its pages'
	// compressed bytes).
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := pf.MetaData().RowGroup(1).ColumnChunk(1)
	if err != nil {
		t.Fatal(err)
	}
	off, size := cc.DataPageOffset(), cc.TotalCompressedSize()
	pf.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := off + size/3; i < off+size/3+64; i++ {
		data[i] ^= 0x5a
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := importFile(t, conn, path, "", Options{RecordRows: 256})
	var ue *UnreadableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "row group 1") {
		t.Fatalf("want an unreadable row group 1, got %v", err)
	}
	if c.Stored < 2000 || c.Stored >= 3000 || c.DeadLettered != 0 {
		t.Fatalf("stored %d (want row groups 0 and 2 at least) dead %d", c.Stored, c.DeadLettered)
	}
	for _, id := range []string{"e0", "e999", "e2000", "e2999"} {
		var n uint64
		if err := conn.QueryRow(context.Background(), "SELECT count() FROM conversations WHERE event_id = ?", id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%s stored %d times (%v)", id, n, err)
		}
	}
	dl := deadLetters(t, conn)
	if len(dl) != 1 || !strings.HasPrefix(dl[0].location, path+":row group 1 (rows ") || dl[0].reason != ReasonCorruptInput {
		t.Fatalf("dead letters: %+v", dl)
	}
	t.Logf("corrupt row group: %s: %s", dl[0].location, dl[0].detail)

	trunc := filepath.Join(dir, "truncated.parquet")
	if err := os.WriteFile(trunc, data[:len(data)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importFile(t, conn, trunc, "", Options{}); err == nil || !strings.Contains(err.Error(), "not a readable Parquet file") {
		t.Fatalf("truncated file: %v", err)
	}
}

func TestCSV(t *testing.T) {
	conn, _ := chtest.New(t)
	csv := "\ufeffevent_id,type,ts,shop_id,customer_id,conversation_id,sender,text,score,resolved,intent_confidence,campaign\n" +
		"e1,conversation_started,2025-03-01T10:00:00+08:00,s1,c1,v1,,,,,,d11\n" +
		"e2,message,1740794401000,s1,c1,v1,customer,\"有货吗, 多少钱\nsecond line\",,,0.9,\n" +
		"e3,rating,2025-03-01T10:00:02Z,s1,c1,v1,,,abc,,,\n" +
		"e4,rating,2025-03-01T10:00:03Z,s1,c1,v1,,,5,,,\n" +
		"e5,conversation_ended,2025-03-01T10:00:04Z,s1,c1,v1\n" +
		"e6,conversation_ended,2025-03-01T10:00:05Z,s1,c1,v1,,,,true,,\n" +
		"e7,message,2025-03-01T10:00:06Z,s1,c1,v1,bot,\"broken \"quote,,,,\n" +
		"e8,message,yesterday,s1,c1,v1,bot,hi,,,,\n" +
		"e9,message,2025-03-01T10:00:08Z,s1,c1,v1,bot,bye,,,,\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(csv))
	zw.Close()
	path := filepath.Join(t.TempDir(), "history.csv.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := importFile(t, conn, path, "", Options{})
	var ue *UnreadableError
	if !errors.As(err, &ue) || ue.Parts != 2 {
		t.Fatalf("want 2 malformed rows reported, got %v", err)
	}
	if c.Stored != 5 || c.DeadLettered != 2 {
		t.Fatalf("stored %d dead %d, want 5 and 2", c.Stored, c.DeadLettered)
	}
	dl := deadLetters(t, conn)
	want := []struct{ row, reason, detail string }{
		{"row 3", ingest.ReasonWrongType, "score"},
		{"row 5", ReasonMalformedRow, "6 fields, the header has 12"},
		{"row 7", ReasonMalformedRow, "quote"},
		{"row 8", ingest.ReasonBadTimestamp, "yesterday"},
	}
	if len(dl) != len(want) {
		t.Fatalf("dead letters: %+v", dl)
	}
	for i, w := range want {
		if dl[i].location != path+":"+w.row || dl[i].reason != w.reason || !strings.Contains(dl[i].detail, w.detail) {
			t.Errorf("dead letter %d: %+v, want %+v", i, dl[i], w)
		}
	}
	var text, extra string
	var conf float32
	if err := conn.QueryRow(context.Background(), "SELECT text, intent_confidence FROM messages WHERE event_id = 'e2'").Scan(&text, &conf); err != nil {
		t.Fatal(err)
	}
	if text != "有货吗, 多少钱\nsecond line" || conf != 0.9 {
		t.Fatalf("e2: %q %v", text, conf)
	}
	var resolved int8
	if err := conn.QueryRow(context.Background(), "SELECT resolved FROM conversations WHERE event_id = 'e6'").Scan(&resolved); err != nil || resolved != 1 {
		t.Fatalf("e6 resolved %d %v", resolved, err)
	}
	if err := conn.QueryRow(context.Background(), "SELECT extra FROM conversations WHERE event_id = 'e1'").Scan(&extra); err != nil || extra != `{"campaign":"d11"}` {
		t.Fatalf("e1 extra %q %v", extra, err)
	}
}

func TestArrowIPC(t *testing.T) {
	conn, _ := chtest.New(t)
	sc := arrow.NewSchema(append([]arrow.Field{{Name: "ts", Type: str}}, strFields("event_id", "type", "shop_id", "customer_id", "conversation_id", "reason")...), nil)
	rec := record(t, sc, `[
	 {"event_id":"h1","type":"handoff","ts":"2025-03-01T10:00:00+08:00","shop_id":"s1","customer_id":"c1","conversation_id":"v1","reason":"customer_request"},
	 {"event_id":"h2","type":"handoff","ts":"2025-03-01T10:00:01+08:00","shop_id":"s1","customer_id":"c1","conversation_id":"v1","reason":"bored"}
	]`)
	dir := t.TempDir()
	for _, stream := range []bool{false, true} {
		path := filepath.Join(dir, fmt.Sprintf("h%v.arrow", stream))
		f, _ := os.Create(path)
		if stream {
			w := ipc.NewWriter(f, ipc.WithSchema(sc))
			w.Write(rec)
			w.Close()
		} else {
			w, _ := ipc.NewFileWriter(f, ipc.WithSchema(sc))
			w.Write(rec)
			w.Close()
		}
		f.Close()
		c, err := importFile(t, conn, path, "", Options{})
		if err != nil || c.Stored != 1 || c.DeadLettered != 1 {
			t.Fatalf("stream %v: %+v %v", stream, c, err)
		}
	}
	if dl := deadLetters(t, conn); len(dl) != 2 || !strings.HasSuffix(dl[0].location, ":row 2") || dl[0].reason != ingest.ReasonInvalidValue {
		t.Fatalf("dead letters: %+v", dl)
	}
}
