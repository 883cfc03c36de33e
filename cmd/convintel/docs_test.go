package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/reports"
)

// docCommandRe finds a convintel command line in a code block or an inline
// code span of the documentation.
var docCommandRe = regexp.MustCompile("(?m)(?:^|`|^\\s*\\$ |&& |\\| |=\\S+ )((?:\\./)?(?:bin/)?convintel(?: [^`\\n|#;&>]*)?)")

// TestDocsCommandsParse keeps the commands the README and docs/ show
// runnable when copied: each names an existing command and only flags it
// has.
func TestDocsCommandsParse(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md")
	checked := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range codeOf(string(b)) {
			for _, m := range docCommandRe.FindAllStringSubmatch(block, -1) {
				args := strings.Fields(strings.TrimSuffix(strings.TrimSpace(m[1]), "\\"))[1:]
				if len(args) == 0 || strings.HasPrefix(args[0], "<") {
					continue
				}
				root := newRootCmd(&app{})
				cmd, rest, err := root.Find(args)
				if err == nil && !cmd.Runnable() && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
					err = fmt.Errorf("%s has no subcommand %s", cmd.CommandPath(), rest[0])
				}
				if err != nil || cmd == root && !strings.HasPrefix(args[0], "-") {
					t.Errorf("%s: %q: not a command (%v)", filepath.Base(file), m[1], err)
					continue
				}
				// A flag shown without its value ("see --summary") is
				// prose, not a command line.
				if err := cmd.ParseFlags(rest); err != nil && !strings.Contains(err.Error(), "needs an argument") {
					t.Errorf("%s: %q: %v", filepath.Base(file), m[1], err)
				}
				checked++
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d command lines: is docCommandRe still finding them?", checked)
	}
}

// codeOf returns the fenced code blocks and inline code spans of markdown.
func codeOf(md string) []string {
	var out []string
	fenced := strings.Split(md, "```")
	for i, part := range fenced {
		if i%2 == 1 {
			out = append(out, part)
			continue
		}
		spans := strings.Split(part, "`")
		for j := 1; j < len(spans); j += 2 {
			out = append(out, spans[j])
		}
	}
	return out
}

// TestReadmeDemoDates: the days and the week the README tells a newcomer
// to look at after the demo are those the demo simulates by default.
func TestReadmeDemoDates(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	flags := newDemoCmd(&app{}).Flags()
	var o demoOptions
	for name, dst := range map[string]*int{"days": &o.days, "shops": &o.shops, "consultations-per-day": &o.rate} {
		if *dst, err = flags.GetInt(name); err != nil {
			t.Fatal(err)
		}
	}
	if o.seed, err = flags.GetUint64("seed"); err != nil {
		t.Fatal(err)
	}
	cfg, err := demoSimulation(o)
	if err != nil {
		t.Fatal(err)
	}
	first, last := cfg.Start, cfg.End().AddDate(0, 0, -1)
	for _, want := range []string{
		first.Format(time.DateOnly) + " to " + last.Format(time.DateOnly),
		"--from " + first.Format(time.DateOnly) + " --to " + last.Format(time.DateOnly),
		"--week " + reports.WeekOf(last).Week,
		"week=" + reports.WeekOf(last).Week,
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md does not say %q: the demo's days changed", want)
		}
	}
}
