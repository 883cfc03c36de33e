// Package warehouse owns the ClickHouse side of the pipeline: it connects to a
// server or a cluster (a single server is a one-shard cluster), creates the
// database, applies the migrations of package sql, and runs the embedded
// statements for status, retention, forget and the scheduler's bookkeeping.
// It must not know about Kafka, NLP or rendering. The SQL text itself lives
// in package sql as .sql files, never in Go strings here.
package warehouse
