package metrics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/warehouse"
)

// Report says what a Run computed.
type Report struct {
	From, To time.Time
	Days     int
	Jobs     []JobReport
	Alerts   int // alert rows written (open or closed)
	// AlertDaysAfter counts the days after To whose alerts were
	// evaluated again (alerts only: their state is carried from To's).
	AlertDaysAfter int
	// Retries counts job-days rerun after a transient error (a server or
	// replica unreachable; see transient).
	Retries int
	Elapsed time.Duration
}

// JobReport is one job over the range.
type JobReport struct {
	Job     string
	Days    int
	Rows    uint64
	Elapsed time.Duration
}

// job is one metric job: a .sql file inserting days into its table.
type job struct {
	name  string // <files>/<name>.sql
	table string
	files FS // nil: the project's sql/metrics
	// crossShard: run once through the global view after the shards
	// (Metric.CrossShard).
	crossShard bool
	// fill: the days hold no rows yet (summaryBackfill checked), so they
	// are inserted without dropping their partitions first.
	fill bool
}

// summaryJob is the consultation summary every metric job reads; it runs
// first, over the attribution look-back too (see runShard).
var summaryJob = job{name: "consultations", table: "metric_consultations"}

// backfillJob is the summary of days summaryBackfill found missing.
var backfillJob = job{name: summaryJob.name, table: summaryJob.table, fill: true}

// Run recomputes every metric for the days from..to (local dates in the
// settings' zone; inclusive) and evaluates the alert rules for them. Each
// job replaces its day's partition, so running twice leaves identical
// tables. The consultation summary is also recomputed for the attribution
// look-back before from, which GMV attribution reads. A day's alert state
// is carried from the day before's, so the alerts (only) of the later days
// already evaluated are evaluated again, through the last day an earlier
// run evaluated (lastAlertDay; Report.AlertDaysAfter). progress, when set,
// is called after every job-day.
//
// The jobs run on every shard's local database (cl.Shards), shards in
// parallel, and are exact there because a buyer's events never span
// shards; then the cross-shard jobs (Metric.CrossShard: a shop's median,
// which no sum of shards gives) run once over the whole through cl.Global,
// their old days dropped on every shard; then the alert rules are evaluated once, after every shard
// finished, over the daily series summed across shards (read through
// cl.Global), and the alert rows are stored on the first shard
// (Distributed reads of metric_alerts see them from every node). Rows and
// Elapsed of a job are summed over shards. A single server is the
// one-shard cluster warehouse.Single(conn, db).
func Run(ctx context.Context, cl *warehouse.Cluster, s Settings, from, to time.Time, progress func(done, total int, job string)) (Report, error) {
	return run(ctx, cl.Shards, cl.Global, cl.Shards[0], s, from, to, progress, cl.SyncReplicas)
}

