package ingest

import (
	"testing"
	"time"
)

// TestStringColumnSizes: the sizes a Writer publishes before an INSERT are
// the exact rows and bytes of each string column over every part, keyed by
// the INSERT's column names, and the provider sizes columns only while they
// are published.
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
	sizes := stringSizes(parts)
	for name, want := range map[string]colSize{"event_id": {3, 9}, "shop_id": {3, 8}, "text": {3, len("包邮吗") + 2}, "agent_id": {3, 0}} {
		if got := sizes[name]; got != want {
			t.Errorf("%s: %+v, want %+v", name, got, want)
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
