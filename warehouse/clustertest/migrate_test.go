package clustertest

import (
	"context"
	"strings"
	"testing"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestMigrateLayout: every node holds the real tables in <db>_local and a
// Distributed table over each in <db>, sharded by buyer; re-running applies
// nothing; a column added to a local table (a later additive migration)
// reaches the Distributed table at the next Migrate; the single-server
// Migrate refuses a cluster topology; and without ZooKeeper the cluster
// is migrated node by node and refuses replicated tables.
func TestMigrateLayout(t *testing.T) {
	ctx := context.Background()
	cl := chtest.NewCluster(t)
	if len(cl.Shards) != 2 || len(cl.Nodes) != 2 {
		t.Fatalf("want 2 shards and 2 nodes, got %d and %v", len(cl.Shards), cl.Nodes)
	}
	for i, conn := range cl.Shards {
		engines := tableEngines(t, ctx, conn, cl)
		for _, tbl := range []string{"messages", "conversations", "handoffs", "ratings", "orders", "metric_consultations", "metric_conversion", "metric_alerts"} {
			if e := engines[cl.LocalDB+"."+tbl]; !strings.Contains(e, "MergeTree") {
				t.Errorf("shard %d: %s.%s engine %q, want a MergeTree", i+1, cl.LocalDB, tbl, e)
			}
			want := "Distributed(" + chtest.ClusterName + ", " + cl.LocalDB + ", " + tbl
			if e := engines[cl.DB+"."+tbl]; !strings.HasPrefix(e, want) {
				t.Errorf("shard %d: %s.%s engine %q, want %s…", i+1, cl.DB, tbl, e, want)
			}
		}
		if e := engines[cl.DB+".messages"]; !strings.Contains(e, "cityHash64(shop_id, customer_id)") {
			t.Errorf("messages not sharded by buyer: %s", e)
		}
		if e := engines[cl.DB+".dead_letters"]; !strings.Contains(e, "cityHash64(source, location)") {
			t.Errorf("dead letters not sharded by identity: %s", e)
		}
	}
	if n, err := cl.Migrate(ctx, nil); err != nil || n != 0 {
		t.Fatalf("second Migrate applied %d (err %v), want 0", n, err)
	}
	// An additive migration: a new column on every node's local table.
	for _, conn := range cl.Shards {
		if err := conn.Exec(ctx, "ALTER TABLE ratings ADD COLUMN comment String"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cl.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	var n uint64
	if err := cl.Global.QueryRow(ctx, "SELECT count() FROM ratings WHERE comment != ''").Scan(&n); err != nil {
		t.Fatalf("Distributed ratings did not gain the new column: %v", err)
	}
	if _, err := warehouse.Migrate(ctx, cl.Global, cl.DB, warehouse.Topology{Cluster: cl.Name}, nil); err == nil {
		t.Fatal("single-server Migrate accepted a cluster topology")
	}
	if cl.Replicated || cl.OnCluster {
		t.Fatalf("replicated %v, on cluster %v: want neither without replicas and ZooKeeper", cl.Replicated, cl.OnCluster)
	}
	// Replicated tables forced on a cluster without ZooKeeper: a clear
	// error that says what to configure, before any table is created.
	_, err := warehouse.OpenCluster(ctx, "clickhouse://"+cl.Nodes[0].Addr+"/"+cl.DB, warehouse.Topology{Cluster: cl.Name, Replicated: true})
	if err == nil || !strings.Contains(err.Error(), "no ZooKeeper") || !strings.Contains(err.Error(), "<zookeeper>") {
		t.Fatalf("OpenCluster with replicated tables and no ZooKeeper: %v", err)
	}
}

// tableEngines maps "database.table" to its full engine clause for the
// layout's two databases on conn's node.
func tableEngines(t *testing.T, ctx context.Context, conn warehouse.Conn, cl *warehouse.Cluster) map[string]string {
	t.Helper()
	engines := map[string]string{}
	rows, err := conn.Query(ctx, "SELECT database, name, engine_full FROM system.tables WHERE database IN (?, ?)", cl.DB, cl.LocalDB)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var db, name, engine string
		if err := rows.Scan(&db, &name, &engine); err != nil {
			t.Fatal(err)
		}
		engines[db+"."+name] = engine
	}
	return engines
}
