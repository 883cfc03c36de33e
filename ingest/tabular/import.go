package tabular

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/convintel/convintel/ingest"
)

// Import is a run of `convintel import`: files read one after another, each
// through its own pipeline (so a per-file dead-letter cap counts per file).
type Import struct {
	Format  Format // "" = detected per file from its name
	Options Options
	Comma   rune // CSV field separator (0 = ',')
	// NewPipeline returns the pipeline one file runs through.
	NewPipeline func() *ingest.Pipeline
	// Progress is called with the bytes read so far over all files.
	Progress func(done int64)
}

// ImportResult is what an import did: events consumed, stored and
// dead-lettered (unreadable rows included), and the files whose parts could
// not be read (the readable rest of each was stored).
type ImportResult struct {
	Counts     ingest.Counts
	Unreadable []error
}

// TotalBytes is the size of files, for a progress bar; a directory or a
// missing file is an error that says what to pass instead.
func TotalBytes(files []string) (int64, error) {
	var total int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return 0, fmt.Errorf("import: %w", err)
		}
		if st.IsDir() {
			return 0, fmt.Errorf("import: %s is a directory; pass the files (e.g. %s/*.jsonl)", f, f)
		}
		total += st.Size()
	}
	return total, nil
}

// Run imports files. A file with too many dead letters or unreadable parts
// is reported in the result and the next file follows; any other error
// stops the import.
func (im Import) Run(ctx context.Context, files []string) (ImportResult, error) {
	var res ImportResult
	var unreadableRows int64
	topt := im.Options
	if store := topt.DeadLetters; store != nil {
		topt.DeadLetters = func(ctx context.Context, dls []ingest.DeadLetter) error {
			unreadableRows += int64(len(dls))
			return store(ctx, dls)
		}
	}
	var done int64
	for _, f := range files {
		so := topt
		if im.Progress != nil {
			so.Progress = func(n int64) { im.Progress(done + n) }
		}
		src, err := Open(f, im.Format, so)
		if err != nil {
			return res, err
		}
		if cs, ok := src.(*CSVSource); ok && im.Comma != 0 {
			cs.Comma = im.Comma
		}
		p := im.NewPipeline()
		err = p.RunSource(ctx, src)
		pc := p.Counts()
		c := &res.Counts
		c.Consumed, c.Stored, c.DeadLettered = c.Consumed+pc.Consumed, c.Stored+pc.Stored, c.DeadLettered+pc.DeadLettered
		if err != nil {
			var ue *UnreadableError
			var tm *ingest.TooManyDeadLettersError
			if !errors.As(err, &tm) && !errors.As(err, &ue) {
				return res, fmt.Errorf("import: %w", err)
			}
			if tm != nil {
				err = fmt.Errorf("%s: %w (ingest.max_dead_letters_per_file = %d; see them with convintel deadletters --source import, fix the file or raise the limit)",
					f, err, tm.Limit)
			}
			res.Unreadable = append(res.Unreadable, err)
		}
		if st, err := os.Stat(f); err == nil {
			done += st.Size()
		}
	}
	res.Counts.Consumed += unreadableRows
	res.Counts.DeadLettered += unreadableRows
	return res, nil
}
