package leader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/convintel/convintel/ingest"
)

// Topic is the single-partition topic whose group membership elects.
const Topic = "convintel.leader"

// Leadership is one replica's membership in an election.
//
// Exactly one member holds partition 0 in a generation, and a member steps
// down (IsLeader false, onChange(false) returned) before it rejoins for the
// next generation, so two members are never leader at once while they can
// reach the broker. A member cut off from the broker steps down when its
// heartbeat fails, at most about the session timeout after the broker gave
// partition 0 to another member: jobs gated on IsLeader should be
// idempotent per slot, as the scheduler's are.
type Leadership struct {
	group    *kafka.ConsumerGroup
	leader   atomic.Bool
	onChange func(leader bool)
	mu       sync.Mutex // serializes onChange calls in state order
	log      *slog.Logger
	done     chan struct{}
	close    sync.Once
}

// Elect joins election group (a consumer group id, one per deployment,
// e.g. "convintel-scheduler") on the brokers of kc, with kc's SASL/TLS
// settings, creating Topic with one partition when it is missing. onChange
// (may be nil) is called with true when this member becomes leader and
// with false when it stops, never concurrently. Leadership ends when ctx
// ends or Close is called.
func Elect(ctx context.Context, kc ingest.KafkaConfig, group string, onChange func(leader bool)) (*Leadership, error) {
	if group == "" {
		return nil, errors.New("leader election: empty group name")
	}
	d, err := kc.Dialer()
	if err != nil {
		return nil, err
	}
	if err := ensureTopic(ctx, d, kc.Brokers); err != nil {
		return nil, err
	}
	session := kc.SessionTimeout
	if session <= 0 {
		session = 10 * time.Second
	}
	log := slog.Default().With("election", group)
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                group,
		Brokers:           kc.Brokers,
		Dialer:            d,
		Topics:            []string{Topic},
		SessionTimeout:    session,
		HeartbeatInterval: session / 5,
		RebalanceTimeout:  session,
		JoinGroupBackoff:  time.Second,
		Timeout:           5 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("leader election group %s: %w", group, err)
	}
	l := &Leadership{group: cg, onChange: onChange, log: log, done: make(chan struct{})}
	go l.run()
	go func() {
		select {
		case <-ctx.Done():
			l.Close()
		case <-l.done:
		}
	}()
	return l, nil
}

// IsLeader reports whether this member is the leader now.
func (l *Leadership) IsLeader() bool { return l.leader.Load() }

// Close leaves the group (the next member takes over within a rebalance)
// and returns once this member has stepped down.
func (l *Leadership) Close() error {
	l.close.Do(func() { l.group.Close() })
	<-l.done
	l.set(false)
	return nil
}

func (l *Leadership) run() {
	defer close(l.done)
	var lastErr string
	for {
		gen, err := l.group.Next(context.Background())
		if errors.Is(err, kafka.ErrGroupClosed) {
			return
		}
		if err != nil {
			// The group retries joining with a backoff by itself; log each
			// distinct error once.
			if err.Error() != lastErr {
				l.log.Warn("leader election: group error; retrying", "err", err)
				lastErr = err.Error()
			}
			continue
		}
		lastErr = ""
		lead := false
		for _, a := range gen.Assignments[Topic] {
			lead = lead || a.ID == 0
		}
		if !lead {
			continue
		}
		l.set(true)
		// The generation waits for this to return before the member
		// rejoins, so the step-down happens before anyone else can lead.
		gen.Start(func(ctx context.Context) {
			<-ctx.Done()
			l.set(false)
		})
	}
}

func (l *Leadership) set(leader bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.leader.Swap(leader) == leader {
		return
	}
	l.log.Info("leadership changed", "leader", leader)
	if l.onChange != nil {
		l.onChange(leader)
	}
}

// ensureTopic creates Topic with one partition when it does not exist
// (replication factor 1: in production create it ahead with the cluster's
// usual replication, see docs/deployment.md).
func ensureTopic(ctx context.Context, d *kafka.Dialer, brokers []string) error {
	var conn *kafka.Conn
	var err error
	for _, b := range brokers {
		if conn, err = d.DialContext(ctx, "tcp", b); err == nil {
			break
		}
	}
	if conn == nil {
		return fmt.Errorf("leader election: no Kafka broker of %v answers: %w", brokers, err)
	}
	defer conn.Close()
	ctl, err := conn.Controller()
	if err != nil {
		return fmt.Errorf("leader election: find Kafka controller: %w", err)
	}
	cc, err := d.DialContext(ctx, "tcp", ctl.Host+":"+strconv.Itoa(ctl.Port))
	if err != nil {
		return fmt.Errorf("leader election: dial Kafka controller: %w", err)
	}
	defer cc.Close()
	err = cc.CreateTopics(kafka.TopicConfig{Topic: Topic, NumPartitions: 1, ReplicationFactor: 1})
	if err != nil && !errors.Is(err, kafka.TopicAlreadyExists) {
		return fmt.Errorf("leader election: create topic %s: %w", Topic, err)
	}
	return nil
}
