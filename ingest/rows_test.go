package ingest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse/chtest"
)

// TestReserveMessages: after reserve(n), n messages are appended without
// any column moving (every message column was reserved), and reserving
// again for fewer keeps the columns.
func TestReserveMessages(t *testing.T) {
	var r Rows
	r.Messages.reserve(100)
	first := r.tables()[0].columns
	ptrs := make([]any, len(first))
	for i := range 100 {
		r.Add(&Event{Type: TypeMessage, EventID: "e", Text: "好", Enrichment: Enrichment{Topics: []string{"t"}}}, time.Now())
		if i == 0 {
			for j, col := range r.tables()[0].columns {
				ptrs[j] = firstElem(col)
			}
		}
	}
	for j, col := range r.tables()[0].columns {
		if firstElem(col) != ptrs[j] {
			t.Errorf("column %d moved while appending reserved rows", j)
		}
	}
	r.Reset()
	r.Messages.reserve(50)
	if cap(r.Messages.text.ends) < 100 {
		t.Fatal("a smaller reserve shrank the columns")
	}
}

func firstElem(col any) any {
	switch c := col.(type) {
	case *strCol:
		return &c.ends[0]
	case []string:
		return &c[0]
	case []int64:
		return &c[0]
	case []float32:
		return &c[0]
	case []uint8:
		return &c[0]
	case [][]string:
		return &c[0]
	}
	panic("column type")
}

// TestStrCol: a string column gives back every value, empty ones included,
// with the byte counts the writer sizes clickhouse-go's columns by, and
// views of a range that reuse the caller's storage.
func TestStrCol(t *testing.T) {
	var c strCol
	vals := []string{"", "在吗", "", "e-1", "包邮吗？😂", ""}
	for _, v := range vals {
		c.add(v)
	}
	c.addBytes([]byte("raw"))
	vals = append(vals, "raw")
	if c.len() != len(vals) {
		t.Fatalf("%d rows, want %d", c.len(), len(vals))
	}
	for i, v := range vals {
		if got := c.at(i); got != v {
			t.Errorf("row %d: %q, want %q", i, got, v)
		}
	}
	if got, want := c.bytesIn(1, 5), len("在吗")+len("e-1")+len("包邮吗？😂"); got != want {
		t.Errorf("bytesIn(1, 5) = %d, want %d", got, want)
	}
	if c.bytesIn(2, 2) != 0 || c.bytesIn(0, 1) != 0 {
		t.Error("an empty range or an empty value counts bytes")
	}
	scratch := make([]string, 0, 8)
	got := c.strings(3, 7, scratch)
	if strings.Join(got, "|") != strings.Join(vals[3:7], "|") || &got[0] != &scratch[:1][0] {
		t.Errorf("strings(3, 7) = %q (own storage: %v), want %q in the scratch", got, &got[0] == &scratch[:1][0], vals[3:7])
	}
	c.reset()
	if c.len() != 0 || len(c.data) != 0 {
		t.Fatal("reset kept rows")
	}
}

// TestDecodedMayReuseValues: once the pipeline says a batch is decoded,
// the source may overwrite its records' values (the Kafka source recycles
// their buffers) and what is stored, rows and dead letters (table and
// topic), is unchanged.
func TestDecodedMayReuseValues(t *testing.T) {
	conn, _ := chtest.New(t)
	ctx := context.Background()
	good := `{"event_id":"m-1","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","message_id":"m","sender":"customer","text":"在吗"}`
	bad := `{"event_id":"bad-1","type":"message","ts":1762790403120}`
	recs := []Record{{Value: []byte(good), Source: "kafka", Origin: "t"}, {Value: []byte(bad), Source: "kafka", Origin: "t", Offset: 1}}
	var decodedCalls, acks int
	in := make(chan Batch, 1)
	in <- Batch{Records: recs, Decoded: func() {
		decodedCalls++
		for _, r := range recs {
			for i := range r.Value {
				r.Value[i] = 'x'
			}
		}
	}, Ack: func(context.Context) error { acks++; return nil }}
	close(in)
	var sunk string // what the dead-letter topic got
	sink := func(_ context.Context, dls []DeadLetter) error {
		sunk = string(dls[0].Raw)
		return nil
	}
	if err := NewPipeline(Options{Writer: NewWriter(conn, nil, nil), Sink: sink}).Run(ctx, in); err != nil {
		t.Fatal(err)
	}
	if decodedCalls != 1 || acks != 1 {
		t.Fatalf("Decoded called %d times, Ack %d; want 1 and 1", decodedCalls, acks)
	}
	var text, raw, id string
	if err := conn.QueryRow(ctx, "SELECT text FROM messages WHERE event_id = 'm-1'").Scan(&text); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT raw, event_id FROM dead_letters").Scan(&raw, &id); err != nil {
		t.Fatal(err)
	}
	if text != "在吗" || raw != bad || id != "bad-1" || sunk != bad {
		t.Fatalf("stored text %q, dead letter %q raw %q, to the topic %q; want 在吗, bad-1, %s twice", text, id, raw, sunk, bad)
	}
}
