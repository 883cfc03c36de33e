package metrics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/convintel/convintel/warehouse"
)

// Metric describes one metric of metrics.md: where its rows are stored,
// how they roll up and which fields it derives. Run, Show, export, the
// reports and the dashboards API read it; none of them branches on a
// metric's name. Adding a metric is adding a descriptor (Register) and its
// SQL files (see docs/architecture.md, "Adding a metric").
type Metric struct {
	// Name is what `metrics show NAME`, export and /api/metrics/NAME take.
	Name string
	// Section is the section of metrics.md that defines it; Names lists
	// metrics, and Run runs their jobs, in section order (then in the
	// order they were registered).
	Section int
	// Table is the result table: one partition per day, which the job
	// replaces.
	Table string
	// Grain is the stored row's key: what one row of Table is per.
	Grain []string
	// Job is the SQL file (sql/metrics/<Job>.sql, without .sql) that
	// inserts the days From..To into Table, or "" when the metric has no
	// daily job (alerts are evaluated after every job).
	Job string
	// CrossShard marks a job whose rows are not sums over buyers (a
	// shop's median handling time, §14): per shard it would see only that
	// shard's buyers. Run runs it once, after every shard's jobs, reading
	// and inserting through the global view (the Distributed tables on a
	// cluster, which route each shop's rows to one shard); a single server
	// runs it like any other job.
	CrossShard bool
	// ShowSQL is the roll-up (sql/metrics/<ShowSQL>.sql) that Show fills
	// with the grouping keys: it sums the stored counts over them.
	ShowSQL string
	// Dimensions are the --by dimensions a roll-up may keep, the first
	// being the default (date). A metric with Levels takes them from the
	// level instead.
	Dimensions []string
	// Keep are dimensions every roll-up keeps: summing across them would
	// mean nothing (funnel steps, gap signatures).
	Keep []string
	// Levels, when set, are the levels Table stores side by side in a
	// `level` column (drop-off: node, intent, product); the first is the
	// default. A query picks one with --level.
	Levels []Level
	// Derive turns the summed columns of one roll-up row into the spec's
	// fields, in the order they are shown (after the dimensions).
	Derive func(r Record) Row
	// Finish, when set, fills fields that depend on other rows of the
	// result (keys are the grouping keys in order): shares of a group,
	// conversion from the previous funnel step, an ordering.
	Finish func(keys []string, rows []Row)
	// Show, when set, replaces the roll-up: the metric is not summed over
	// dimensions (alerts: each alert once, in its latest state) and takes
	// no --by.
	Show func(ctx context.Context, conn warehouse.Conn, q Query) ([]Row, error)
	// Files holds the SQL files when they are not the project's
	// (sql.Files under metrics/); a test metric reads them from testdata.
	Files FS
}

// Level is one stored level of a metric with Levels.
type Level struct {
	Name       string
	Dimensions []string
	Keep       []string
}

// FS is where a metric's SQL files are read from: fs.ReadFileFS rooted
// where the files named by Job and ShowSQL (plus .sql) are.
type FS interface {
	ReadFile(name string) ([]byte, error)
}

var (
	catalogMu sync.RWMutex
	catalog   []*Metric
)

// Register adds m to the catalogue. Each metric registers itself from its
// own file (func init() { Register(...) }), so adding one touches no
// shared list. It panics on a duplicate name or an incomplete descriptor:
// both are programming errors found by the first test.
func Register(m Metric) {
	if err := m.validate(); err != nil {
		panic(err)
	}
	catalogMu.Lock()
	defer catalogMu.Unlock()
	for _, c := range catalog {
		if c.Name == m.Name {
			panic(fmt.Sprintf("metrics: %q registered twice", m.Name))
		}
	}
	catalog = append(catalog, &m)
	slices.SortStableFunc(catalog, func(a, b *Metric) int { return cmp.Compare(a.Section, b.Section) })
}

// unregister removes a metric (tests that register their own).
func unregister(name string) {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	catalog = slices.DeleteFunc(catalog, func(m *Metric) bool { return m.Name == name })
}

func (m Metric) validate() error {
	switch {
	case m.Name == "":
		return fmt.Errorf("metrics: a descriptor without a name")
	case m.Show == nil && (m.ShowSQL == "" || m.Derive == nil):
		return fmt.Errorf("metrics: %s needs ShowSQL and Derive (or its own Show)", m.Name)
	case m.Show == nil && len(m.Dimensions) == 0 && len(m.Levels) == 0:
		return fmt.Errorf("metrics: %s needs Dimensions or Levels", m.Name)
	case m.Job != "" && m.Table == "":
		return fmt.Errorf("metrics: %s has a job but no Table", m.Name)
	}
	return nil
}

// Catalog returns the registered metrics in section order.
func Catalog() []Metric {
	catalogMu.RLock()
	defer catalogMu.RUnlock()
	out := make([]Metric, len(catalog))
	for i, m := range catalog {
		out[i] = *m
	}
	return out
}

// Lookup returns the descriptor of the metric name.
func Lookup(name string) (Metric, bool) {
	catalogMu.RLock()
	defer catalogMu.RUnlock()
	for _, m := range catalog {
		if m.Name == name {
			return *m, true
		}
	}
	return Metric{}, false
}

// Names lists the metrics Show accepts, in section order.
func Names() []string {
	var out []string
	for _, m := range Catalog() {
		out = append(out, m.Name)
	}
	return out
}

// lookup is Lookup with the error a user sees.
func lookup(name string) (Metric, error) {
	m, ok := Lookup(name)
	if !ok {
		return m, fmt.Errorf("unknown metric %q: choose one of %s", name, strings.Join(Names(), ", "))
	}
	return m, nil
}

// RollsUp says whether the metric is summed over --by dimensions (every
// metric but one with its own Show).
func (m Metric) RollsUp() bool { return m.Show == nil }

// level returns the level name picked (the default when "") and the
// dimensions and kept dimensions that apply.
func (m Metric) level(name string) (Level, error) {
	if len(m.Levels) == 0 {
		return Level{Dimensions: m.Dimensions, Keep: m.Keep}, nil
	}
	if name == "" {
		return m.Levels[0], nil
	}
	var names []string
	for _, l := range m.Levels {
		if l.Name == name {
			return l, nil
		}
		names = append(names, l.Name)
	}
	return Level{}, fmt.Errorf("show %s: --level %q must be %s or %s", m.Name, name,
		strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// LevelNames lists the levels of the metric name ("" when it has none).
func LevelNames(name string) []string {
	m, _ := Lookup(name)
	var out []string
	for _, l := range m.Levels {
		out = append(out, l.Name)
	}
	return out
}

// Dimensions returns the --by dimensions metric name accepts at level
// (its default level when level is "" or unknown); none for a metric
// that does not roll up.
func Dimensions(name, level string) []string {
	m, ok := Lookup(name)
	if !ok || !m.RollsUp() {
		return nil
	}
	l, err := m.level(level)
	if err != nil {
		l = m.Levels[0]
	}
	return slices.Clone(l.Dimensions)
}

// jobs are the registered metrics with a daily job, in run order.
func jobs() []job {
	var out []job
	for _, m := range Catalog() {
		if m.Job != "" {
			out = append(out, job{name: m.Job, table: m.Table, files: m.Files, crossShard: m.CrossShard})
		}
	}
	return append(out, alertJobs...)
}
