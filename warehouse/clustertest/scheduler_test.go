package clustertest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/ingest/kafkalocal"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/schedule"
	"github.com/convintel/convintel/reports/schedule/leader"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestGatedSchedulersRunOncePerSlot: two `serve` replicas, each with its
// own scheduler and an elector in one leader group, are triggered at every
// hourly slot (as their crons would) and run the slot only while they
// lead: every slot runs exactly once across both, and after the leader
// closes mid-way the other one runs the remaining slots.
func TestGatedSchedulersRunOncePerSlot(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, db := chtest.New(t)
	broker, err := kafkalocal.Start(kafkalocal.Options{Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	kc := ingest.DefaultKafkaConfig()
	kc.Brokers = broker.Addrs()
	kc.SessionTimeout = 6 * time.Second

	ms := metrics.DefaultSettings()
	loc, _ := time.LoadLocation(ms.Timezone)
	var now atomic.Int64
	start := time.Date(2026, 11, 9, 10, 0, 0, 0, loc)
	now.Store(start.UnixNano())

	type replica struct {
		name  string
		sched *schedule.Scheduler
		reg   *prometheus.Registry
		lead  *leader.Leadership
	}
	var replicas []*replica
	for _, name := range []string{"a", "b"} {
		reg := prometheus.NewRegistry()
		rs := reports.DefaultSettings()
		rs.Schedule.MetricsMinute = 5
		s, err := schedule.New(schedule.Options{Cluster: warehouse.Single(conn, db), Metrics: ms, Reports: rs, ArchiveDir: t.TempDir(),
			Registerer: reg, Now: func() time.Time { return time.Unix(0, now.Load()).In(loc) }})
		if err != nil {
			t.Fatal(err)
		}
		l, err := leader.Elect(ctx, kc, "convintel-scheduler-test", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		replicas = append(replicas, &replica{name: name, sched: s, reg: reg, lead: l})
	}
	oneLeader := func() *replica {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			var ls []*replica
			for _, r := range replicas {
				if r.lead.IsLeader() {
					ls = append(ls, r)
				}
			}
			if len(ls) == 1 {
				return ls[0]
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("no single leader within 30 s")
		return nil
	}
	oneLeader()
	time.Sleep(3 * time.Second) // b's join rebalances the group once

	const slots = 6
	ranBy := map[string][]int{}
	var first *replica
	for i := 0; i < slots; i++ {
		if i == slots/2 {
			first.lead.Close() // the leader stops mid-way
		}
		l := oneLeader()
		if i == 0 {
			first = l
		}
		now.Store(start.Add(time.Duration(i)*time.Hour + 6*time.Minute).UnixNano())
		// Both replicas' crons fire for the slot at the same moment.
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, r := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if !r.lead.IsLeader() {
					return
				}
				if err := r.sched.RunDue(ctx, schedule.JobMetrics); err != nil {
					t.Errorf("replica %s slot %d: %v", r.name, i, err)
				}
				mu.Lock()
				ranBy[r.name] = append(ranBy[r.name], i)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	total := 0.0
	for _, r := range replicas {
		n := okRuns(t, r.reg, schedule.JobMetrics)
		total += n
		t.Logf("replica %s ran slots %v (%v ok runs), last completed %s", r.name, ranBy[r.name], n,
			r.sched.LastCompleted(schedule.JobMetrics).Format(time.RFC3339))
	}
	if total != slots {
		t.Fatalf("%v slot runs across both replicas, want exactly %d (one per slot)", total, slots)
	}
	second := replicas[0]
	if second == first {
		second = replicas[1]
	}
	if len(ranBy[first.name]) != slots/2 || len(ranBy[second.name]) != slots/2 {
		t.Fatalf("leader %s ran %v, successor %s ran %v; want the first %d slots then the rest", first.name, ranBy[first.name],
			second.name, ranBy[second.name], slots/2)
	}
	if got, want := second.sched.LastCompleted(schedule.JobMetrics), start.Add((slots-1)*time.Hour+5*time.Minute); !got.Equal(want) {
		t.Fatalf("successor's last completed slot %s, want %s", got, want)
	}
}

// okRuns reads convintel_schedule_runs_total{job, result="ok"}.
func okRuns(t *testing.T, reg *prometheus.Registry, job string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "convintel_schedule_runs_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			if labels["job"] == job && labels["result"] == "ok" {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
