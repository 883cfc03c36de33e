package simulate

import (
	"encoding/json"
	"strings"
	"testing"
)

// An empty run is still a valid tally with empty (not null) row lists.
func TestEmptyRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Days = 2
	cfg.ConsultationsPerShopDay = 0
	lines, tl := collect(t, cfg)
	if len(lines) != 0 || tl.Events != 0 {
		t.Fatalf("got %d lines", len(lines))
	}
	b, _ := json.Marshal(tl)
	if strings.Contains(string(b), "null") {
		t.Fatalf("null in %s", b)
	}
}
