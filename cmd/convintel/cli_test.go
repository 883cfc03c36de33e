package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/dashboards"
	"github.com/convintel/convintel/reports"
)

// TestUsageErrors: a mistake in the command line exits 2 with what is
// wrong, the command's usage line and where its help is, before any server
// starts; a failure after a correct call exits 1.
func TestUsageErrors(t *testing.T) {
	clearEnv(t)
	f := func(code int, args string, wantParts ...string) {
		t.Helper()
		home := filepath.Join(t.TempDir(), "home")
		var stdout, stderr bytes.Buffer
		got := execute(context.Background(), append(strings.Fields(args), "--home", home), &stdout, &stderr, func() {})
		if got != code {
			t.Errorf("convintel %s: exit %d, want %d; stderr:\n%s", args, got, code, stderr.String())
		}
		for _, w := range wantParts {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("convintel %s: stderr does not say %q:\n%s", args, w, stderr.String())
			}
		}
		if _, err := os.Stat(filepath.Join(home, "clickhouse")); err == nil {
			t.Errorf("convintel %s started a ClickHouse under --home", args)
		}
	}
	f(2, "frobnicate", `unknown command "frobnicate"`, "Run 'convintel --help' for usage.")
	f(2, "status --frmat json", "unknown flag: --frmat", "Usage: convintel status [flags]", "Run 'convintel status --help' for usage.")
	f(2, "metrics show", "accepts 1 arg", "Usage: convintel metrics show NAME --from DATE --to DATE", "Run 'convintel metrics show --help'")
	f(2, "metrics run --from 2026-09-07", `required flag(s) "to" not set`, "Run 'convintel metrics run --help'")
	f(2, "nlp models activate", "Usage: convintel nlp models activate VERSION", "Run 'convintel nlp models activate --help'")
	f(2, "report weekly --week 2026-47 --out x.html", "2026-W47", "Run 'convintel report --help'")
	f(2, "metrics show conversion --from 2026-09-07 --to 2026-09-13 --format yaml", "use table, json or csv")
	f(2, "metrics run --from 2026-09-10 --to 2026-09-07", "--to 2026-09-07 is before --from 2026-09-10")
	f(2, "metrics show conversion --from 2026/09/07 --to 2026-09-13", `--from "2026/09/07": use YYYY-MM-DD`)
	f(2, "metrics show convertion --from 2026-09-07 --to 2026-09-13", `unknown metric "convertion": choose one of conversion,`)
	f(2, "import no-such-file.jsonl", "no-such-file.jsonl: no such file", "Usage: convintel import FILE...")
	f(2, "import history/*.jsonl.gz", "history/*.jsonl.gz: no file matches this pattern")
	f(2, "schedule --job bogus --slot 2026-11-23T09:00", `--job "bogus": choose metrics, intraday, alerts, weekly`)
	// Checked before the demo drops the previous run's database.
	f(2, "demo --days 0", "--days 0: use 1..3660")
	f(2, "demo --shops 100", "--shops 100: use 1..99")
	f(1, "status --log-level loud", "log_level")
}

// TestEveryCommandHasExamples keeps the README's promise: every command's
// --help has examples.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden && strings.TrimSpace(c.Example) == "" {
			t.Errorf("%s --help shows no example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(&app{}))
}

// TestHelpNamesEveryReportAndPage: report's usage names every report kind
// and serve's help every dashboard page, as the registries list them.
func TestHelpNamesEveryReportAndPage(t *testing.T) {
	root := newRootCmd(&app{})
	find := func(name string) *cobra.Command {
		c, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	report, serve := find("report"), find("serve")
	for _, kind := range reports.Kinds {
		if !strings.Contains(report.Use, kind) {
			t.Errorf("report usage %q does not name %s", report.Use, kind)
		}
		if !strings.Contains(report.Long, "\n  "+kind+" ") {
			t.Errorf("report --help does not describe %s", kind)
		}
	}
	for _, pg := range dashboards.Pages {
		if !strings.Contains(serve.Long, pg.Path) {
			t.Errorf("serve --help does not list %s", pg.Path)
		}
	}
}
