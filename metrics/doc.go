// Package metrics computes every metric of shared/spec/metrics.md in
// ClickHouse: Run recomputes a date range of result tables from the raw
// event tables (one INSERT … SELECT per job and day, from the .sql files
// under sql/metrics), Show rolls the stored counts up by any meaningful
// dimensions and recomputes rates, and the alert rules evaluate each day
// against a 28-day baseline.
//
// It reads only tables the ingest path writes and its own result tables.
// It must not know about Kafka, NLP models or rendering: reports and
// dashboards build on Show.
package metrics
