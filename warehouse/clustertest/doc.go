// Package clustertest checks the cluster layout end to end against real
// ClickHouse clusters, two shards and two shards of two replicas with
// ZooKeeper (started by chtest, or the ones `make test-cluster` starts):
// migrations node by node and ON CLUSTER, ingest through two pipelines of
// one consumer group into the Distributed tables, metric jobs per shard
// with alerts evaluated once, every metric equal to the same traffic on one
// server, failover when a replica is killed and its catch-up, and the
// scheduler's leader election. It has tests only.
package clustertest
