package ingest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse/chtest"
)

// TestStringColumnSizes: the sizes a Writer publishes before an INSERT are
// the exact rows and bytes of each string column in the largest of its
// blocks, keyed by the INSERT's column names, and the provider sizes
// columns only while they are published.
func TestStringColumnSizes(t *testing.T) {
	var a, b Rows
	now := time.Now()
	a.Add(&Event{Type: TypeMessage, EventID: "e1", ShopID: "shop", Text: "包邮吗"}, now)
	a.Add(&Event{Type: TypeMessage, EventID: "e22", ShopID: "shop"}, now)
	b.Add(&Event{Type: TypeMessage, EventID: "e333", Text: "ok"}, now)
	parts := []table{a.tables()[0], b.tables()[0]}
	names := insertColumns(parts[0].insert)
	if len(names) != len(parts[0].columns) || names[0] != "event_id" || names[len(names)-1] != "ingested_at" {
		t.Fatalf("columns %q do not match the %d values of the INSERT", names, len(parts[0].columns))
	}
	sizes := stringSizes(blocks(parts, 100))
	for name, want := range map[string]colSize{"event_id": {3, 9}, "shop_id": {3, 8}, "text": {3, len("包邮吗") + 2}, "agent_id": {3, 0}} {
		if got := sizes[name]; got != want {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	// In blocks of two rows: {e1, e22} then {e333}; the largest of each.
	for name, want := range map[string]colSize{"event_id": {2, 5}, "text": {2, len("包邮吗")}} {
		if got := stringSizes(blocks(parts, 2))[name]; got != want {
			t.Errorf("blocks of 2, %s: %+v, want %+v", name, got, want)
		}
	}
	if _, ok := sizes["ts"]; ok {
		t.Error("ts is not a string column")
	}
	if c := provideColStr("text"); cap(c.Buf) != 0 || cap(c.Pos) != 0 {
		t.Fatalf("outside an INSERT's preparation the provider pre-sized a column: %d bytes", cap(c.Buf))
	}
	colSizes.Store(&sizes)
	c := provideColStr("text")
	colSizes.Store(nil)
	if cap(c.Buf) != sizes["text"].bytes || cap(c.Pos) != 3 {
		t.Fatalf("text column sized %d bytes / %d rows, want %d / 3", cap(c.Buf), cap(c.Pos), sizes["text"].bytes)
	}
}

// TestBlocks: blocks cover every row of every part once, in order, in
// blocks of about equal size up to the bound, spanning parts.
func TestBlocks(t *testing.T) {
	for _, tc := range []struct {
		rows     []int
		max      int
		wantLens []int
	}{
		{[]int{20, 13}, 7, []int{7, 7, 7, 7, 5}},
		{[]int{25000, 25000}, 16384, []int{12500, 12500, 12500, 12500}},
		{[]int{0, 5}, 16384, []int{5}},
		{[]int{3}, 3, []int{3}},
		{[]int{0, 0}, 10, nil},
	} {
		parts := make([]table, len(tc.rows))
		for i, n := range tc.rows {
			parts[i].rows = n
		}
		var lens []int
		next := [2]int{} // part, row expected next
		for _, blk := range blocks(parts, tc.max) {
			n := 0
			for _, sg := range blk {
				for next[0] < len(parts) && next[1] == parts[next[0]].rows {
					next = [2]int{next[0] + 1, 0}
				}
				if sg.t != &parts[next[0]] || sg.lo != next[1] || sg.hi <= sg.lo {
					t.Fatalf("%v/%d: segment [%d,%d) out of order", tc.rows, tc.max, sg.lo, sg.hi)
				}
				next[1] = sg.hi
				n += sg.hi - sg.lo
			}
			lens = append(lens, n)
		}
		if fmt.Sprint(lens) != fmt.Sprint(tc.wantLens) {
			t.Errorf("%v in blocks of %d: %v, want %v", tc.rows, tc.max, lens, tc.wantLens)
		}
	}
}

// TestInsertInBlocks: an INSERT sent in several blocks stores every row of
// every part with its values, as one part of the table (ClickHouse squashes
// the blocks of one INSERT), so blocks cost the server no extra parts or
// merges.
func TestInsertInBlocks(t *testing.T) {
	conn, _ := chtest.New(t)
	defer func(n int) { insertBlockRows = n }(insertBlockRows)
	insertBlockRows = 7
	ctx := context.Background()
	now := time.Now()
	var a, b Rows
	var want []string
	for i := range 33 {
		r := &a
		if i >= 20 {
			r = &b
		}
		e := Event{Type: TypeMessage, EventID: fmt.Sprintf("e%02d", i), TsMs: 1762790403120 + int64(i), ShopID: "shop",
			CustomerID: "c", ConversationID: "k", Sender: SenderCustomer, Text: strings.Repeat("好", i%5), Enrichment: Enrichment{Topics: []string{"t" + strconv.Itoa(i%3)}}}
		r.Add(&e, now)
		want = append(want, fmt.Sprintf("%s %s %v", e.EventID, e.Text, e.Enrichment.Topics))
	}
	if err := NewWriter(conn, nil, nil).Write(ctx, &a, &b); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT event_id, text, topics FROM messages ORDER BY event_id")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, text string
		var topics []string
		if err := rows.Scan(&id, &text, &topics); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %v", id, text, topics))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stored\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var parts uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.parts WHERE database = currentDatabase() AND table = 'messages'").Scan(&parts); err != nil {
		t.Fatal(err)
	}
	if parts != 1 {
		t.Fatalf("33 rows in 5 blocks made %d parts, want 1", parts)
	}
}

// TestWriteFailsWithEitherLane: the messages table and the other tables
// are inserted side by side; a batch whose other tables cannot be stored
// is not written (Write keeps retrying, and reports that table's error
// when abandoned), even though its messages were accepted.
func TestWriteFailsWithEitherLane(t *testing.T) {
	conn, _ := chtest.New(t)
	ctx := context.Background()
	now := time.Now()
	var r Rows
	r.Add(&Event{Type: TypeMessage, EventID: "m1", TsMs: 1762790403120, ShopID: "s", CustomerID: "c", ConversationID: "k", Sender: SenderCustomer, Text: "在吗"}, now)
	r.Add(&Event{Type: TypeRating, EventID: "r1", TsMs: 1762790403120, ShopID: "s", CustomerID: "c", ConversationID: "k", Score: 5}, now)
	if err := conn.Exec(ctx, "RENAME TABLE ratings TO ratings_away"); err != nil {
		t.Fatal(err)
	}
	w := NewWriter(conn, nil, nil)
	w.MaxBackoff = 50 * time.Millisecond
	tctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	err := w.Write(tctx, &r)
	if err == nil || !strings.Contains(err.Error(), "into ratings") {
		t.Fatalf("Write with the ratings table missing: %v, want an abandoned insert into ratings", err)
	}
	if ok, _ := w.Healthy(); ok {
		t.Error("the writer reports healthy while a table cannot be written")
	}
	if err := conn.Exec(ctx, "RENAME TABLE ratings_away TO ratings"); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(ctx, &r); err != nil {
		t.Fatal(err)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT (SELECT count() FROM ratings) * 10 + (SELECT uniqExact(event_id) FROM messages)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 11 {
		t.Fatalf("after the retry: %d ratings ×10 + distinct messages = %d, want 11", n/10, n)
	}
}
