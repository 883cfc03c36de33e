package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/warehouse"
)

// Options configure a Scheduler.
type Options struct {
	// Cluster is where the metrics run (every shard) and the reports and
	// the completed slots are read (Global); a single server is
	// warehouse.Single(conn, db). Nil keeps the state in the file only.
	Cluster *warehouse.Cluster
	Metrics metrics.Settings
	Reports reports.Settings
	// ArchiveDir is where reports are written (reports.Settings.ArchiveDir
	// resolved against the data directory).
	ArchiveDir string
	Log        *slog.Logger
	// Registerer receives the scheduler's metrics; nil registers none.
	Registerer prometheus.Registerer
	// HTTPClient posts to webhooks; nil uses a 10 s timeout client.
	HTTPClient *http.Client
	// Now is the clock (tests pin it); nil is time.Now.
	Now func() time.Time
	// IsLeader gates every run when several replicas schedule: only the
	// leader (reports/schedule/leader) runs jobs; nil means this is the only one.
	IsLeader func() bool
}

// store is where the scheduler writes small bookkeeping rows (announced
// alerts): the first shard (nil without a database).
func (o Options) store() warehouse.Conn {
	if o.Cluster == nil {
		return nil
	}
	return o.Cluster.Shards[0]
}

// conn reads the whole database (nil without one).
func (o Options) conn() warehouse.Conn {
	if o.Cluster == nil {
		return nil
	}
	return o.Cluster.Global
}

// Scheduler runs the jobs on their slots and catches up missed ones.
type Scheduler struct {
	o      Options
	loc    *time.Location
	clocks map[string]clock
	m      *instruments

	mu   sync.Mutex // one job at a time: they write the same tables
	st   *state
	cron gocron.Scheduler

	// run executes one slot; prev is the job's last completed slot (zero
	// if none). Tests replace it.
	run func(ctx context.Context, job string, slot, prev time.Time) error
}

// New prepares a scheduler; it loads the state (the file, and the slots
// recorded in the database when Conn is set) but runs nothing.
func New(o Options) (*Scheduler, error) {
	if err := o.Reports.Validate(); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(o.Metrics.Timezone)
	if err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ArchiveDir == "" {
		return nil, errors.New("schedule: no archive directory")
	}
	statePath := o.Reports.Schedule.StateFile
	if statePath == "" {
		statePath = filepath.Join(o.ArchiveDir, "schedule-state.json")
	}
	if err := os.MkdirAll(filepath.Dir(statePath), 0o755); err != nil {
		return nil, err
	}
	// Bounded: New runs at start-up, before anything else waits on it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := loadState(ctx, statePath, o.conn())
	if err != nil {
		return nil, fmt.Errorf("schedule state: %w", err)
	}
	sc := o.Reports.Schedule
	ah, am := parseHHMM(sc.AlertsAt)
	wh, wm := parseHHMM(sc.WeeklyAt)
	s := &Scheduler{
		o: o, loc: loc, st: st, m: newInstruments(o.Registerer),
		clocks: map[string]clock{
			JobMetrics:  {kind: "hourly", minute: sc.MetricsMinute, loc: loc},
			JobIntraday: {kind: "hourly", minute: sc.IntradayMinute, loc: loc},
			JobAlerts:   {kind: "daily", hour: ah, minute: am, loc: loc},
			JobWeekly:   {kind: "weekly", hour: wh, minute: wm, loc: loc},
		},
	}
	s.run = s.runSlot
	s.publish()
	return s, nil
}

// publish sets the last-completed-slot gauges from the state.
func (s *Scheduler) publish() {
	for job, t := range s.st.Last {
		s.m.lastSlot.WithLabelValues(job).Set(float64(t.Unix()))
	}
}

// Start catches up missed slots, then triggers each job on its clock
// until Stop. Catch-up errors are logged, not returned: the next trigger
// retries.
func (s *Scheduler) Start(ctx context.Context) error {
	sch, err := gocron.NewScheduler(gocron.WithLocation(s.loc))
	if err != nil {
		return err
	}
	for _, job := range Jobs {
		job := job
		_, err := sch.NewJob(gocron.CronJob(s.clocks[job].cron(), false),
			gocron.NewTask(func() { s.RunDue(ctx, job) }),
			gocron.WithName(job), gocron.WithSingletonMode(gocron.LimitModeReschedule))
		if err != nil {
			return fmt.Errorf("schedule %s: %w", job, err)
		}
	}
	s.cron = sch
	s.CatchUp(ctx)
	sch.Start()
	for _, job := range Jobs {
		next := s.clocks[job].next(s.clocks[job].slotAt(s.o.Now()))
		s.o.Log.Info("scheduled", "job", job, "next", next.Format(time.RFC3339))
	}
	return nil
}

// Stop stops triggering jobs and waits for a running one.
func (s *Scheduler) Stop() error {
	if s.cron == nil {
		return nil
	}
	return s.cron.Shutdown()
}

