package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/convintel/convintel/dashboards"
	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

// Config is the whole configuration. Precedence, lowest first: the defaults
// below, the YAML file (--config), environment variables, flags. Every
// field is also an environment variable: CONVINTEL_ plus the upper-cased
// YAML path joined by _ (kafka.brokers → CONVINTEL_KAFKA_BROKERS; lists are
// comma-separated). docs/configuration.md lists them all.
type Config struct {
	// Home is the data directory: the local ClickHouse, trained models,
	// report archive. Env CONVINTEL_HOME.
	Home     string `yaml:"home"`
	LogLevel string `yaml:"log_level"`
	// LogFormat is text or json.
	LogFormat  string              `yaml:"log_format"`
	ClickHouse ClickHouseConfig    `yaml:"clickhouse"`
	Kafka      ingest.KafkaConfig  `yaml:"kafka"`
	Ingest     IngestConfig        `yaml:"ingest"`
	NLP        NLPConfig           `yaml:"nlp"`
	Metrics    metrics.Settings    `yaml:"metrics"`
	Reports    reports.Settings    `yaml:"reports"`
	Dashboards dashboards.Settings `yaml:"dashboards"`
	Retention  RetentionConfig     `yaml:"retention"`
}

// ClickHouseConfig says where the data lives.
type ClickHouseConfig struct {
	// DSN is a clickhouse-go DSN (clickhouse://user:pass@host:9000/db);
	// empty starts a local clickhouse-server under Home.
	DSN string `yaml:"dsn"`
	// Database used with the local server.
	Database string `yaml:"database"`
	// Cluster names a <remote_servers> cluster: shard-local tables plus
	// Distributed tables (docs/deployment.md).
	Cluster string `yaml:"cluster"`
	// Replicated forces Replicated*MergeTree tables on a cluster whose
	// shards have one replica each (so replicas can be added later). A
	// cluster with replicas gets them whatever this says.
	Replicated bool `yaml:"replicated"`
}

// IngestConfig tunes batching and the HTTP endpoint of `convintel ingest`.
type IngestConfig struct {
	BatchRows  int           `yaml:"batch_rows"`
	BatchBytes int           `yaml:"batch_bytes"`
	BatchAge   time.Duration `yaml:"batch_age"`
	Workers    int           `yaml:"workers"`
	// Inserts is how many batches may be inserting into ClickHouse at once.
	Inserts int `yaml:"inserts"`
	// NLP enriches customer messages; false stores them masked only.
	NLP bool `yaml:"nlp"`
	// Listen serves /metrics and /healthz ("" = off).
	Listen string `yaml:"listen"`
	// MemoryLimit is the Go heap's soft limit in bytes (GOMEMLIMIT): the
	// garbage collector works harder near it instead of growing RSS.
	MemoryLimit int64 `yaml:"memory_limit"`
	// MaxDeadLettersPerFile stops `import` of a file once that many of
	// its inputs were dead-lettered (0: no limit).
	MaxDeadLettersPerFile int64 `yaml:"max_dead_letters_per_file"`
}

