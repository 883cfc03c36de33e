package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// usageError is a mistake in how a command was called: exit status 2 and
// a pointer to the command's --help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return usageError{err: fmt.Errorf(format, args...)}
}

const rootLong = `convintel turns customer-service conversations and orders into numbers
operations managers, merchandisers and executives act on.

  Kafka / JSONL / Parquet ──▶ ingest (validate, NLP: intent, topics,
  sentiment, PII masking) ──▶ ClickHouse ──▶ metrics (询单转化, 机器人贡献GMV,
  drop-off, funnel, service, knowledge gaps, alerts) ──▶ reports & dashboards

Zero setup: with no --clickhouse DSN convintel starts a private ClickHouse
under --home (default ./.convintel); with no --brokers it runs an embedded
Kafka in-process. Point both at real servers for production.

Configuration, lowest precedence first: defaults, the YAML file given by
--config, CONVINTEL_* environment variables (kafka.brokers is
CONVINTEL_KAFKA_BROKERS), flags. See docs/configuration.md.`

const rootExample = `  # Everything end to end on this machine: simulate four weeks, ingest, report
  convintel demo

  # Ingest from a real Kafka into a real ClickHouse
  convintel ingest --brokers kafka-1:9092 --clickhouse clickhouse://ch-1:9000/convintel

  # Load history from files, then compute metrics for November
  convintel import history/*.jsonl.gz
  convintel metrics run --from 2026-11-01 --to 2026-11-30

  # What is stored and flowing
  convintel status --format json`

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "convintel",
		Short:         "Conversation intelligence for e-commerce customer service",
		Long:          rootLong,
		Example:       rootExample,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			a.calledRight = true
			// Cobra checks required flags after this hook; checked here, a
			// missing one is a usage error before any server starts.
			if err := cmd.ValidateRequiredFlags(); err != nil {
				return usageError{err: err}
			}
			return a.init(cmd)
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{err: err}
	})
	a.bindGlobalFlags(root)
	root.AddCommand(
		newMigrateCmd(a),
		newIngestCmd(a),
		newImportCmd(a),
		newSimulateCmd(a),
		newStatusCmd(a),
		newDeadLettersCmd(a),
		newRetentionCmd(a),
		newForgetCmd(a),
		newBrokerCmd(a),
		newDemoCmd(a),
		newBenchCmd(a),
		newMetricsCmd(a),
		newAlertsCmd(a),
		newExportCmd(a),
		newReportCmd(a),
		newServeCmd(a),
		newScheduleCmd(a),
		newConfigCmd(a),
		newNLPCmd(a),
	)
	return root
}
