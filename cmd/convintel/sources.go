package main

import (
	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/tabular"
)

// importSource opens path in format ("" = from the extension).
func importSource(path, format string, mapping tabular.Mapping, rows int) (ingest.Source, error) {
	return tabular.Open(path, tabular.Format(format), tabular.Options{Map: mapping, Rows: rows})
}
