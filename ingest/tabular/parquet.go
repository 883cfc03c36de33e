package tabular

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/convintel/convintel/ingest"
)

// ParquetSource reads a Parquet file row group by row group, in Arrow
// records of Options.RecordRows rows, with column chunks streamed page by
// page: memory does not grow with the file or its row groups.
type ParquetSource struct {
	Path string
	Options
}

// Run implements Source. A row group that fails to decode (a corrupt page,
// a bad checksum, a truncated chunk) becomes one dead letter naming it and
// its unread rows; the other row groups are read.
func (s *ParquetSource) Run(ctx context.Context, out chan<- ingest.Batch) error {
	defer close(out)
	f, err := os.Open(s.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	var pf *file.Reader
	if err := catch(func() error {
		var err error
		pf, err = file.NewParquetReader(f, file.WithReadProps(props))
		return err
	}); err != nil {
		return fmt.Errorf("%s: not a readable Parquet file (bad or missing footer; truncated?): %w", s.Path, err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: int64(s.recordRows())}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	sc, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("%s: schema: %w", s.Path, err)
	}
	names := make([]string, sc.NumFields())
	for i, fd := range sc.Fields() {
		names[i] = fd.Name
	}
	cols, err := plan(s.Path, names, s.Map)
	if err != nil {
		return err
	}
	leaves := leafColumns(fr, cols)
	enc := &rowEncoder{cols: remap(cols)}
	b := newBatcher(ctx, out, s.Path, &s.Options)
	md := pf.MetaData()
	var row, done int64
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		n := md.RowGroup(rg).NumRows()
		read, err := s.readRowGroup(ctx, fr, leaves, rg, row, enc, b)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if derr := b.reject(fmt.Sprintf("%s:row group %d (rows %d..%d)", s.Path, rg, row+read+1, row+n), ReasonCorruptInput,
				fmt.Sprintf("row group %d of %d cannot be decoded after %d of its %d rows (%v); its remaining %d rows are not imported",
					rg, pf.NumRowGroups(), read, n, err, n-read), nil); derr != nil {
				return derr
			}
		}
		row += n
		done += md.RowGroup(rg).TotalCompressedSize()
		if s.Progress != nil {
			s.Progress(done)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return b.err()
}

// readRowGroup sends the rows of row group rg (whose first row is number
// first+1) and returns how many it read.
func (s *ParquetSource) readRowGroup(ctx context.Context, fr *pqarrow.FileReader, leaves []int, rg int, first int64, enc *rowEncoder, b *batcher) (read int64, err error) {
	err = catch(func() error {
		rr, err := fr.GetRecordReader(ctx, leaves, []int{rg})
		if err != nil {
			return err
		}
		defer rr.Release()
		for rr.Next() {
			rec := rr.Record()
			if err := sendRecord(rec, first+read, enc, b); err != nil {
				return err
			}
			read += rec.NumRows()
		}
		if err := rr.Err(); err != nil && err != io.EOF {
			return err
		}
		return nil
	})
	return read, err
}

// sendRecord encodes and batches every row of rec; row numbers start
// after first.
func sendRecord(rec arrow.Record, first int64, enc *rowEncoder, b *batcher) error {
	arrs := rec.Columns()
	for i := 0; i < int(rec.NumRows()); i++ {
		if detail := enc.wrongType(arrs, i); detail != "" {
			// Said here, where the column's type is known: the decoder
			// would only see invalid UTF-8.
			if err := b.reject(b.location(first+int64(i)+1), ingest.ReasonWrongType, detail, nil); err != nil {
				return err
			}
			continue
		}
		if err := b.add(first+int64(i)+1, func(buf []byte) []byte { return enc.encode(buf, arrs, i) }); err != nil {
			return err
		}
	}
	return nil
}

// leafColumns returns the Parquet leaf columns of the planned fields, so
// dropped columns are not read.
func leafColumns(fr *pqarrow.FileReader, cols []column) []int {
	var leaves []int
	var walk func(f *pqarrow.SchemaField)
	walk = func(f *pqarrow.SchemaField) {
		if f.IsLeaf() {
			leaves = append(leaves, f.ColIndex)
		}
		for i := range f.Children {
			walk(&f.Children[i])
		}
	}
	for _, c := range cols {
		walk(&fr.Manifest.Fields[c.idx])
	}
	return leaves
}

// remap renumbers planned columns to their position among the columns
// read (the record holds only those, in file order).
func remap(cols []column) []column {
	out := append([]column(nil), cols...)
	for i := range out {
		out[i].idx = i
	}
	return out
}

// catch runs f, turning a panic in a decoder (which corrupt input can
// provoke) into an error.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder failed: %v", r)
		}
	}()
	return f()
}
