// Package simulate generates realistic, deterministic e-commerce
// customer-service traffic (Taobao/JD/Douyin-style shops, Chinese and some
// English) as contract events (../shared/spec/events.md): conversations
// with bot, agent and handoff turns, and the orders that follow them or come
// without any consultation. Anomalies (topic surges, drop-off spikes,
// fallback spikes) can be planted on chosen days.
//
// Beside the events it computes a ground-truth Tally: event counts and the
// conversion and bot-attributed GMV metrics of metrics.md, computed in Go
// from the emitted events, against which the SQL jobs are tested.
//
// The package owns traffic generation only: it writes JSON lines to a
// callback and must not know about Kafka, ClickHouse or the NLP. The same
// Config always yields byte-identical output; nothing reads the wall clock.
package simulate
