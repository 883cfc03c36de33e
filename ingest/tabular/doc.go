// Package tabular reads event history from columnar and delimited files
// (Parquet, CSV, Arrow IPC) and turns each row into the contract's JSON
// object, sent as ingest.Batch records, so a row is validated, enriched,
// masked and deduplicated exactly like the same event arriving from Kafka.
//
// Files are streamed: Parquet row group by row group in record batches of
// bounded size, CSV line by line, Arrow IPC record batch by record batch;
// no source holds a whole file. A bad row becomes a dead letter located as
// "file:row N"; a corrupt row group or an unreadable stretch of a file
// becomes one dead letter naming it, and reading goes on where it can.
//
// It must not write events itself: rows go through ingest.Pipeline.
package tabular
