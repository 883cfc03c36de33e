package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// Format is an output file format.
type Format string

// Formats.
const (
	Parquet Format = "parquet"
	CSV     Format = "csv"
	Arrow   Format = "arrow" // Arrow IPC file (Feather v2)
)

// ParseFormat accepts a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Parquet, CSV, Arrow:
		return f, nil
	case "ipc", "feather":
		return Arrow, nil
	}
	return "", fmt.Errorf("format %q: use parquet, csv or arrow", s)
}

// recordWriter writes record batches of one schema to a file.
type recordWriter interface {
	Write(rec arrow.Record) error
	Close() error
}

func newRecordWriter(f Format, sc *arrow.Schema, w *os.File) (recordWriter, error) {
	switch f {
	case Parquet:
		props := parquet.NewWriterProperties(
			parquet.WithCompression(compress.Codecs.Zstd),
			parquet.WithDictionaryDefault(true),
			parquet.WithMaxRowGroupLength(batchRows),
		)
		// WithStoreSchema keeps the Arrow types (tz, decimal) exact for
		// Arrow-based readers; others read the Parquet logical types.
		// The Parquet writer closes a sink that is an io.Closer; the caller
		// closes (and renames) the file.
		return pqarrow.NewFileWriter(sc, struct{ io.Writer }{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	case Arrow:
		return ipc.NewFileWriter(w, ipc.WithSchema(sc), ipc.WithAllocator(memory.DefaultAllocator))
	case CSV:
		return newCSVWriter(sc, w), nil
	}
	return nil, fmt.Errorf("format %q: use parquet, csv or arrow", f)
}

// csvWriter writes a header and one line per row. Values are written so
// that import reads them back: timestamps RFC 3339 in UTC with
// milliseconds, dates 2006-01-02, decimals with their scale (12.30),
// lists and structs as JSON, nulls as empty cells.
type csvWriter struct {
	bw     *bufio.Writer
	cw     *csv.Writer
	sc     *arrow.Schema
	header bool
	line   []string
	buf    []byte
}

func newCSVWriter(sc *arrow.Schema, w io.Writer) *csvWriter {
	bw := bufio.NewWriterSize(w, 1<<20)
	return &csvWriter{bw: bw, cw: csv.NewWriter(bw), sc: sc, line: make([]string, sc.NumFields())}
}

func (c *csvWriter) Write(rec arrow.Record) error {
	if !c.header {
		for i, f := range c.sc.Fields() {
			c.line[i] = f.Name
		}
		if err := c.cw.Write(c.line); err != nil {
			return err
		}
		c.header = true
	}
	cols := rec.Columns()
	for r := 0; r < int(rec.NumRows()); r++ {
		for i, col := range cols {
			c.line[i] = c.cell(col, r)
		}
		if err := c.cw.Write(c.line); err != nil {
			return err
		}
	}
	return c.cw.Error()
}

func (c *csvWriter) cell(arr arrow.Array, i int) string {
	if arr.IsNull(i) {
		return ""
	}
	switch a := arr.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	case *array.Float32:
		return strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	case *array.Timestamp:
		return time.UnixMilli(int64(a.Value(i))).UTC().Format("2006-01-02T15:04:05.000Z")
	case *array.Date32:
		return a.Value(i).ToTime().Format(time.DateOnly)
	case *array.Decimal128:
		return formatCents(int64(a.Value(i).LowBits()))
	}
	c.buf = appendJSON(c.buf[:0], arr, i)
	return string(c.buf)
}

func (c *csvWriter) Close() error {
	if !c.header {
		if err := c.Write(array.NewRecord(c.sc, nil, 0)); err != nil {
			return err
		}
	}
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// formatCents writes cents as a decimal with two places.
func formatCents(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// appendJSON writes a list or struct value as JSON (for CSV cells).
func appendJSON(buf []byte, arr arrow.Array, i int) []byte {
	if arr.IsNull(i) {
		return append(buf, "null"...)
	}
	switch a := arr.(type) {
	case *array.String:
		return appendJSONString(buf, a.Value(i))
	case *array.Int64:
		return strconv.AppendInt(buf, a.Value(i), 10)
	case *array.Decimal128:
		return append(buf, formatCents(int64(a.Value(i).LowBits()))...)
	case *array.List:
		start, end := a.ValueOffsets(i)
		buf = append(buf, '[')
		for j := start; j < end; j++ {
			if j > start {
				buf = append(buf, ',')
			}
			buf = appendJSON(buf, a.ListValues(), int(j))
		}
		return append(buf, ']')
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		buf = append(buf, '{')
		for f := 0; f < a.NumField(); f++ {
			if f > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, st.Field(f).Name)
			buf = append(buf, ':')
			buf = appendJSON(buf, a.Field(f), i)
		}
		return append(buf, '}')
	}
	return appendJSONString(buf, arr.ValueStr(i))
}

// appendJSONString appends s as a JSON string (strconv.Quote's \x and \U
// escapes are not JSON).
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c < 0x20:
			buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}
