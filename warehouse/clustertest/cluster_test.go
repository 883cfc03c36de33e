package clustertest

import (
	"context"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse/chtest"
)

// TestClusterMatchesOneServer produces simulated traffic to Kafka once;
// two ingest pipelines of one consumer group write it into the two-shard
// cluster through the Distributed tables, one pipeline of another group
// writes it into a single server. Then every buyer must sit on exactly the
// shard its hash names, metrics.Run on the cluster and on one server must both
// succeed, and metrics.Show must give identical JSON for every metric, by
// date and by every dimension the metric allows.
func TestClusterMatchesOneServer(t *testing.T) {
	// A guard against a hang, not a speed check (see the replicated test).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cl := chtest.NewCluster(t)
	single, singleDB := chtest.New(t)
	r := newRig(t, ctx)

	// Both consumer groups join before anything is produced, so the two
	// cluster pipelines share the partitions from the start.
	clusterIngest := r.ingest(t, ctx, "cluster", cl.Global, cl.Global)
	singleIngest := r.ingest(t, ctx, "single", single)
	time.Sleep(3 * time.Second)

	t0 := time.Now()
	r.produce(t, ctx, r.msgs)
	waitStored(t, ctx, cl.Global, cl.DB, r.tally.Events)
	clusterTook := time.Since(t0)
	waitStored(t, ctx, single, singleDB, r.tally.Events)
	clusterCounts := clusterIngest.stop(t)
	singleIngest.stop(t)
	t.Logf("%d events (%d distinct) into the cluster by two pipelines in %s: %v", len(r.msgs), r.tally.Events, clusterTook.Round(time.Millisecond), clusterCounts)
	for i, c := range clusterCounts {
		if c.Stored == 0 {
			t.Errorf("cluster pipeline %d stored nothing: the consumer group did not share the partitions (%v)", i+1, clusterCounts)
		}
	}

	var rawBytes uint64
	if err := single.QueryRow(ctx, `SELECT toUInt64(sum(bytes)) FROM system.parts WHERE active AND database = ?
        AND table IN ('messages', 'conversations', 'handoffs', 'ratings', 'orders')`, singleDB).Scan(&rawBytes); err != nil {
		t.Fatal(err)
	}
	t.Logf("raw tables on one server: %d bytes, %.0f bytes per event (unmerged parts, small data)", rawBytes, float64(rawBytes)/float64(r.tally.Events))

	checkSharding(t, ctx, cl)
	r.runMetrics(t, ctx, cl, single, singleDB)
	r.compareShow(t, ctx, cl.Global, single)
	r.compareIntraday(t, ctx, cl, single)
}
