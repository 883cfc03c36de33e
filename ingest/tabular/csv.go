package tabular

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/convintel/convintel/ingest"
)

// CSVSource reads a CSV file (plain or gzip, detected from the content)
// with a header line naming the columns. Every cell is text: a cell is
// converted to the JSON type its field needs when it can be (score "4" is
// the number 4) and passed on as a string otherwise, so the decoder
// rejects it exactly as it would in JSONL. An empty cell is an absent
// field. Memory holds one batch of rows.
type CSVSource struct {
	Path string
	Options
	// Comma is the field delimiter (default ',').
	Comma rune
}

// Run implements Source. A line with the wrong number of fields or broken
// quoting is dead-lettered as "file:row N" (N counts data rows, the header
// is row 0); the rows around it are read.
func (s *CSVSource) Run(ctx context.Context, out chan<- ingest.Batch) error {
	defer close(out)
	f, err := os.Open(s.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &ingest.CountingReader{R: f}
	r, err := ingest.OpenMaybeGzip(cr)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	cv := csv.NewReader(r)
	cv.FieldsPerRecord = -1
	cv.ReuseRecord = true
	if s.Comma != 0 {
		cv.Comma = s.Comma
	}
	header, err := cv.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: header line: %w", s.Path, err)
	}
	names := append([]string(nil), header...)
	if len(names) > 0 {
		names[0] = strings.TrimPrefix(names[0], "\ufeff")
	}
	cols, err := plan(s.Path, names, s.Map)
	if err != nil {
		return err
	}
	enc := &rowEncoder{cols: cols}
	b := newBatcher(ctx, out, s.Path, &s.Options)
	var row int64
	for {
		rec, err := cv.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("%s: row %d: %w", s.Path, row, err)
			}
			if err := b.reject(b.location(row), ReasonMalformedRow, fmt.Sprintf("line %d: %v", pe.StartLine, pe.Err), rawLine(rec)); err != nil {
				return err
			}
			continue
		}
		if len(rec) != len(names) {
			if err := b.reject(b.location(row), ReasonMalformedRow, fmt.Sprintf("row has %d fields, the header has %d", len(rec), len(names)), rawLine(rec)); err != nil {
				return err
			}
			continue
		}
		if err := b.add(row, func(buf []byte) []byte { return enc.encodeText(buf, rec) }); err != nil {
			return err
		}
		if row%65536 == 0 && s.Progress != nil {
			s.Progress(cr.N)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	if s.Progress != nil {
		s.Progress(cr.N)
	}
	return b.err()
}

// encodeText appends a row of text cells as the contract JSON object.
func (r *rowEncoder) encodeText(buf []byte, rec []string) []byte {
	buf = append(buf, '{')
	n := 0
	for c := range r.cols {
		col := &r.cols[c]
		s := rec[col.idx]
		if col.kind == kindExtra {
			var w int
			buf, w = r.text.appendExtra(buf, s, n > 0)
			n += w
			continue
		}
		mark := len(buf)
		if n > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, col.key...)
		out := r.text.append(buf, col.kind, s)
		if out == nil {
			buf = buf[:mark]
			continue
		}
		buf = out
		n++
	}
	return append(buf, '}')
}

// rawLine re-encodes the fields of a rejected line for the dead letter.
func rawLine(rec []string) []byte {
	var bb bytes.Buffer
	w := csv.NewWriter(&bb)
	_ = w.Write(rec)
	w.Flush()
	return bytes.TrimRight(bb.Bytes(), "\n")
}
