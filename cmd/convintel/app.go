package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/kafkalocal"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chlocal"
)

// app holds the configuration and the services commands start lazily;
// close stops them in reverse order of start.
type app struct {
	cfg *Config
	log *slog.Logger

	flags struct {
		config, home, clickhouse, database, brokers, logLevel string
	}

	// calledRight is set once cobra found the command and accepted its
	// arguments: an error before that is a usage error.
	calledRight bool

	mu      sync.Mutex
	closers []func()
	conn    warehouse.Conn
	db      string
	cluster *warehouse.Cluster // set when clickhouse.cluster is: conn is cluster.Global
	// shards is cluster, or the single server as a one-shard cluster
	// (warehouse.Single): what per-shard work (metrics.Run) takes.
	shards  *warehouse.Cluster
	chLocal *chlocal.Server
	broker  *kafkalocal.Broker
	model   *nlp.Model
	live    *ingest.ModelHolder // the model ingest enriches with; swapped by watchActiveModel
}

func (a *app) bindGlobalFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&a.flags.config, "config", os.Getenv("CONVINTEL_CONFIG"), "YAML configuration file (env CONVINTEL_CONFIG)")
	f.StringVar(&a.flags.home, "home", "", "data directory for the local ClickHouse, models and archives (env CONVINTEL_HOME, default ./.convintel)")
	f.StringVar(&a.flags.clickhouse, "clickhouse", "", "ClickHouse DSN, e.g. clickhouse://host:9000/convintel (default: start a local server under --home)")
	f.StringVar(&a.flags.database, "database", "", "database to read and write (env CONVINTEL_CLICKHOUSE_DATABASE, default convintel; the demo's is convintel_demo); with --clickhouse it replaces the DSN's database")
	f.StringVar(&a.flags.brokers, "brokers", "", "Kafka brokers, comma-separated (default: an embedded in-process Kafka)")
	f.StringVar(&a.flags.logLevel, "log-level", "", "debug, info, warn or error (default info)")
}

// init loads and validates the configuration once, before any command.
func (a *app) init(cmd *cobra.Command) error {
	cfg, err := LoadConfig(a.flags.config)
	if err != nil {
		return err
	}
	if a.flags.home != "" {
		cfg.Home = a.flags.home
	}
	if a.flags.clickhouse != "" {
		cfg.ClickHouse.DSN = a.flags.clickhouse
	}
	if a.flags.database != "" {
		cfg.ClickHouse.Database = a.flags.database
		if cfg.ClickHouse.DSN != "" {
			if cfg.ClickHouse.DSN, err = replaceDatabase(cfg.ClickHouse.DSN, a.flags.database); err != nil {
				return fmt.Errorf("--database: %w", err)
			}
		}
	}
	if a.flags.brokers != "" {
		cfg.Kafka.Brokers = strings.Split(a.flags.brokers, ",")
	}
	if a.flags.logLevel != "" {
		cfg.LogLevel = a.flags.logLevel
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	a.cfg = &cfg
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	ho := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		a.log = slog.New(slog.NewJSONHandler(os.Stderr, ho))
	} else {
		a.log = slog.New(slog.NewTextHandler(os.Stderr, ho))
	}
	return nil
}

func (a *app) onClose(f func()) {
	a.mu.Lock()
	a.closers = append(a.closers, f)
	a.mu.Unlock()
}

// close stops what was started, last started first.
func (a *app) close() {
	a.mu.Lock()
	closers := a.closers
	a.closers = nil
	a.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
}

