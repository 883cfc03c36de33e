package reliability

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// stableMembers returns the members of group once it is Stable with
// every member holding partitions.
func (w *world) stableMembers(group string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl := &kafka.Client{Addr: kafka.TCP(w.addr)}
	resp, err := cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return 0, err
	}
	if len(resp.Groups) != 1 || resp.Groups[0].Error != nil {
		return 0, fmt.Errorf("describe group %s: %+v", group, resp.Groups)
	}
	g := resp.Groups[0]
	if g.GroupState != "Stable" {
		return 0, fmt.Errorf("group %s is %s", group, g.GroupState)
	}
	for _, m := range g.Members {
		n := 0
		for _, tp := range m.MemberAssignments.Topics {
			n += len(tp.Partitions)
		}
		if n == 0 {
			return 0, fmt.Errorf("member %s has no partitions", m.MemberID)
		}
	}
	return len(g.Members), nil
}

// TestRebalance runs two ingest processes in one consumer group and
// SIGKILLs one mid-stream, then restarts it: the partitions move to the
// survivor and back, the uncommitted tail is read again, and the results
// count every event exactly once.
func TestRebalance(t *testing.T) {
	w := newWorld(t, "")
	const scenario, group = "rebalance", "rebalance"
	sim := w.simulate(simulationArgs("41")...)
	dsn, conn := w.database("rebalance")
	batchEnv := "CONVINTEL_INGEST_BATCH_ROWS=1000"
	a := w.startIngest("ingest-a", dsn, group, batchEnv)
	b := w.startIngest("ingest-b", dsn, group, batchEnv)
	waitFor(t, "two members sharing the partitions", time.Minute, 100*time.Millisecond, func() (bool, error) {
		n, err := w.stableMembers(group)
		return n == 2, err
	})
	w.produce(sim.lines)
	produced := time.Now()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 41))
	target := float64(len(sim.lines)) / 2 * (0.1 + 0.3*rng.Float64())
	var readB float64
	waitFor(t, "ingest-b consuming", time.Minute, 5*time.Millisecond, func() (bool, error) {
		c, err := b.metric("convintel_ingest_consumed_total")
		readB = c
		return err == nil && c >= target, err
	})
	readA, _ := a.metric("convintel_ingest_consumed_total")
	b.kill()
	storedAtKill, lagAtKill, err := w.progress(conn, group)
	if err != nil {
		t.Fatal(err)
	}
	if lagAtKill == 0 {
		t.Fatal("ingest-b was killed after the stream was consumed")
	}
	t.Logf("ingest-b killed after reading %.0f events (ingest-a: %.0f); %d stored, lag %d", readB, readA, storedAtKill, lagAtKill)
	time.Sleep(time.Second)
	b2 := w.startIngest("ingest-b-restarted", dsn, group, batchEnv)
	recovery := w.waitDrained(conn, group, uint64(sim.tally.Events), 5*time.Minute, a, b2)
	waitFor(t, "two members again", time.Minute, 100*time.Millisecond, func() (bool, error) {
		n, err := w.stableMembers(group)
		return n == 2, err
	})
	finalA, _ := a.metric("convintel_ingest_consumed_total")
	finalB2, _ := b2.metric("convintel_ingest_consumed_total")
	for _, p := range []*ingestProc{a, b2} {
		if err := p.term(45 * time.Second); err != nil {
			t.Errorf("%s did not stop cleanly: %v", p.name, err)
		}
	}
	readAgain := int64(finalA+readB+finalB2) - int64(len(sim.lines))
	figure(t, scenario, "lines_produced", len(sim.lines))
	figure(t, scenario, "distinct_events_produced", sim.tally.Events)
	figure(t, scenario, "read_by_a_b_b_restarted", fmt.Sprintf("%.0f %.0f %.0f", finalA, readB, finalB2))
	figure(t, scenario, "events_read_twice", readAgain)
	figure(t, scenario, "kill_to_all_stored_and_lag_0", (recovery + time.Second).Round(10*time.Millisecond).String())
	figure(t, scenario, "produce_to_all_stored", time.Since(produced).Round(10*time.Millisecond).String())
	if readAgain < 0 {
		t.Errorf("the members read %d events fewer than produced", -readAgain)
	}

	st := w.status(dsn, group)
	checkStatus(t, st, sim.tally, 0)
	figure(t, scenario, "distinct_events_stored", st.EventsTotal)
	for _, tb := range rawTables {
		d := digest(t, conn, tb.name, tb.key, tb.perDelivery)
		if d.Keys != d.KeyContents {
			t.Errorf("%s: an event was stored twice with different content: %+v", tb.name, d)
		}
	}
	gmv, rawGMV := paidGMV(t, conn)
	if want := expectedPaidGMV(t, sim.lines); gmv != want {
		t.Errorf("paid GMV %d cents, produced %d", gmv, want)
	}
	figure(t, scenario, "paid_gmv_cents", gmv)
	figure(t, scenario, "paid_gmv_cents_without_dedup", rawGMV)

	// The same events imported in one go are the uninterrupted reference.
	cleanDSN, cleanConn := w.database("rebalance_clean")
	path := filepath.Join(w.dir, "rebalance.jsonl")
	if err := os.WriteFile(path, append(bytes.Join(sim.lines, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.run(5*time.Minute, nil, "import", "--quiet", "--clickhouse", cleanDSN, "--home", w.dir, path); err != nil {
		t.Fatal(err)
	}
	compareDatabases(t, conn, cleanConn)
	compareMetrics(t, w, dsn, cleanDSN, sim.tally)
	checkMergedUnique(t, conn)
}
