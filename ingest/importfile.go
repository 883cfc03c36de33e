package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
)

// CountingReader counts bytes read, for progress bars.
type CountingReader struct {
	R io.Reader
	N int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

// OpenMaybeGzip returns a reader over f's content, gunzipped when it
// starts with the gzip magic bytes (whatever its name).
func OpenMaybeGzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

// JSONLSource reads JSON lines from a file and sends batches. A line over
// MaxEventBytes is not held in memory whole: its first bytes go to the
// dead letters and the rest is skipped.
type JSONLSource struct {
	Path     string
	Rows     int
	Progress func(n int64) // bytes of the file read so far
}

// Run reads the file to its end (or ctx's end) and closes out.
func (s *JSONLSource) Run(ctx context.Context, out chan<- Batch) error {
	defer close(out)
	f, err := os.Open(s.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &CountingReader{R: f}
	r, err := OpenMaybeGzip(cr)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Path, err)
	}
	rows := s.Rows
	if rows <= 0 {
		rows = 20_000
	}
	br := bufio.NewReaderSize(r, 1<<20)
	// A UTF-8 byte order mark (Windows editors write one) is not part of
	// the first event.
	if bom, err := br.Peek(3); err == nil && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF {
		_, _ = br.Discard(3)
	}
	var b Batch
	line := 0
	send := func() bool {
		if s.Progress != nil {
			s.Progress(cr.N)
		}
		select {
		case out <- b:
			b = Batch{}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		raw, tooLong, err := readLine(br, MaxEventBytes)
		if len(raw) > 0 || tooLong {
			line++
			if !tooLong {
				raw = bytes.TrimSpace(raw)
			}
			if len(raw) > 0 {
				rec := Record{Value: raw, Source: "import", Origin: s.Path, Partition: -1, Offset: int64(line)}
				if tooLong {
					rec.Oversize = true
				}
				b.Records = append(b.Records, rec)
				b.Bytes += len(raw)
			}
		} else if err == nil {
			line++ // empty line
		}
		if len(b.Records) >= rows && !send() {
			return ctx.Err()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s line %d: %w", s.Path, line+1, err)
		}
	}
	if len(b.Records) > 0 && !send() {
		return ctx.Err()
	}
	if s.Progress != nil {
		s.Progress(cr.N)
	}
	return nil
}

// readLine returns the next line without its newline. A line longer than
// max is returned cut to MaxDeadLetterRaw bytes with tooLong set, and the
// rest of it is discarded.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, isPrefix, err := br.ReadLine()
		if len(buf)+len(chunk) > max {
			tooLong = true
		}
		if !tooLong {
			buf = append(buf, chunk...)
		} else if len(buf) < MaxDeadLetterRaw {
			buf = append(buf, chunk[:min(len(chunk), MaxDeadLetterRaw-len(buf))]...)
		}
		if err != nil {
			return buf, tooLong, err
		}
		if !isPrefix {
			return buf, tooLong, nil
		}
	}
}
