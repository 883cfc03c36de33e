package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convintel/convintel/warehouse/chtest"
)

// clearEnv unsets every CONVINTEL_ variable for the test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "CONVINTEL_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

// runCLI runs convintel with args in-process and returns stdout and the
// error.
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	a := &app{}
	root := newRootCmd(a)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append(args, "--home", t.TempDir(), "--log-level", "error"))
	err := root.ExecuteContext(context.Background())
	a.close()
	return out.String(), err
}

// TestImportStrictAndDeadLetters: import --strict fails on a dead letter,
// deadletters lists it with file:line, reason and a masked head; a file
// over ingest.max_dead_letters_per_file is stopped with a message naming
// the setting; a BOM does not cost the first event.
func TestImportStrictAndDeadLetters(t *testing.T) {
	clearEnv(t)
	dsn := chtest.DSN(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "mixed.jsonl")
	good := `{"event_id":"e1","type":"conversation_started","ts":1788000000000,"shop_id":"s1","customer_id":"c1","channel":"web","conversation_id":"v1"}`
	bad := `{"event_id":"e2","type":"message","ts":"yesterday","text":"我的手机13812345678 身份证110105 19491231 002X"}`
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBF"+good+"\n"+bad+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, "import", "--quiet", "--clickhouse", dsn, path); err != nil {
		t.Fatalf("import without --strict: %v", err)
	}
	_, err := runCLI(t, "import", "--quiet", "--strict", "--clickhouse", dsn, path)
	if err == nil || !strings.Contains(err.Error(), "--strict") || !strings.Contains(err.Error(), "deadletters") {
		t.Fatalf("import --strict: %v, want an error saying how to list the dead letters", err)
	}
	out, err := runCLI(t, "deadletters", "--format", "json", "--clickhouse", dsn)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("deadletters listed %d rows, want 1 (one delivery, imported twice): %s", len(lines), out)
	}
	var row struct{ Location, Reason, Raw_head string }
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatal(err)
	}
	if row.Location != path+":2" || row.Reason != "bad_timestamp" || !strings.Contains(row.Raw_head, "[PHONE]") || strings.Contains(out, "13812345678") || strings.Contains(out, "19491231") {
		t.Fatalf("deadletters: %s", out)
	}
	out, err = runCLI(t, "deadletters", "--clickhouse", dsn, "--source", "import", "--since", "1h")
	if err != nil || !strings.Contains(out, path+":2") || !strings.Contains(out, "bad_timestamp") {
		t.Fatalf("deadletters table: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "status", "--format", "json", "--clickhouse", dsn); err != nil || !strings.Contains(out, `"conversation_started": 1`) {
		t.Fatalf("the event after the BOM is not stored: %v %s", err, out)
	}

	garbage := filepath.Join(dir, "garbage.jsonl")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("garbage\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CONVINTEL_INGEST_MAX_DEAD_LETTERS_PER_FILE", "20")
	t.Setenv("CONVINTEL_INGEST_BATCH_ROWS", "10")
	_, err = runCLI(t, "import", "--quiet", "--clickhouse", dsn, garbage)
	if err == nil || !strings.Contains(err.Error(), "ingest.max_dead_letters_per_file = 20") {
		t.Fatalf("import of garbage: %v, want it stopped at the cap", err)
	}
}

// TestConfigRedactsSecrets: `convintel config` prints no password, token,
// webhook secret or webhook URL unless --show-secrets is given.
func TestConfigRedactsSecrets(t *testing.T) {
	clearEnv(t)
	file := filepath.Join(t.TempDir(), "c.yaml")
	yml := `clickhouse:
  dsn: clickhouse://app:ch-pass-123456@db:9000/convintel
kafka:
  sasl:
    mechanism: PLAIN
    username: u
    password: kafka-pass-123456
dashboards:
  bearer_token: dash-token-0123456789abcdef
reports:
  webhooks:
    - kind: dingtalk
      url: https://oapi.dingtalk.com/robot/send?access_token=ding-token-123456
      secret: SECding-secret-123456
`
	if err := os.WriteFile(file, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"ch-pass-123456", "kafka-pass-123456", "dash-token-0123456789abcdef", "ding-token-123456", "SECding-secret-123456"}
	for _, args := range [][]string{{"config"}, {"config", "--list"}} {
		out, err := runCLI(t, append(args, "--config", file)...)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("convintel %v prints %s:\n%s", args, s, out)
			}
		}
	}
	out, err := runCLI(t, "config", "--show-secrets", "--config", file)
	if err != nil || !strings.Contains(out, "dash-token-0123456789abcdef") {
		t.Errorf("--show-secrets: %v\n%s", err, out)
	}
}
