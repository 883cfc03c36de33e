package main

import (
	"path/filepath"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
)

// TestDemoDimensionsNameAgents: the demo's dimension file gives every
// simulated agent a nickname of its own in both languages (the demo's QA
// page and scoreboard read agent-01-1 before), and shops and products keep
// theirs.
func TestDemoDimensionsNameAgents(t *testing.T) {
	shops := simulate.Shops(9)
	path := filepath.Join(t.TempDir(), "dimensions.csv")
	if err := writeDemoDimensions(path, shops, nil); err != nil {
		t.Fatal(err)
	}
	d, err := reports.LoadDimensions(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	n := 0
	for _, s := range shops {
		if got, ok := d.Name("shop", s.ID, "zh-CN"); !ok || got != s.Name {
			t.Errorf("shop %s: %q", s.ID, got)
		}
		// a product's English name is a catalogue's: "floral chiffon
		// dress" stood beside "West Lake Longjing green tea"
		for _, p := range s.Products {
			got, ok := d.Name("product", p.ID, "en")
			if r, _ := utf8.DecodeRuneInString(got); !ok || unicode.IsLower(r) {
				t.Errorf("product %s: English name %q does not start as a name", p.ID, got)
			}
		}
		for _, a := range s.Agents {
			n++
			for _, lang := range reports.Langs {
				got, ok := d.Name("agent", a, lang)
				if !ok || got == "" || got == a {
					t.Fatalf("agent %s has no %s name: %q", a, lang, got)
				}
				if seen[lang+got] {
					t.Errorf("two agents are called %q (%s)", got, lang)
				}
				seen[lang+got] = true
			}
		}
	}
	if n <= len(agentNicknames) {
		t.Fatalf("only %d agents: the test must pass the end of the nickname list", n)
	}
}

// TestDemoDimensionsNameExperiments: the demo's experiments page named
// its tests and arms by their ids (`limited-time-script`, `control`). The
// demo's dimension file names every simulated experiment and each of its
// arms in both languages, the names distinct within an experiment.
func TestDemoDimensionsNameExperiments(t *testing.T) {
	xs := simulate.DefaultExperiments(9)
	path := filepath.Join(t.TempDir(), "dimensions.csv")
	if err := writeDemoDimensions(path, simulate.Shops(3), xs); err != nil {
		t.Fatal(err)
	}
	d, err := reports.LoadDimensions(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) < 3 {
		t.Fatalf("%d simulated experiments", len(xs))
	}
	for _, x := range xs {
		for _, lang := range reports.Langs {
			if got, ok := d.Name("experiment", x.Name, lang); !ok || got == x.Name {
				t.Errorf("experiment %s has no %s name: %q", x.Name, lang, got)
			}
			seen := map[string]bool{}
			for _, v := range x.Variants {
				got, ok := d.Arm(x.Name, v, lang)
				if !ok || got == v || seen[got] {
					t.Errorf("experiment %s, arm %s: %s name %q (named before: %v)", x.Name, v, lang, got, seen[got])
				}
				seen[got] = true
			}
		}
	}
}
