// Package ingest owns the event contract in Go and the path from raw bytes
// to ClickHouse rows: the strict Decoder (events.md), batching, the
// two-stage Pipeline (parallel decode and NLP enrichment, then one
// columnar native-protocol INSERT per table with capped-backoff retries),
// the Kafka consumer-group source whose offsets are committed only after
// ClickHouse accepted a batch, the dead-letter table and topic, and the
// JSONL file source. Delivery is at-least-once; duplicates are made
// harmless by dedup on event_id at read time. It must not know metric
// definitions or render anything.
package ingest
