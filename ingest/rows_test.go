package ingest

import (
	"testing"
	"time"
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
	if cap(r.Messages.text) < 100 {
		t.Fatal("a smaller reserve shrank the columns")
	}
}

func firstElem(col any) any {
	switch c := col.(type) {
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
