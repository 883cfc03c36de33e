package tabular

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/convintel/convintel/ingest"
)

// ArrowSource reads an Arrow IPC file ("ARROW1" magic, random access) or
// stream, one record batch at a time: memory holds one of the file's
// record batches and one pipeline batch.
type ArrowSource struct {
	Path string
	Options
}

// Run implements Source. A record batch that cannot be decoded is
// dead-lettered with the row number it would have started at; a file can
// go on after it, a stream cannot (its framing is lost).
func (s *ArrowSource) Run(ctx context.Context, out chan<- ingest.Batch) error {
	defer close(out)
	f, err := os.Open(s.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	magic := make([]byte, 6)
	_, _ = f.ReadAt(magic, 0)
	b := newBatcher(ctx, out, s.Path, &s.Options)
	var enc *rowEncoder
	prepare := func(sc *arrow.Schema) error {
		names := make([]string, sc.NumFields())
		for i, fd := range sc.Fields() {
			names[i] = fd.Name
		}
		cols, err := plan(s.Path, names, s.Map)
		enc = &rowEncoder{cols: cols}
		return err
	}
	var row int64
	if string(magic) == "ARROW1" {
		var r *ipc.FileReader
		if err := catch(func() (err error) {
			r, err = ipc.NewFileReader(f, ipc.WithAllocator(memory.DefaultAllocator))
			return err
		}); err != nil {
			return fmt.Errorf("%s: not a readable Arrow IPC file (bad footer; truncated?): %w", s.Path, err)
		}
		defer r.Close()
		if err := prepare(r.Schema()); err != nil {
			return err
		}
		for i := 0; i < r.NumRecords(); i++ {
			var rec arrow.Record
			err := catch(func() (err error) {
				rec, err = r.RecordAt(i)
				return err
			})
			if err != nil {
				if err := b.reject(fmt.Sprintf("%s:record batch %d (from row %d)", s.Path, i, row+1), ReasonCorruptInput,
					fmt.Sprintf("record batch %d of %d cannot be decoded (%v); its rows are not imported and rows after it are numbered without them", i, r.NumRecords(), err), nil); err != nil {
					return err
				}
				continue
			}
			err = sendRecord(rec, row, enc, b)
			row += rec.NumRows()
			rec.Release()
			if err != nil {
				return err
			}
		}
	} else {
		cr := &ingest.CountingReader{R: f}
		var r *ipc.Reader
		if err := catch(func() (err error) {
			r, err = ipc.NewReader(bufio.NewReaderSize(cr, 1<<20), ipc.WithAllocator(memory.DefaultAllocator))
			return err
		}); err != nil {
			return fmt.Errorf("%s: not an Arrow IPC file or stream: %w", s.Path, err)
		}
		defer r.Release()
		if err := prepare(r.Schema()); err != nil {
			return err
		}
		for {
			var more bool
			err := catch(func() error {
				more = r.Next()
				return r.Err()
			})
			if err != nil {
				if err := b.reject(fmt.Sprintf("%s:rows %d..", s.Path, row+1), ReasonCorruptInput,
					fmt.Sprintf("the stream cannot be decoded from row %d on (%v); the rest of the file is not imported", row+1, err), nil); err != nil {
					return err
				}
				break
			}
			if !more {
				break
			}
			rec := r.Record()
			if err := sendRecord(rec, row, enc, b); err != nil {
				return err
			}
			row += rec.NumRows()
			if s.Progress != nil {
				s.Progress(cr.N)
			}
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	return b.err()
}
