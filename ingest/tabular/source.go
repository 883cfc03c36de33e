package tabular

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/convintel/convintel/ingest"
)

// Format is a file format import reads.
type Format string

// Formats.
const (
	JSONL   Format = "jsonl"
	Parquet Format = "parquet"
	CSV     Format = "csv"
	Arrow   Format = "arrow" // Arrow IPC, file or stream
)

// ParseFormat accepts a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case JSONL, Parquet, CSV, Arrow:
		return f, nil
	case "json", "ndjson":
		return JSONL, nil
	case "ipc", "feather":
		return Arrow, nil
	}
	return "", fmt.Errorf("format %q: use jsonl, parquet, csv or arrow", s)
}

// DetectFormat names the format of path from its extension.
func DetectFormat(path string) (Format, error) {
	name := strings.ToLower(filepath.Base(path))
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".parquet", ".pq":
		return Parquet, nil
	case ".csv":
		return CSV, nil
	case ".arrow", ".ipc", ".feather", ".arrows":
		return Arrow, nil
	case ".jsonl", ".json", ".ndjson":
		return JSONL, nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the name; use --format jsonl|parquet|csv|arrow", path)
}

// Reasons of the dead letters a source writes itself (rows the pipeline
// never sees because they could not be read as rows).
const (
	ReasonMalformedRow = "malformed_row" // a CSV line with the wrong number of fields or bad quoting
	ReasonCorruptInput = "corrupt_input" // a Parquet row group or Arrow batch that cannot be decoded
)

// Options are common to every source.
type Options struct {
	// Rows is the number of events per pipeline batch (default 20 000).
	Rows int
	// RecordRows is the number of rows per Arrow record read from Parquet
	// (default 8192): with Rows, it bounds memory whatever the file size.
	RecordRows int
	// Map renames columns to contract fields.
	Map Mapping
	// DeadLetters stores what a source rejects before the pipeline (corrupt
	// row groups, malformed CSV lines). Nil: they are only reported in
	// Run's error.
	DeadLetters func(ctx context.Context, dls []ingest.DeadLetter) error
	// Progress is called with the bytes of the file read so far.
	Progress func(n int64)
}

func (o Options) rows() int {
	if o.Rows <= 0 {
		return 20_000
	}
	return o.Rows
}

func (o Options) recordRows() int {
	if o.RecordRows <= 0 {
		return 8192
	}
	return o.RecordRows
}

// Source reads one file and sends its rows as batches.
type Source interface {
	// Run reads the file to its end (or ctx's end), then closes out. The
	// error, if any, lists what could not be read; the rest was sent.
	Run(ctx context.Context, out chan<- ingest.Batch) error
}

// Open returns the source for path in format f (detected from the name
// when empty). JSONL files use ingest.JSONLSource.
func Open(path string, f Format, o Options) (Source, error) {
	if f == "" {
		var err error
		if f, err = DetectFormat(path); err != nil {
			return nil, err
		}
	}
	switch f {
	case Parquet:
		return &ParquetSource{Path: path, Options: o}, nil
	case CSV:
		return &CSVSource{Path: path, Options: o}, nil
	case Arrow:
		return &ArrowSource{Path: path, Options: o}, nil
	case JSONL:
		return &ingest.JSONLSource{Path: path, Rows: o.Rows, Progress: o.Progress}, nil
	}
	return nil, fmt.Errorf("format %q: use jsonl, parquet, csv or arrow", f)
}

// WriteDeadLetters returns an Options.DeadLetters that stores dead letters
// in ClickHouse through w, beside the pipeline's.
func WriteDeadLetters(w *ingest.Writer) func(ctx context.Context, dls []ingest.DeadLetter) error {
	return func(ctx context.Context, dls []ingest.DeadLetter) error {
		rows := new(ingest.Rows)
		now := time.Now()
		for _, d := range dls {
			rows.AddDeadLetter(d, now)
		}
		return w.Write(ctx, rows)
	}
}

// batcher collects encoded rows into batches of at most rows records.
type batcher struct {
	ctx   context.Context
	out   chan<- ingest.Batch
	path  string
	rows  int
	b     ingest.Batch
	buf   []byte
	last  int // bytes of the previous batch, to size buf
	opt   *Options
	probs []error // unreadable parts, for Run's error
	dead  int
}

func newBatcher(ctx context.Context, out chan<- ingest.Batch, path string, o *Options) *batcher {
	return &batcher{ctx: ctx, out: out, path: path, rows: o.rows(), opt: o}
}

// location names row (1-based) of the file.
func (b *batcher) location(row int64) string {
	return b.path + ":row " + strconv.FormatInt(row, 10)
}

// add appends the row that encode writes; it sends a full batch.
func (b *batcher) add(row int64, encode func(buf []byte) []byte) error {
	if b.buf == nil {
		b.buf = make([]byte, 0, max(b.last+b.last/8, 1<<16))
	}
	start := len(b.buf)
	b.buf = encode(b.buf)
	v := b.buf[start:len(b.buf):len(b.buf)]
	b.b.Records = append(b.b.Records, ingest.Record{Value: v, Source: "import", Location: b.location(row)})
	b.b.Bytes += len(v)
	if len(b.b.Records) >= b.rows {
		return b.flush()
	}
	return nil
}

// flush sends what is collected.
func (b *batcher) flush() error {
	if len(b.b.Records) == 0 {
		return nil
	}
	select {
	case b.out <- b.b:
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
	b.last = len(b.buf)
	b.b, b.buf = ingest.Batch{}, nil
	return nil
}

// reject records an unreadable part of the file: a dead letter when the
// source has somewhere to put it, and a line of Run's error.
func (b *batcher) reject(location, reason, detail string, raw []byte) error {
	d := ingest.DeadLetter{Source: "import", Location: location, Reason: reason, Detail: detail, Raw: raw}.Masked()
	detail = d.Detail
	b.dead++
	if len(b.probs) < 20 {
		b.probs = append(b.probs, fmt.Errorf("%s: %s", location, detail))
	} else if len(b.probs) == 20 {
		b.probs = append(b.probs, errors.New("… (more; see dead_letters)"))
	}
	if b.opt.DeadLetters == nil {
		return nil
	}
	return b.opt.DeadLetters(b.ctx, []ingest.DeadLetter{d})
}

// err returns the unreadable parts as one error, or nil.
func (b *batcher) err() error {
	if len(b.probs) == 0 {
		return nil
	}
	return &UnreadableError{Path: b.path, Parts: b.dead, Errs: b.probs}
}

// UnreadableError lists the parts of a file that could not be read; the
// rest of the file was imported.
type UnreadableError struct {
	Path  string
	Parts int
	Errs  []error
}

func (e *UnreadableError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d unreadable part(s) dead-lettered, the rest was imported:", e.Path, e.Parts)
	for _, err := range e.Errs {
		sb.WriteString("\n  ")
		sb.WriteString(err.Error())
	}
	return sb.String()
}