// run computes the jobs on every conn of shards, then the alerts reading
// through read and storing through store. syncReplicas, before anything is read
// through read, brings every replica up to date with the tables the shard
// jobs wrote (warehouse.Cluster.SyncReplicas; a no-op without replicas).
func run(ctx context.Context, shards []warehouse.Conn, read, store warehouse.Conn, s Settings, from, to time.Time,
	progress func(done, total int, job string), syncReplicas func(ctx context.Context, tables ...string) error) (Report, error) {
	start := time.Now()
	if err := s.Validate(); err != nil {
		return Report{}, err
	}
	loc := s.location()
	first := localDay(from, loc)
	last := localDay(to, loc)
	if last.Before(first) {
		return Report{}, fmt.Errorf("metrics run: --to %s is before --from %s", last.Format(time.DateOnly), first.Format(time.DateOnly))
	}
	days := 0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		days++
	}
	lookback := int((2*s.AttributionWindow + 24*time.Hour - 1) / (24 * time.Hour))
	var dailyJobs, crossJobs []job
	for _, j := range jobs() {
		if j.crossShard {
			crossJobs = append(crossJobs, j)
		} else {
			dailyJobs = append(dailyJobs, j)
		}
	}
	backfill := make([][]time.Time, len(shards))
	nBackfill := 0
	for i, conn := range shards {
		b, err := summaryBackfill(ctx, conn, s, first, last, lookback)
		if err != nil {
			return Report{}, err
		}
		backfill[i] = b
		nBackfill += len(b)
	}
	// The days after the run whose alerts were evaluated before carry their
	// state from the days it rewrites: their alerts are evaluated again
	// (their metric rows stand), so the table is the same as after one run
	// over every day.
	alertsTo := last
	if stored, err := lastAlertDay(ctx, read, loc); err != nil {
		return Report{}, err
	} else if stored.After(last) {
		alertsTo = stored
	}
	alertDays := days
	for d := last; d.Before(alertsTo); d = d.AddDate(0, 0, 1) {
		alertDays++
	}
	total := len(shards)*((days+lookback)+days*len(dailyJobs)) + nBackfill + days*len(crossJobs) + alertDays
	rep := Report{From: first, To: last, Days: days, AlertDaysAfter: alertDays - days}
	var mu sync.Mutex // guards done, stats, order and progress calls
	done := 0
	tick := func(name string) {
		done++
		if progress != nil {
			progress(done, total, name)
		}
	}
	stats := map[string]*JobReport{}
	var order []string
	runOne := func(ctx context.Context, conn warehouse.Conn, j job, d time.Time, days int) error {
		t0 := time.Now()
		var n uint64
		retries, err := retryTransient(ctx, transientLimit, func() (err error) {
			if j.crossShard {
				n, err = runCrossShardDays(ctx, shards, conn, s, j, d, days)
			} else {
				n, err = runJobDays(ctx, conn, s, j, d, days)
			}
			return err
		})
		mu.Lock()
		defer mu.Unlock()
		rep.Retries += retries
		if err != nil {
			return fmt.Errorf("metrics job %s for %s: %w", j.name, d.Format(time.DateOnly), err)
		}
		st := stats[j.name]
		if st == nil {
			st = &JobReport{Job: j.name}
			stats[j.name] = st
			order = append(order, j.name)
		}
		if conn == shards[0] || j.crossShard {
			st.Days += days
		}
		st.Rows += n
		st.Elapsed += time.Since(t0)
		for range days {
			tick(j.name)
		}
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	for i, conn := range shards {
		g.Go(func() error {
			err := runShard(gctx, conn, dailyJobs, first, last, lookback, backfill[i], runOne)
			if err != nil && len(shards) > 1 {
				err = fmt.Errorf("shard %d: %w", i+1, err)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return rep, err
	}
	written := []string{summaryJob.table}
	for _, j := range dailyJobs {
		written = append(written, j.table)
		if j.name == qaJob.name && j.files == nil {
			written = append(written, "qa_violations") // runQA's second table
		}
	}
	if err := syncReplicas(ctx, written...); err != nil {
		return rep, fmt.Errorf("metrics: replicas catching up with the shard jobs: %w", err)
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, jobChunkDays) {
		days := jobChunkDays
		for d.AddDate(0, 0, days-1).After(last) {
			days--
		}
		for _, j := range crossJobs {
			if err := runOne(ctx, read, j, d, days); err != nil {
				return rep, err
			}
		}
	}
	crossTables := make([]string, len(crossJobs))
	for i, j := range crossJobs {
		crossTables[i] = j.table
	}
	if err := syncReplicas(ctx, crossTables...); err != nil {
		return rep, fmt.Errorf("metrics: replicas catching up with the cross-shard jobs: %w", err)
	}
	t0 := time.Now()
	for d := first; !d.After(alertsTo); d = d.AddDate(0, 0, 1) {
		var n int
		retries, err := retryTransient(ctx, transientLimit, func() (err error) {
			if n, err = evaluateAlerts(ctx, read, store, s, d); err != nil {
				return err
			}
			return markAlertDay(ctx, store, d, start)
		})
		rep.Retries += retries
		if err != nil {
			return rep, fmt.Errorf("metrics alerts for %s: %w", d.Format(time.DateOnly), err)
		}
		rep.Alerts += n
		tick("alerts")
	}
	for _, name := range order {
		rep.Jobs = append(rep.Jobs, *stats[name])
	}
	rep.Jobs = append(rep.Jobs, JobReport{Job: "alerts", Days: alertDays, Rows: uint64(rep.Alerts), Elapsed: time.Since(t0)})
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// runShard runs the summary (the days of backfill, one statement per run
// of consecutive days, then the run's days with their look-back, in passes
// of up to summaryChunkDays) and then the other jobs (in passes of up to
// jobChunkDays) on one connection.
func runShard(ctx context.Context, conn warehouse.Conn, dailyJobs []job, first, last time.Time, lookback int, backfill []time.Time,
	runOne func(context.Context, warehouse.Conn, job, time.Time, int) error) error {
	for i := 0; i < len(backfill); {
		n := 1
		for i+n < len(backfill) && n < summaryChunkDays && backfill[i+n].Equal(backfill[i].AddDate(0, 0, n)) {
			n++
		}
		if err := runOne(ctx, conn, backfillJob, backfill[i], n); err != nil {
			return err
		}
		i += n
	}
	for d := first.AddDate(0, 0, -lookback); !d.After(last); d = d.AddDate(0, 0, summaryChunkDays) {
		days := summaryChunkDays
		for d.AddDate(0, 0, days-1).After(last) {
			days--
		}
		if err := runOne(ctx, conn, summaryJob, d, days); err != nil {
			return err
		}
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, jobChunkDays) {
		days := jobChunkDays
		for d.AddDate(0, 0, days-1).After(last) {
			days--
		}
		for _, j := range dailyJobs {
			if err := runOne(ctx, conn, j, d, days); err != nil {
				return err
			}
		}
	}
	return nil
}

// markAlertDay records in metric_alert_days that a run started at `at`
// evaluated day d's alerts, after their rows are stored: a day with no
// traffic and nothing open stores no alert or metric row, and without the
// mark a later rerun of earlier days would not evaluate it again. Stored
// through store, as the alert rows are (the first shard of a cluster). A
// rerun's mark of the same day is one more row, which the table's merges
// collapse; lastAlertDay reads max(date), which duplicates do not change.
func markAlertDay(ctx context.Context, store warehouse.Conn, d, at time.Time) error {
	err := insertFile(ctx, store, "alert_days_insert", func(b driver.Batch) error {
		return b.Append(utcDate(d), at.Truncate(time.Second))
	})
	if err != nil {
		return fmt.Errorf("marking the alerts of %s evaluated: %w", d.Format(time.DateOnly), err)
	}
	return nil
}

// lastAlertDay is the last day whose alerts were evaluated
// (sql/metrics/alerts_last_day.sql: the days metric_alert_days marks, and
// for days evaluated before that table existed, the last day holding
// alert or metric rows), as a local midnight in loc; before 1970-01-02
// when nothing is stored.
func lastAlertDay(ctx context.Context, conn warehouse.Conn, loc *time.Location) (time.Time, error) {
	stmt, err := render("alerts_last_day", nil)
	if err != nil {
		return time.Time{}, err
	}
	var d time.Time
	if err := conn.QueryRow(ctx, stmt).Scan(&d); err != nil {
		return time.Time{}, fmt.Errorf("finding the last day with stored alert state: %w", err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
}

// localDay returns the local midnight of t's date in loc.
func localDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// rangeParams are what job templates see: numbers computed here and the
// validated zone name, never user text. A job computes the days
// From..To in one statement.
type rangeParams struct {
	TZ             string
	From, To       string // 2006-01-02
	FromMs, ToMs   int64  // the first day's start and the start of the day after the last
	FromSec, ToSec int64
	HiSec          int64 // raw-event read bound: W after the last day
	W              int64 // attribution window, ms
	Model, Anchor  string
	Steps          []stepParam
	GrowthParams
	// Slice is the buyers a sliced job's statement keeps (slices.go);
	// the zero slice keeps every buyer.
	Slice buyerSlice
}

type stepParam struct {
	Index    int
	Name     string
	Cond     string // SQL condition over the funnel event stream (whitelisted)
	ReachSQL string // the chain's link times, "expr AS alias", comma-separated
	Reached  string // the alias of the chain's last link time
}

func paramsFor(s Settings, first, last time.Time) rangeParams {
	next := last.AddDate(0, 0, 1)
	w := s.AttributionWindow.Milliseconds()
	return rangeParams{
		TZ: s.Timezone, From: first.Format(time.DateOnly), To: last.Format(time.DateOnly),
		FromMs: first.UnixMilli(), ToMs: next.UnixMilli(), FromSec: first.Unix(), ToSec: next.Unix(),
		HiSec: (next.UnixMilli()+w)/1000 + 1,
		W:     w, Model: s.AttributionModel, Anchor: s.AttributionAnchor,
		Steps:        funnelSteps(s.FunnelSteps),
		GrowthParams: growthParams(s),
	}
}

// runJobDays replaces job j's partitions for the days from d and returns
// their rows: every job computes its days in one statement, or one per
// buyer slice (slices.go; the summary its own way, see runSummary).
func runJobDays(ctx context.Context, conn warehouse.Conn, s Settings, j job, d time.Time, days int) (uint64, error) {
	last := d.AddDate(0, 0, days-1)
	if j == summaryJob || j == backfillJob {
		return runSummary(ctx, conn, s, d, last, j.fill)
	}
	if j.name == qaJob.name && j.files == nil {
		// In passes the size of the summary's: it holds the same events.
		var n uint64
		for p := d; !p.After(last); p = p.AddDate(0, 0, summaryChunkDays) {
			pl := p.AddDate(0, 0, summaryChunkDays-1)
			if pl.After(last) {
				pl = last
			}
			m, err := runQA(ctx, conn, s, p, pl)
			if err != nil {
				return n, err
			}
			n += m
		}
		return n, nil
	}
	p := paramsFor(s, d, last)
	slices := []buyerSlice{{}}
	if j.files == nil && slicedJobs[j.name] {
		var err error
		if slices, err = buyerSlices(ctx, conn, consultationSlices, p, s.StatementConsultations); err != nil {
			return 0, fmt.Errorf("cutting the buyers into slices: %w", err)
		}
	}
	return replaceDays(ctx, conn, j.table, d, last, slices, func(sl buyerSlice) (string, error) {
		p.Slice = sl
		return renderFrom(j.files, j.name, p)
	})
}

// runCrossShardDays is runJobDays for a cross-shard job: the days are
// dropped on every shard (where earlier rows may lie), then one statement
// reads and inserts through read. On a cluster read is the Distributed
// view: the statement sees every shard's rows and its inserted rows go to
// the shards by their sharding key (a shop's rows to one shard); on a
// single server read is the server itself.
func runCrossShardDays(ctx context.Context, shards []warehouse.Conn, read warehouse.Conn, s Settings, j job, d time.Time, days int) (uint64, error) {
	last := d.AddDate(0, 0, days-1)
	stmt, err := renderFrom(j.files, j.name, paramsFor(s, d, last))
	if err != nil {
		return 0, err
	}
	for _, conn := range shards {
		for day := d; !day.After(last); day = day.AddDate(0, 0, 1) {
			if err := dropDay(ctx, conn, j.table, day); err != nil {
				return 0, err
			}
		}
	}
	if err := read.Exec(ctx, stmt); err != nil {
		return 0, err
	}
	return dayRows(ctx, read, j.table, d, last)
}

// dayRows counts the rows of a result table for the days first..last.
func dayRows(ctx context.Context, conn warehouse.Conn, table string, first, last time.Time) (uint64, error) {
	stmt, err := render("day_rows", map[string]string{"Table": table, "From": first.Format(time.DateOnly), "To": last.Format(time.DateOnly)})
	if err != nil {
		return 0, err
	}
	var n uint64
	err = conn.QueryRow(ctx, stmt).Scan(&n)
	return n, err
}

// dropDay removes a day's partition of a result table (synchronous; a
// missing partition is fine).
func dropDay(ctx context.Context, conn warehouse.Conn, table string, d time.Time) error {
	return dropPartition(ctx, conn, table, d.Format("20060102"))
}

// maxBackfillDays bounds how far before a run's first day summaryBackfill
// reaches for the consultations of an order created long before it was
// paid.
const maxBackfillDays = 92

// roiWindowDays is §14's fallback window: the 28 days ending with the day.
const roiWindowDays = 28

// summaryBackfill returns the days before the run's look-back whose
// consultation summary the run's jobs read and metric_consultations does
// not hold: §14's 28-day fallback window and the candidate days of orders
// paid in the run but created before it (a 双11 deposit paid a week after
// the consultation the bot answered). Computing them first makes a day's
// rows the same whichever days a run or rerun started from; on a database
// whose earlier days were computed (the hourly rerun's case) the list is
// empty and costs one query. A day without consultations is never stored
// and is computed again each run, which is cheap: it has no events.
func summaryBackfill(ctx context.Context, conn warehouse.Conn, s Settings, first, last time.Time, lookback int) ([]time.Time, error) {
	hi := first.AddDate(0, 0, -lookback-1)
	roiLo := first.AddDate(0, 0, -(roiWindowDays - 1))
	roiDays := max(0, roiWindowDays-1-lookback)
	next := last.AddDate(0, 0, 1)
	dayMs := int64(24 * time.Hour / time.Millisecond)
	stmt, err := render("summary_backfill", map[string]any{
		"TZ": s.Timezone, "Hi": hi.Format(time.DateOnly), "RoiLo": roiLo.Format(time.DateOnly), "RoiDays": roiDays,
		"OrderLo": first.AddDate(0, 0, -maxBackfillDays).Format(time.DateOnly),
		"Created": s.AttributionAnchor == "created", "WDays": (s.AttributionWindow.Milliseconds() + dayMs - 1) / dayMs,
		"FromSec": first.Unix(), "ToSec": next.Unix(), "Slice": buyerSlice{},
	})
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		return nil, fmt.Errorf("finding the consultation days the run reads: %w", err)
	}
	defer rows.Close()
	var missing []time.Time
	loc := s.location()
	for rows.Next() {
		var d time.Time
		var stored uint8
		if err := rows.Scan(&d, &stored); err != nil {
			return nil, err
		}
		if stored == 0 {
			missing = append(missing, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc))
		}
	}
	return missing, rows.Err()
}
