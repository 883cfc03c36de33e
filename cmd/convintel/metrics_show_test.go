package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestWriteRowsNoValue: a field without a value prints – in the table (as
// the reports print it), an empty CSV cell and JSON null; a real 0 stays 0.
func TestWriteRowsNoValue(t *testing.T) {
	rows := []metrics.Row{{{Key: "shop_id", Value: "s1"}, {Key: "order_rate", Value: 0.0}, {Key: "handoff_rate", Value: nil}}}
	f := func(format, want string) {
		t.Helper()
		var b bytes.Buffer
		if err := writeRows(&b, format, rows); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != want {
			t.Errorf("%s:\n%q\nwant\n%q", format, got, want)
		}
	}
	f("table", "shop_id  order_rate  handoff_rate\ns1       0           –\n")
	f("csv", "shop_id,order_rate,handoff_rate\ns1,0,\n")
	f("json", "[\n  {\n    \"shop_id\": \"s1\",\n    \"order_rate\": 0,\n    \"handoff_rate\": null\n  }\n]\n")
}

// TestShowRateWithoutDenominator: `metrics show service` printed 0 for the
// bot's handoff, containment and fallback rates of a shop whose every
// consultation an agent answered, and for its CSAT with no rating, as if
// the bot had handed nobody over and every rated buyer was unhappy. They
// print – (table), an empty cell (CSV) and null (JSON); the conversion's
// order rate over a consulting buyer who did not order stays 0.
func TestShowRateWithoutDenominator(t *testing.T) {
	dsn := chtest.DSN(t)
	clearEnv(t)
	const t0 = int64(1793584800000) // 2026-11-02 10:00 Asia/Shanghai
	ev := func(id string, ms int64, fields string) string {
		return fmt.Sprintf(`{"event_id":"%s","ts":%d,"shop_id":"s1","channel":"taobao","customer_id":"c1","conversation_id":"v1",%s}`, id, t0+ms, fields)
	}
	lines := []string{
		ev("e1", 0, `"type":"conversation_started"`),
		ev("e2", 1000, `"type":"message","sender":"customer","text":"有货吗","intent":"product_info"`),
		ev("e3", 20000, `"type":"message","sender":"agent","agent_id":"agent-1","text":"有的"`),
	}
	path := filepath.Join(t.TempDir(), "agent-only.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "--quiet", "--clickhouse", dsn, path},
		{"metrics", "run", "--from", "2026-11-02", "--to", "2026-11-02", "--clickhouse", dsn},
	} {
		if out, err := runCLI(t, args...); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	show := func(metric, format string) string {
		t.Helper()
		out, err := runCLI(t, "metrics", "show", metric, "--from", "2026-11-02", "--to", "2026-11-02", "--format", format, "--clickhouse", dsn)
		if err != nil {
			t.Fatalf("show %s: %v\n%s", metric, err, out)
		}
		return out
	}
	none := []string{"handoff_rate", "containment_rate", "fallback_rate", "csat"}

	var rows []map[string]any
	if err := json.Unmarshal([]byte(show("service", "json")), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("service json: %v, %d rows", err, len(rows))
	}
	if rows[0]["consultations"] != 1.0 || rows[0]["bot_consultations"] != 0.0 {
		t.Fatalf("the fixture is not one consultation without the bot: %v", rows[0])
	}
	for _, k := range none {
		if v, ok := rows[0][k]; !ok || v != nil {
			t.Errorf("json %s = %v (present %v), want null", k, v, ok)
		}
	}
	cells := func(out, sep string) map[string]string {
		ls := strings.Split(strings.TrimSpace(out), "\n")
		if len(ls) != 2 {
			t.Fatalf("want a header and one row:\n%s", out)
		}
		split := func(s string) []string {
			if sep == "" {
				return strings.Fields(s)
			}
			return strings.Split(s, sep)
		}
		h, v := split(ls[0]), split(ls[1])
		if len(h) != len(v) {
			t.Fatalf("%d headers, %d cells:\n%s", len(h), len(v), out)
		}
		m := map[string]string{}
		for i := range h {
			m[h[i]] = v[i]
		}
		return m
	}
	table, csv := cells(show("service", "table"), ""), cells(show("service", "csv"), ",")
	for _, k := range none {
		if table[k] != "–" {
			t.Errorf("table %s = %q, want –", k, table[k])
		}
		if csv[k] != "" {
			t.Errorf("csv %s = %q, want empty", k, csv[k])
		}
	}
	if conv := cells(show("conversion", "table"), ""); conv["consulting_buyers"] != "1" || conv["order_rate"] != "0" {
		t.Errorf("conversion: consulting_buyers %q, order_rate %q; want 1 and 0 (a rate over a buyer)", conv["consulting_buyers"], conv["order_rate"])
	}
}
