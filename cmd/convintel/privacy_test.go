package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestForgetAndRetention: forget removes a buyer's events, dead letters
// and consultation rows, leaves an audit row with a salted hash, and the
// metrics recomputed afterwards equal those of the same data imported
// without that buyer; retention drops only partitions past the setting.
func TestForgetAndRetention(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	sim := filepath.Join(dir, "sim.jsonl")
	if _, err := runCLI(t, "simulate", "--out", sim, "--days", "4", "--shops", "1", "--consultations-per-day", "30", "--seed", "7"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(sim)
	if err != nil {
		t.Fatal(err)
	}
	// The buyer to forget: the first one with a paid order.
	var shop, cust string
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	for _, l := range lines {
		var ev map[string]any
		if json.Unmarshal(l, &ev) == nil && ev["type"] == "order" && ev["status"] == "paid" {
			shop, cust = ev["shop_id"].(string), ev["customer_id"].(string)
			break
		}
	}
	if cust == "" {
		t.Fatal("no paid order in the simulation")
	}
	var without [][]byte
	for _, l := range lines {
		if !bytes.Contains(l, []byte(`"customer_id":"`+cust+`"`)) {
			without = append(without, l)
		}
	}
	// A dead letter naming the buyer.
	dl := []byte(`{"event_id":"x1","type":"message","ts":"bad","shop_id":"` + shop + `","customer_id":"` + cust + `"}`)
	withFile, withoutFile := filepath.Join(dir, "with.jsonl"), filepath.Join(dir, "without.jsonl")
	os.WriteFile(withFile, append(data, append(dl, '\n')...), 0o644)
	os.WriteFile(withoutFile, append(bytes.Join(without, []byte("\n")), '\n'), 0o644)

	from, to := "2026-09-07", "2026-09-10"
	show := func(dsn string) string {
		var all strings.Builder
		for _, m := range []string{"conversion", "gmv", "funnel", "service"} {
			out, err := runCLI(t, "metrics", "show", m, "--from", from, "--to", to, "--format", "json", "--clickhouse", dsn)
			if err != nil {
				t.Fatal(err)
			}
			all.WriteString(out)
		}
		return all.String()
	}
	dsnA, dsnB := chtest.DSN(t), chtest.DSN(t)
	for dsn, file := range map[string]string{dsnA: withFile, dsnB: withoutFile} {
		if _, err := runCLI(t, "import", "--quiet", "--clickhouse", dsn, file); err != nil {
			t.Fatal(err)
		}
		if _, err := runCLI(t, "metrics", "run", "--from", from, "--to", to, "--clickhouse", dsn); err != nil {
			t.Fatal(err)
		}
	}
	before, want := show(dsnA), show(dsnB)
	if before == want {
		t.Fatal("the buyer changes no metric: the check would prove nothing")
	}
	out, err := runCLI(t, "forget", "--shop", shop, "--customer", cust, "--reason", "test", "--clickhouse", dsnA)
	if err != nil {
		t.Fatalf("forget: %v\n%s", err, out)
	}
	var res warehouse.ForgetResult
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &res); err != nil {
		t.Fatalf("forget output %q: %v", out, err)
	}
	if res.Rows["messages"] == 0 || res.Rows["orders"] == 0 || res.Rows["dead_letters"] != 1 || res.Rows["metric_consultations"] == 0 {
		t.Fatalf("rows removed: %+v", res.Rows)
	}
	if got := show(dsnA); got != want {
		t.Fatalf("metrics after forget differ from the data without the buyer:\n got %.600s\nwant %.600s", got, want)
	}
	ctx := context.Background()
	conn, _, err := warehouse.Open(ctx, dsnA)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var left uint64
	for _, tb := range []string{"messages", "conversations", "orders", "metric_consultations"} {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM "+tb+" WHERE customer_id = ?", cust).Scan(&n); err != nil {
			t.Fatal(err)
		}
		left += n
	}
	if left != 0 {
		t.Fatalf("%d rows of the buyer left", left)
	}
	var salt, hash, operator string
	var removed uint64
	if err := conn.QueryRow(ctx, "SELECT salt, buyer_sha256, operator, rows_removed FROM forget_audit").Scan(&salt, &hash, &operator, &removed); err != nil {
		t.Fatal(err)
	}
	if hash != warehouse.BuyerHash(salt, shop, cust) || removed != res.Total || operator == "" || strings.Contains(hash, cust) {
		t.Fatalf("audit row: salt %s hash %s operator %s removed %d", salt, hash, operator, removed)
	}

	// Retention: an old dead letter and old raw events go, recent ones stay.
	old := time.Date(2020, 1, 5, 0, 0, 0, 0, time.UTC)
	b, err := conn.PrepareBatch(ctx, "INSERT INTO dead_letters (received_at, source, location, reason, detail, event_id, raw)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(old, "import", "old:1", "bad_timestamp", "", "", ""); err != nil || b.Send() != nil {
		t.Fatalf("insert an old dead letter: %v", err)
	}
	b, err = conn.PrepareBatch(ctx, "INSERT INTO ratings (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, score, extra, ingested_at)")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append("old", old, old.UnixMilli(), "s", "c", "web", "v", uint8(5), "", time.Now()); err != nil || b.Send() != nil {
		t.Fatalf("insert an old rating: %v", err)
	}
	t.Setenv("CONVINTEL_RETENTION_DEAD_LETTERS_DAYS", "30")
	t.Setenv("CONVINTEL_RETENTION_RAW_EVENTS_DAYS", "365")
	out, err = runCLI(t, "retention", "--dry-run", "--clickhouse", dsnA)
	if err != nil || !strings.Contains(out, "would drop dead_letters partition 202001") || !strings.Contains(out, "would drop ratings partition 202001") || strings.Contains(out, "2026") {
		t.Fatalf("retention --dry-run: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "retention", "--clickhouse", dsnA); err != nil {
		t.Fatalf("retention: %v\n%s", err, out)
	}
	var oldRows, recent uint64
	conn.QueryRow(ctx, "SELECT (SELECT count() FROM dead_letters WHERE received_at < '2021-01-01') + (SELECT count() FROM ratings WHERE ts < '2021-01-01')").Scan(&oldRows)
	conn.QueryRow(ctx, "SELECT count() FROM messages").Scan(&recent)
	if oldRows != 0 || recent == 0 {
		t.Fatalf("after retention: %d old rows left, %d recent messages", oldRows, recent)
	}
	if out, err := runCLI(t, "status", "--clickhouse", dsnA); err != nil || !strings.Contains(out, "dead letters 30") {
		t.Fatalf("status does not show the retention: %v\n%s", err, out)
	}
}
