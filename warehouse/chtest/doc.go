// Package chtest gives tests a real, migrated ClickHouse database: a
// throw-away local server shared by the test binary, or the server named by
// CONVINTEL_TEST_CLICKHOUSE (a DSN base such as clickhouse://127.0.0.1:9000),
// with a unique database per test that is dropped at cleanup. It also
// starts test clusters: two shards (NewCluster), and two shards of two
// replicas with a ZooKeeper from Debian's package (NewReplicatedCluster),
// or uses the ones .ci/cluster.sh started. It never mocks ClickHouse.
package chtest