// clickhouse connects (starting the local server when no DSN is set) and
// applies migrations. The connection is shared by the command.
func (a *app) clickhouse(ctx context.Context) (warehouse.Conn, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn != nil {
		return a.conn, a.db, nil
	}
	dsn, err := a.dsnLocked(ctx)
	if err != nil {
		return nil, "", err
	}
	topo := warehouse.Topology{Cluster: a.cfg.ClickHouse.Cluster, Replicated: a.cfg.ClickHouse.Replicated}
	if topo.Cluster != "" {
		// Tables in <db>_local on every node, Distributed tables in <db>;
		// the shared connection reads and inserts through <db>.
		if a.cfg.ClickHouse.DSN == "" {
			return nil, "", fmt.Errorf("clickhouse.cluster %s needs clickhouse.dsn (a node of the cluster)", topo.Cluster)
		}
		cl, err := warehouse.OpenCluster(ctx, dsn, topo)
		if err != nil {
			return nil, "", err
		}
		a.closers = append(a.closers, cl.Close)
		if _, err := cl.Migrate(ctx, a.log); err != nil {
			return nil, "", fmt.Errorf("migrate: %w", err)
		}
		a.conn, a.db, a.cluster, a.shards = cl.Global, cl.DB, cl, cl
		return a.conn, a.db, nil
	}
	conn, db, err := warehouse.Open(ctx, dsn)
	if err != nil {
		return nil, "", err
	}
	a.closers = append(a.closers, func() { conn.Close() })
	if _, err := warehouse.Migrate(ctx, conn, db, topo, a.log); err != nil {
		return nil, "", fmt.Errorf("migrate: %w", err)
	}
	a.conn, a.db, a.shards = conn, db, warehouse.Single(conn, db)
	return conn, db, nil
}

// dsnLocked is the configured DSN, or that of the local server, started
// now if need be. The caller holds a.mu.
func (a *app) dsnLocked(ctx context.Context) (string, error) {
	if a.cfg.ClickHouse.DSN != "" {
		return a.cfg.ClickHouse.DSN, nil
	}
	if a.chLocal == nil {
		srv, err := chlocal.Start(ctx, filepath.Join(a.cfg.Home, "clickhouse"), a.log)
		if err != nil {
			return "", err
		}
		a.chLocal = srv
		a.closers = append(a.closers, srv.Stop)
	}
	return a.chLocal.DSN(a.cfg.ClickHouse.Database), nil
}

// clickhouseShards is clickhouse's database as a cluster: the configured
// one, or the single server as a one-shard cluster.
func (a *app) clickhouseShards(ctx context.Context) (*warehouse.Cluster, error) {
	if _, _, err := a.clickhouse(ctx); err != nil {
		return nil, err
	}
	return a.shards, nil
}

// kafka returns the Kafka settings with brokers filled in: the configured
// ones, or an embedded broker started now.
func (a *app) kafka(ctx context.Context) (ingest.KafkaConfig, error) {
	kc := a.cfg.Kafka
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(kc.Brokers) > 0 {
		return kc, nil
	}
	if a.broker == nil {
		b, err := kafkalocal.Start(kafkalocal.Options{Partitions: kc.Partitions, Topics: []string{kc.Topic, kc.DeadLetterTopic}})
		if err != nil {
			return kc, err
		}
		a.broker = b
		a.closers = append(a.closers, b.Close)
		a.log.Info("started embedded Kafka", "addr", strings.Join(b.Addrs(), ","))
	}
	kc.Brokers = a.broker.Addrs()
	return kc, nil
}

// nlpModel loads the enrichment model once: the model registry's active
// version (nlp models activate), else the embedded one.
func (a *app) nlpModel() (*nlp.Model, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.model != nil {
		return a.model, nil
	}
	m, err := loadActiveModel(a)
	if err != nil {
		return nil, fmt.Errorf("load NLP models: %w", err)
	}
	a.log.Info("NLP model loaded", "version", m.Version(), "dir", a.NLPModelDir())
	a.model = m
	return m, nil
}

// NLPModelDir is where `nlp train` saves models and ingest loads them.
func (a *app) NLPModelDir() string { return a.cfg.ModelDir() }

// NLPTopicsFile is the optional YAML that extends the topic dictionary.
func (a *app) NLPTopicsFile() string { return a.cfg.NLP.TopicsFile }
