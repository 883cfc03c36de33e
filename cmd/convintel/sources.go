package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/convintel/convintel/ingest"
)

// batchSource is what import reads from: it sends batches and closes out.
type batchSource interface {
	Run(ctx context.Context, out chan<- ingest.Batch) error
}

// importSource opens path in format ("" = from the extension).
func importSource(path, format string, mapping map[string]string, rows int) (batchSource, error) {
	if format == "" {
		format = formatOf(path)
	}
	switch format {
	case "jsonl", "json":
		return &ingest.JSONLSource{Path: path, Rows: rows}, nil
	}
	return nil, fmt.Errorf("%s: format %q is not supported (use --format jsonl)", path, format)
}

func formatOf(path string) string {
	p := strings.TrimSuffix(strings.ToLower(path), ".gz")
	switch filepath.Ext(p) {
	case ".parquet":
		return "parquet"
	case ".csv":
		return "csv"
	case ".arrow", ".ipc":
		return "arrow"
	}
	return "jsonl"
}

// benchImportFormats converts the bench's JSONL file into further formats.
var benchImportFormats = map[string]func(jsonlPath, outPath string) error{}