// CatchUp runs every job's due slots, in job order.
func (s *Scheduler) CatchUp(ctx context.Context) {
	for _, job := range Jobs {
		s.RunDue(ctx, job)
	}
}

// RunDue runs the slots of job since its last completed one, oldest
// first, stopping at the first failure (the next trigger retries it).
// The metric job runs only its newest slot: it recomputes a range, which
// is widened to reach back to the last completed run.
func (s *Scheduler) RunDue(ctx context.Context, job string) error {
	if s.o.IsLeader != nil && !s.o.IsLeader() {
		return nil // another replica runs the schedule
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Another replica may have led since this one last ran.
	if err := s.st.refresh(ctx); err != nil {
		s.m.runs.WithLabelValues(job, "error").Inc()
		s.o.Log.Error("cannot read the completed slots; retrying at the next trigger", "job", job, "err", err)
		return fmt.Errorf("%s: %w", job, err)
	}
	s.publish()
	c := s.clocks[job]
	last := s.st.Last[job]
	slots, skipped := c.due(last, s.o.Now(), s.o.Reports.Schedule.CatchUpLimit)
	// The metric run recomputes a range and the hourly alert evaluation
	// looks at the day so far: only their newest slot is worth running.
	if (job == JobMetrics || job == JobIntraday) && len(slots) > 1 {
		skipped += len(slots) - 1
		slots = slots[len(slots)-1:]
	}
	missed := skipped
	if len(slots) > 1 {
		missed += len(slots) - 1
	}
	if missed > 0 {
		s.m.missed.WithLabelValues(job).Add(float64(missed))
		s.o.Log.Warn("missed scheduled runs; catching up", "job", job, "missed", missed,
			"running", len(slots), "last_completed", last.Format(time.RFC3339))
	}
	for _, slot := range slots {
		if err := s.runAndRecord(ctx, job, slot, last); err != nil {
			return err
		}
		last = slot
	}
	return nil
}

// RunSlot runs one slot of job now, whatever the state says (a manual
// rerun), and records it if it is the newest.
func (s *Scheduler) RunSlot(ctx context.Context, job string, slot time.Time) error {
	c, ok := s.clocks[job]
	if !ok {
		return fmt.Errorf("unknown job %q: choose metrics, intraday, alerts or weekly", job)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.st.refresh(ctx); err != nil {
		return err
	}
	return s.runAndRecord(ctx, job, c.slotAt(slot), s.st.Last[job])
}

func (s *Scheduler) runAndRecord(ctx context.Context, job string, slot, prev time.Time) error {
	start := time.Now()
	log := s.o.Log.With("job", job, "slot", slot.Format(time.RFC3339))
	err := s.run(ctx, job, slot, prev)
	s.m.duration.WithLabelValues(job).Observe(time.Since(start).Seconds())
	if err != nil {
		s.m.runs.WithLabelValues(job, "error").Inc()
		log.Error("scheduled run failed; it will be retried at the next trigger", "err", err)
		return fmt.Errorf("%s slot %s: %w", job, slot.Format(time.RFC3339), err)
	}
	s.m.runs.WithLabelValues(job, "ok").Inc()
	if err := s.st.done(ctx, job, slot); err != nil {
		return fmt.Errorf("save schedule state: %w", err)
	}
	s.publish()
	log.Info("scheduled run done", "elapsed", time.Since(start).Round(time.Millisecond))
	return nil
}

// LastCompleted returns the last completed slot of job (zero if none).
func (s *Scheduler) LastCompleted(job string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Last[job]
}

type instruments struct {
	runs     *prometheus.CounterVec
	missed   *prometheus.CounterVec
	lastSlot *prometheus.GaugeVec
	duration *prometheus.HistogramVec
	webhooks *prometheus.CounterVec
}

func newInstruments(reg prometheus.Registerer) *instruments {
	m := &instruments{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "convintel_schedule_runs_total",
			Help: "Scheduled slot runs by job and result (ok, error)."}, []string{"job", "result"}),
		missed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "convintel_schedule_missed_slots_total",
			Help: "Slots that were not run on time (caught up late, or skipped beyond the catch-up limit)."}, []string{"job"}),
		lastSlot: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "convintel_schedule_last_completed_slot_timestamp_seconds",
			Help: "Slot time of the last completed run per job."}, []string{"job"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "convintel_schedule_run_duration_seconds",
			Help: "Duration of scheduled runs.", Buckets: prometheus.ExponentialBuckets(0.5, 2, 12)}, []string{"job"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "convintel_schedule_webhook_posts_total",
			Help: "Webhook announcements by kind and result."}, []string{"kind", "result"}),
	}
	if reg != nil {
		reg.MustRegister(m.runs, m.missed, m.lastSlot, m.duration, m.webhooks)
	}
	return m
}
