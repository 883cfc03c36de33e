package clustertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/sql"
	"github.com/convintel/convintel/sql/chtest"
)

// TestReplicatedMigrateLayout: on two shards of two replicas with
// ZooKeeper the cluster is detected as replicated and migrated ON
// CLUSTER; every node holds Replicated*MergeTree tables under a ZooKeeper
// path of its shard and database, and one schema_migrations row per
// migration reaches every node; re-running applies nothing; a node that
// lost its tables gets them back at the next Migrate; and dropping the
// test database removes the tables from ZooKeeper.
func TestReplicatedMigrateLayout(t *testing.T) {
	ctx := context.Background()
	var db, addr string
	t.Run("layout", func(t *testing.T) {
		cl := chtest.NewReplicatedCluster(t)
		db, addr = cl.DB, cl.Nodes[0].Addr
		if !cl.Replicated || !cl.OnCluster {
			t.Fatalf("replicated %v, on cluster %v: want both on two shards of two replicas with ZooKeeper", cl.Replicated, cl.OnCluster)
		}
		if len(cl.Shards) != 2 || len(cl.Nodes) != 4 {
			t.Fatalf("want 2 shards and 4 nodes, got %d and %v", len(cl.Shards), cl.Nodes)
		}
		for _, n := range cl.Nodes {
			conn := nodeConn(t, n.Addr)
			engines := map[string]string{}
			rows, err := conn.Query(ctx, "SELECT database, name, engine_full FROM system.tables WHERE database IN (?, ?)", cl.DB, cl.LocalDB)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var db, name, engine string
				if err := rows.Scan(&db, &name, &engine); err != nil {
					t.Fatal(err)
				}
				engines[db+"."+name] = engine
			}
			rows.Close()
			for _, tbl := range []string{"messages", "orders", "dead_letters", "metric_consultations", "metric_conversion", "metric_alerts"} {
				want := "/clickhouse/tables/{shard}/" + cl.DB + "/" + tbl
				if e := engines[cl.LocalDB+"."+tbl]; !strings.HasPrefix(e, "Replicated") || !strings.Contains(e, want) {
					t.Errorf("node %s: %s.%s engine %q, want Replicated… at %s", n.Addr, cl.LocalDB, tbl, e, want)
				}
				if e := engines[cl.DB+"."+tbl]; !strings.HasPrefix(e, "Distributed("+chtest.ClusterName+", "+cl.LocalDB+", "+tbl) {
					t.Errorf("node %s: %s.%s engine %q, want Distributed over %s", n.Addr, cl.DB, tbl, e, cl.LocalDB)
				}
			}
			var versions uint64
			if err := conn.QueryRow(ctx, "SELECT uniqExact(version) FROM "+cl.LocalDB+".schema_migrations").Scan(&versions); err != nil {
				t.Fatal(err)
			}
			if versions < 2 {
				t.Errorf("node %s: schema_migrations has %d versions; the rows written on one node must reach every node", n.Addr, versions)
			}
		}
		if n, err := cl.Migrate(ctx, nil); err != nil || n != 0 {
			t.Fatalf("second Migrate applied %d (err %v), want 0", n, err)
		}
		// A rebuilt node: its tables are gone, the other nodes have them.
		last := cl.Nodes[len(cl.Nodes)-1].Addr
		if err := nodeConn(t, last).Exec(ctx, "DROP TABLE "+cl.LocalDB+".metric_gaps"); err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		var back uint64
		if err := nodeConn(t, last).QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = ? AND name = 'metric_gaps'", cl.LocalDB).Scan(&back); err != nil || back != 1 {
			t.Fatalf("node %s did not get metric_gaps back from Migrate (%d, %v)", last, back, err)
		}
		var paths uint64
		if err := nodeConn(t, cl.Nodes[0].Addr).QueryRow(ctx, "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/tables/01' AND name = ?", cl.DB).Scan(&paths); err != nil || paths != 1 {
			t.Fatalf("no ZooKeeper path for %s under /clickhouse/tables/01 (%d, %v)", cl.DB, paths, err)
		}
	})
	if t.Skipped() || db == "" {
		return
	}
	// The subtest's cleanup dropped the databases on every node.
	var left uint64
	err := nodeConn(t, addr).QueryRow(ctx, `SELECT count() FROM system.zookeeper
        WHERE path = '/clickhouse/tables/01/`+db+`'`).Scan(&left)
	if err != nil && !strings.Contains(err.Error(), "No node") {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("ZooKeeper still holds %d tables of the dropped database %s", left, db)
	}
}

// nodeConn connects to one node (database default), closed at cleanup.
func nodeConn(t *testing.T, addr string) sql.Conn {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
