// Package clustertest checks the cluster layout end to end against a real
// two-shard ClickHouse cluster (started by chtest, or the one `make
// test-cluster` starts): migrations on every node, ingest through two
// pipelines of one consumer group into the Distributed tables, metric jobs
// per shard with alerts evaluated once, and every metric equal to the same
// traffic on one server. It has tests only.
package clustertest