// NLPConfig says where trained models and extra topics live.
type NLPConfig struct {
	ModelDir   string `yaml:"model_dir"`
	TopicsFile string `yaml:"topics_file"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		Home:       ".convintel",
		LogLevel:   "info",
		LogFormat:  "text",
		ClickHouse: ClickHouseConfig{Database: "convintel"},
		Kafka:      ingest.DefaultKafkaConfig(),
		Metrics:    metrics.DefaultSettings(),
		Reports:    reports.DefaultSettings(),
		Dashboards: dashboards.DefaultSettings(),
		Retention:  RetentionConfig{RawEventsDays: 1095, DeadLettersDays: 30, MetricResultsDays: 1095},
		Ingest: IngestConfig{
			// 100k rows: half the parts and merges of 50k in ClickHouse
			// (−1 µs of its CPU per event); the batch's columns hold no
			// pointers, so the collector does not pay for the larger
			// batches (docs/performance.md, session 8).
			BatchRows:   100_000,
			BatchBytes:  32 << 20,
			BatchAge:    time.Second,
			NLP:         true,
			Listen:      "127.0.0.1:9464",
			MemoryLimit: 384 << 20,
			// A file with more bad lines than this is not an export of
			// contract events; 10 000 still shows every kind of problem.
			MaxDeadLettersPerFile: 10_000,
		},
	}
}

// LoadConfig reads defaults, then file (if not ""), then the environment.
func LoadConfig(file string) (Config, error) {
	cfg := DefaultConfig()
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return cfg, fmt.Errorf("config file: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return cfg, fmt.Errorf("config file %s: %w", file, explainYAML(err))
		}
	}
	if err := applyEnv(reflect.ValueOf(&cfg).Elem(), "CONVINTEL"); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// databaseNameRe is a database name ClickHouse takes unquoted.
var databaseNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate checks every setting and says what to change. It is the one
// place settings are checked.
func (c *Config) Validate() error {
	var errs []error
	if c.Home == "" {
		errs = append(errs, errors.New("home: must not be empty (default .convintel)"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log_level %q: use debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log_format %q: use text or json", c.LogFormat))
	}
	if c.ClickHouse.DSN != "" && !strings.HasPrefix(c.ClickHouse.DSN, "clickhouse://") && !strings.HasPrefix(c.ClickHouse.DSN, "tcp://") {
		errs = append(errs, fmt.Errorf("clickhouse.dsn %q: expected clickhouse://host:9000/database", c.ClickHouse.DSN))
	}
	if !databaseNameRe.MatchString(c.ClickHouse.Database) {
		errs = append(errs, fmt.Errorf("clickhouse.database %q: use letters, digits and _ (not starting with a digit)", c.ClickHouse.Database))
	}
	if err := c.Kafka.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Metrics.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Reports.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Dashboards.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.Ingest.BatchRows < 1 || c.Ingest.BatchRows > 1_000_000 {
		errs = append(errs, fmt.Errorf("ingest.batch_rows %d: use 1..1000000", c.Ingest.BatchRows))
	}
	if c.Ingest.BatchBytes < 1<<16 || c.Ingest.BatchBytes > 1<<30 {
		errs = append(errs, fmt.Errorf("ingest.batch_bytes %d: use 64 KiB..1 GiB", c.Ingest.BatchBytes))
	}
	if c.Ingest.MemoryLimit != 0 && c.Ingest.MemoryLimit < 64<<20 {
		errs = append(errs, fmt.Errorf("ingest.memory_limit %d: use 0 (no limit) or at least 64 MiB", c.Ingest.MemoryLimit))
	}
	if r := c.Retention; r.RawEventsDays < 0 || r.DeadLettersDays < 0 || r.MetricResultsDays < 0 {
		errs = append(errs, fmt.Errorf("retention.*_days: use 0 (keep forever) or a number of days"))
	}
	if c.Ingest.MaxDeadLettersPerFile < 0 {
		errs = append(errs, fmt.Errorf("ingest.max_dead_letters_per_file %d: use 0 (no limit) or more", c.Ingest.MaxDeadLettersPerFile))
	}
	if c.Ingest.BatchAge < time.Millisecond || c.Ingest.BatchAge > time.Minute {
		errs = append(errs, fmt.Errorf("ingest.batch_age %s: use 1ms..1m", c.Ingest.BatchAge))
	}
	return errors.Join(errs...)
}

// ModelDir is where `nlp train` saves and ingest loads trained models.
func (c *Config) ModelDir() string {
	if c.NLP.ModelDir != "" {
		return c.NLP.ModelDir
	}
	return filepath.Join(c.Home, "models")
}

// eachSetting calls fn for every leaf setting under v (nested sections
// recursed), with its YAML path and its environment variable name. It is
// the one place the mapping path → CONVINTEL_PATH is defined.
func eachSetting(v reflect.Value, envPrefix, pathPrefix string, fn func(path, env string, f reflect.StructField, fv reflect.Value) error) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" {
			continue
		}
		env, path := envPrefix+"_"+strings.ToUpper(tag), tag
		if pathPrefix != "" {
			path = pathPrefix + "." + tag
		}
		fv := v.Field(i)
		var err error
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Time{}) {
			err = eachSetting(fv, env, path, fn)
		} else {
			err = fn(path, env, f, fv)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// applyEnv sets fields from CONVINTEL_… variables.
func applyEnv(v reflect.Value, prefix string) error {
	return eachSetting(v, prefix, "", func(_, env string, _ reflect.StructField, fv reflect.Value) error {
		s, ok := os.LookupEnv(env)
		if !ok {
			return nil
		}
		if err := setScalar(fv, s); err != nil {
			return fmt.Errorf("environment %s=%q: %w", env, s, err)
		}
		return nil
	})
}

// The words a setting's value is explained in when it does not parse.
const (
	wantDuration = "use a duration such as 72h, 90m or 500ms"
	wantBool     = "use true or false"
	wantInt      = "use a whole number"
	wantFloat    = "use a number such as 0.5"
)

func setScalar(fv reflect.Value, s string) error {
	switch {
	case fv.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(s)
		if err != nil {
			return errors.New(wantDuration)
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(s)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return errors.New(wantBool)
		}
		fv.SetBool(b)
	case fv.Kind() >= reflect.Int && fv.Kind() <= reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return errors.New(wantInt)
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Float64:
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return errors.New(wantFloat)
		}
		fv.SetFloat(n)
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		var parts []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		fv.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported type %s", fv.Type())
	}
	return nil
}

// yamlFieldRe and yamlTypeRe match the messages of yaml.TypeError, which
// name Go types (main.Config, time.Duration) a reader of the file cannot
// act on.
var (
	yamlFieldRe = regexp.MustCompile(`^(line \d+): field (\S+) not found in type \S+$`)
	yamlTypeRe  = regexp.MustCompile("^(line \\d+): cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")
)

// explainYAML rewrites a decode error of the configuration file in the
// file's terms: the unknown key, or the value and what to write instead.
func explainYAML(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = m
		if g := yamlFieldRe.FindStringSubmatch(m); g != nil {
			msgs[i] = fmt.Sprintf("%s: unknown setting %q (convintel config --list lists every setting)", g[1], g[2])
		} else if g := yamlTypeRe.FindStringSubmatch(m); g != nil {
			want := map[string]string{"time.Duration": wantDuration, "bool": wantBool, "float64": wantFloat}[g[3]]
			if strings.HasPrefix(g[3], "int") || strings.HasPrefix(g[3], "uint") {
				want = wantInt
			}
			if want == "" {
				want = "a " + g[3] + " is expected here"
			}
			msgs[i] = fmt.Sprintf("%s: %q: %s", g[1], g[2], want)
		}
	}
	return errors.New(strings.Join(msgs, "\n"))
}
