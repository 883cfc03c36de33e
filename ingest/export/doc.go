// Package export writes stored events, enriched messages and metric
// results to Parquet, CSV or Arrow IPC files for analysts (pandas, DuckDB,
// Spark) and for re-import.
//
// Event and message exports stream: one day of one table is read from the
// ClickHouse cursor at a time and written in record batches of bounded
// size, so memory does not grow with the range. The "events" export holds
// exactly the contract's fields (plus an extra JSON column), so a file
// re-imports, through ingest/tabular, into the same stored rows.
//
// It reads ClickHouse and the metrics package; it never writes to either.
package export
