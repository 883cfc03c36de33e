package tabular

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestParquetWrongTypes: a file with the contract's column names but ts
// written as raw bytes is dead-lettered row by row as wrong_type naming the
// column and its type, not as invalid_utf8; binary columns holding UTF-8
// text (Parquet BYTE_ARRAY without the annotation) still import.
func TestParquetWrongTypes(t *testing.T) {
	conn, _ := chtest.New(t)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "event_id", Type: arrow.BinaryTypes.Binary}, {Name: "type", Type: arrow.BinaryTypes.String},
		{Name: "ts", Type: arrow.BinaryTypes.Binary}, {Name: "shop_id", Type: arrow.BinaryTypes.String},
		{Name: "customer_id", Type: arrow.BinaryTypes.String}, {Name: "conversation_id", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	for i, ts := range [][]byte{{0x80, 0xa3, 0xff, 0x01, 0, 0, 0, 0}, []byte("2025-03-01T10:00:00Z"), {0xff, 0xfe}} {
		b.Field(0).(*array.BinaryBuilder).Append([]byte{'e', byte('1' + i)})
		b.Field(1).(*array.StringBuilder).Append("conversation_started")
		b.Field(2).(*array.BinaryBuilder).Append(ts)
		b.Field(3).(*array.StringBuilder).Append("s1")
		b.Field(4).(*array.StringBuilder).Append("c1")
		b.Field(5).(*array.StringBuilder).Append("v1")
	}
	rec := b.NewRecord()
	path := filepath.Join(t.TempDir(), "bytes.parquet")
	writeParquet(t, path, 10, rec)
	c, _ := importFile(t, conn, path, "", Options{})
	if c.Stored != 1 {
		t.Fatalf("stored %d, want the one row whose binary ts is text", c.Stored)
	}
	dl := deadLetters(t, conn)
	if len(dl) != 2 {
		t.Fatalf("dead letters: %+v", dl)
	}
	for _, d := range dl {
		if d.reason != ingest.ReasonWrongType || !strings.Contains(d.detail, `column "ts"`) || !strings.Contains(d.detail, "binary") {
			t.Fatalf("dead letter %+v: want wrong_type naming column ts and its binary type", d)
		}
	}
}
