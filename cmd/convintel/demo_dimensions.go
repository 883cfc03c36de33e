package main

import (
	"encoding/csv"
	"os"

	"github.com/convintel/convintel/simulate"
)

// writeDemoDimensions writes the simulated shops' and products' display
// names as a dimension file (reports.dimensions_file), so the demo's
// reports show 「每日坚果混合果仁礼盒」 rather than p01-nuts, as a shop's own
// file would.
func writeDemoDimensions(path string, shops []simulate.Shop) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"kind", "id", "zh", "en"})
	for _, s := range shops {
		_ = w.Write([]string{"shop", s.ID, s.Name, s.NameEN})
		for _, p := range s.Products {
			_ = w.Write([]string{"product", p.ID, p.Name, p.NameEN})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
