package main

import (
	"context"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/tabular"
)

// batchSource is what import reads from: it sends batches and closes out.
type batchSource interface {
	Run(ctx context.Context, out chan<- ingest.Batch) error
}

// importSource opens path in format ("" = from the extension).
func importSource(path, format string, mapping tabular.Mapping, rows int) (batchSource, error) {
	return tabular.Open(path, tabular.Format(format), tabular.Options{Map: mapping, Rows: rows})
}
