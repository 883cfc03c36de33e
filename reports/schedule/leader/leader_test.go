package leader

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/kafkalocal"
)

// watch records, for every member, when it led, and fails the test the
// moment two members lead at once.
type watch struct {
	t       *testing.T
	mu      sync.Mutex
	leading map[string]bool
	changes []string
}

func (w *watch) onChange(name string) func(bool) {
	return func(leader bool) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if leader {
			for other, l := range w.leading {
				if l && other != name {
					w.t.Errorf("%s became leader while %s still leads", name, other)
				}
			}
		}
		w.leading[name] = leader
		w.changes = append(w.changes, name+map[bool]string{true: "+", false: "-"}[leader])
	}
}

func (w *watch) leaders() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for n, l := range w.leading {
		if l {
			out = append(out, n)
		}
	}
	return out
}

// TestOneLeaderAndFailover: two electors in one group against a real-
// protocol Kafka: exactly one leads (and IsLeader agrees with the
// callbacks), never both; when the leader closes, the other takes over.
func TestOneLeaderAndFailover(t *testing.T) {
	broker, err := kafkalocal.Start(kafkalocal.Options{Partitions: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	kc := ingest.DefaultKafkaConfig()
	kc.Brokers = broker.Addrs()
	kc.SessionTimeout = 6 * time.Second // the broker's minimum
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	w := &watch{t: t, leading: map[string]bool{}}
	a, err := Elect(ctx, kc, "convintel-scheduler", w.onChange("a"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Elect(ctx, kc, "convintel-scheduler", w.onChange("b"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	members := map[string]*Leadership{"a": a, "b": b}

	// Let the group settle (b's join rebalances), then sample: one leader
	// at every sample, agreeing with IsLeader.
	waitFor(t, 30*time.Second, func() bool { return len(w.leaders()) == 1 })
	time.Sleep(3 * time.Second)
	for i := 0; i < 20; i++ {
		ls := w.leaders()
		if len(ls) != 1 {
			t.Fatalf("sample %d: leaders %v, want exactly one", i, ls)
		}
		if !members[ls[0]].IsLeader() || (a.IsLeader() && b.IsLeader()) {
			t.Fatalf("sample %d: IsLeader a=%v b=%v, callbacks say %v", i, a.IsLeader(), b.IsLeader(), ls)
		}
		time.Sleep(50 * time.Millisecond)
	}
	first := w.leaders()[0]
	other := map[string]string{"a": "b", "b": "a"}[first]

	start := time.Now()
	if err := members[first].Close(); err != nil {
		t.Fatal(err)
	}
	if members[first].IsLeader() {
		t.Fatal("closed member still says it leads")
	}
	// IsLeader turns true just before the callback runs: wait for both.
	waitFor(t, 30*time.Second, func() bool {
		ls := w.leaders()
		return members[other].IsLeader() && len(ls) == 1 && ls[0] == other
	})
	t.Logf("failover %s → %s in %s; changes %v", first, other, time.Since(start).Round(time.Millisecond), w.changes)
	if members[first].IsLeader() {
		t.Fatalf("after failover %s says it leads again", first)
	}
}

func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
