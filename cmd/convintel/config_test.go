package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestConfigPrecedence(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	err := os.WriteFile(file, []byte("home: /from/file\nkafka:\n  topic: file-topic\n  group: file-group\nmetrics:\n  attribution_window: 48h\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CONVINTEL_KAFKA_GROUP", "env-group")
	t.Setenv("CONVINTEL_KAFKA_BROKERS", "a:9092, b:9092")
	t.Setenv("CONVINTEL_INGEST_BATCH_AGE", "250ms")
	cfg, err := LoadConfig(file)
	if err != nil {
		t.Fatal(err)
	}
	f := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s = %v, want %v", name, got, want)
		}
	}
	f("home (file over default)", cfg.Home, "/from/file")
	f("kafka.topic (file)", cfg.Kafka.Topic, "file-topic")
	f("kafka.group (env over file)", cfg.Kafka.Group, "env-group")
	f("kafka.brokers (env list)", cfg.Kafka.Brokers, []string{"a:9092", "b:9092"})
	f("ingest.batch_age (env duration)", cfg.Ingest.BatchAge, 250*time.Millisecond)
	f("metrics.attribution_window (file duration)", cfg.Metrics.AttributionWindow, 48*time.Hour)
	f("ingest.batch_rows (default)", cfg.Ingest.BatchRows, 100_000)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigRejects(t *testing.T) {
	clearEnv(t)
	f := func(yaml, env, wantPart string) {
		t.Helper()
		t.Run(wantPart, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if env != "" {
				k, v, _ := strings.Cut(env, "=")
				t.Setenv(k, v)
			}
			cfg, err := LoadConfig(file)
			if err == nil {
				err = cfg.Validate()
			}
			if err == nil || !strings.Contains(err.Error(), wantPart) {
				t.Fatalf("config %q %q: error %v, want one mentioning %q", yaml, env, err, wantPart)
			}
		})
	}
	f("kafka:\n  topicz: x\n", "", "topicz")
	f("log_level: loud\n", "", "log_level")
	f("", "CONVINTEL_INGEST_BATCH_ROWS=lots", "CONVINTEL_INGEST_BATCH_ROWS")
	f("ingest:\n  batch_rows: 0\n", "", "ingest.batch_rows")
	f("clickhouse:\n  dsn: mysql://x\n", "", "clickhouse.dsn")
	f("", "CONVINTEL_CLICKHOUSE_DATABASE=my-shop", `clickhouse.database "my-shop": use letters, digits and _`)
	f("kafka:\n  sasl:\n    mechanism: GSSAPI\n", "", "kafka.sasl.mechanism")
	f("metrics:\n  attribution_model: everyone\n", "", "attribution_model")
	// In the file's terms, not Go's (main.Config, time.Duration, strconv).
	f("kafak:\n  brokers: [a:9092]\n", "", `line 1: unknown setting "kafak"`)
	f("metrics:\n  attribution_window: 3d\n", "", `line 2: "3d": use a duration such as 72h`)
	f("ingest:\n  batch_rows: lots\n", "", `line 2: "lots": use a whole number`)
	f("", "CONVINTEL_INGEST_NLP=yes", `CONVINTEL_INGEST_NLP="yes": use true or false`)
	f("", "CONVINTEL_METRICS_ATTRIBUTION_WINDOW=3d", "use a duration such as 72h")
}

// TestConfigDocumented keeps docs/configuration.md true: every setting's
// environment variable is listed there, with the default the code has.
func TestConfigDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	// The default column of the table: "| `path` | `ENV` | `default` |".
	defaults := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_.]+)` \\| `[A-Z_]+` \\| `([^`|]*)` \\|\\s*$").FindAllStringSubmatch(string(doc), -1) {
		defaults[m[1]] = m[2]
	}
	for _, s := range settingsOf(reflect.ValueOf(DefaultConfig()), "CONVINTEL", "") {
		if !strings.Contains(string(doc), "`"+s.path+"`") {
			t.Errorf("docs/configuration.md does not list %s (%s)", s.path, s.env)
		}
		if d, ok := defaults[s.path]; ok && d != s.value {
			t.Errorf("docs/configuration.md gives %s the default %q; it is %q", s.path, d, s.value)
		}
	}
	if len(defaults) < 40 {
		t.Errorf("read only %d defaults from docs/configuration.md: has its table changed shape?", len(defaults))
	}
}
