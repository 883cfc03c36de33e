package schedule

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/reports/schedule/leader"
)

// LeaderGroup is the Kafka consumer group through which `serve` replicas
// elect the one that runs the jobs.
const LeaderGroup = "convintel-scheduler"

// Start builds and starts a scheduler. With Kafka brokers in kc, the
// replicas that share them elect one leader through LeaderGroup and only
// the leader runs jobs; each time this replica takes over it catches up
// the slots missed meanwhile (in the background: the election never
// waits for a catch-up). Without brokers this is the only scheduler. stop
// stops the scheduler, then leaves the election.
func Start(ctx context.Context, o Options, kc ingest.KafkaConfig) (s *Scheduler, stop func(), err error) {
	var lead *leader.Leadership
	var started atomic.Pointer[Scheduler] // read by the catch-up goroutine
	if len(kc.Brokers) > 0 {
		took := make(chan struct{}, 1)
		lead, err = leader.Elect(ctx, kc, LeaderGroup, func(isLeader bool) {
			if o.Log != nil {
				o.Log.Info("scheduler leadership", "leader", isLeader)
			}
			if isLeader {
				select { // never block the election
				case took <- struct{}{}:
				default:
				}
			}
		})
		if err != nil {
			return nil, nil, fmt.Errorf("scheduler leader election: %w", err)
		}
		o.IsLeader = lead.IsLeader
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case <-took:
					if sch := started.Load(); sch != nil {
						sch.CatchUp(ctx)
					}
				}
			}
		}()
	}
	leave := func() {
		if lead != nil {
			lead.Close()
		}
	}
	s, err = New(o)
	if err == nil {
		err = s.Start(ctx)
	}
	if err != nil {
		leave()
		return nil, nil, err
	}
	started.Store(s)
	return s, func() { s.Stop(); leave() }, nil
}
