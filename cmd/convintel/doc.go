// Command convintel is the conversation-intelligence pipeline for
// e-commerce customer service: ingest chat and order events from Kafka
// into ClickHouse with NLP enrichment, compute conversion, GMV attribution
// and service metrics, and render reports and dashboards. This package
// only wires components; see docs/architecture.md.
package main
