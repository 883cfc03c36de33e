// Package metrics computes every metric of shared/spec/metrics.md in
// ClickHouse: Run recomputes a date range of result tables from the raw
// event tables (one INSERT … SELECT per job and day, from the .sql files
// under sql/metrics), Show rolls the stored counts up by any meaningful
// dimensions and recomputes rates, and the alert rules evaluate each day
// against a 28-day baseline.
//
// Every metric is a descriptor (Metric, registered from its own file) and
// its SQL files; every alert rule a descriptor (Rule). Run, Show and the
// packages that build on them look a name up in the catalogue and never
// branch on it. Alerts travel as the typed Alert from the SQL row to the
// page and the webhook.
//
// It reads only tables the ingest path writes and its own result tables.
// It must not know about Kafka, NLP models or rendering: reports and
// dashboards build on Show.
package metrics
