// Package docs carries the two documents every page's footer points a
// reader to: the metric definitions (metrics.md) and the event contract
// (events.md). They are embedded so that `convintel serve` can show them
// from the binary, with no network and no checkout.
package docs

import "embed"

//go:embed metrics.md events.md
var files embed.FS

// Contract returns the document name (metrics.md or events.md), false for
// any other name.
func Contract(name string) ([]byte, bool) {
	if name != "metrics.md" && name != "events.md" {
		return nil, false
	}
	b, err := files.ReadFile(name)
	return b, err == nil
}
