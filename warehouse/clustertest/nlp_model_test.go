package clustertest

import (
	"context"
	"testing"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// messages.nlp_model (migration 0025, an ALTER … ADD COLUMN) reaches every
// node's local table and Distributed table, node by node and ON CLUSTER
// on replicated tables.
func TestNLPModelColumnOnCluster(t *testing.T) {
	check := func(t *testing.T, cl *warehouse.Cluster) {
		ctx := context.Background()
		for _, n := range cl.Nodes {
			conn := nodeConn(t, n.Addr)
			for _, db := range []string{cl.LocalDB, cl.DB} {
				var has uint64
				err := conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = ? AND table = 'messages' AND name = 'nlp_model'", db).Scan(&has)
				if err != nil || has != 1 {
					t.Errorf("node %s: %s.messages.nlp_model: %d columns, err %v", n.Addr, db, has, err)
				}
			}
		}
	}
	t.Run("node by node", func(t *testing.T) { check(t, chtest.NewCluster(t)) })
	t.Run("replicated, on cluster", func(t *testing.T) { check(t, chtest.NewReplicatedCluster(t).Cluster) })
}
