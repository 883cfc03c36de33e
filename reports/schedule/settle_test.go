package schedule

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestDaysSettleUnderTheScheduler replays simulated days through the
// scheduler's slots as they would arrive (each run sees the events up to
// half an hour before its slot) and compares the stored figures with one metrics.Run over all
// the data. A day's conversion and drop-off wait W = 72 h for orders, so
// they are final only when the day is recomputed after its window closed
// (on its fourth day after); the hourly run's lookback of 3 days never
// reached it, and the audit found shop-01 09-18 stored with 128 ordered
// buyers instead of 142. conversion_drop judges only days whose window has
// closed, so under the scheduler it never fired; here a planted drop must
// raise it on its day, and the early-warning report written the morning
// that day settled must show it (the 00:05 run, with the night's orders
// not in yet, cannot judge it: the 08:30 run must recompute it).
func TestDaysSettleUnderTheScheduler(t *testing.T) {
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.Days, cfg.Shops, cfg.ConsultationsPerShopDay = 7, 13, 1, 250
	const dropDay = 8
	cfg.Anomalies = []simulate.Anomaly{simulate.ConversionDrop{Shop: "shop-01", Day: dropDay, Drop: 1}}
	type event struct {
		ts   int64
		line []byte
	}
	var events []event
	dec := ingest.NewDecoder()
	if _, err := simulate.Run(cfg, func(line []byte) error {
		var e ingest.Event
		if err := dec.Decode(line, &e); err != nil {
			return err
		}
		events = append(events, event{e.TsMs, append([]byte(nil), line...)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortStableFunc(events, func(a, b event) int { return int(a.ts - b.ts) })
	model, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	load := func(conn warehouse.Conn, evs []event) {
		t.Helper()
		if len(evs) == 0 {
			return
		}
		p := ingest.NewPipeline(ingest.Options{Writer: ingest.NewWriter(conn, nil, nil), Enrich: ingest.NLPEnricher(model, false), Workers: 2})
		in := make(chan ingest.Batch, 1)
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx, in) }()
		var b ingest.Batch
		for _, e := range evs {
			b.Records = append(b.Records, ingest.Record{Value: e.line, Source: "simulate", Location: "line"})
			b.Bytes += len(e.line)
		}
		in <- b
		close(in)
		if err := <-done; err != nil {
			t.Fatalf("ingest: %v", err)
		}
	}
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	settings := metrics.DefaultSettings()

	// All the data at once.
	whole, wholeDB := chtest.New(t)
	load(whole, events)
	if _, err := metrics.Run(ctx, warehouse.Single(whole, wholeDB), settings, from, to, nil); err != nil {
		t.Fatal(err)
	}

	// The same data through the scheduler: each day, the metric run at
	// 00:05 (the day's first; the other hours keep the lookback) and the
	// alerts at 08:30, until the last day's window has closed.
	conn, db := chtest.New(t)
	var now time.Time
	dir := t.TempDir()
	rs := reports.DefaultSettings()
	rs.Languages = []string{reports.LangEN}
	s, err := New(Options{Cluster: warehouse.Single(conn, db), Metrics: settings, Reports: rs, ArchiveDir: dir,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	// Events reach the database half an hour late: the 00:05 run does not
	// see the last orders of a window that closed at midnight.
	const lag = 30 * time.Minute
	loaded := 0
	advance := func(at time.Time) {
		t.Helper()
		now = at
		n := loaded
		for n < len(events) && events[n].ts <= at.Add(-lag).UnixMilli() {
			n++
		}
		load(conn, events[loaded:n])
		loaded = n
	}
	// A day's alerts carry on from the day before's: an alert open
	// yesterday has a row today (still open, or closed). Today was
	// evaluated at 00:05, before the 08:30 run rewrote yesterday's alerts;
	// what that run opens must reach today at once, not at the next
	// hourly run.
	carriedToToday := func(today time.Time) {
		t.Helper()
		stored := func(d time.Time) []metrics.Alert {
			as, err := metrics.Alerts(ctx, conn, metrics.Query{From: d, To: d})
			if err != nil {
				t.Fatal(err)
			}
			return as
		}
		has := map[string]bool{}
		for _, a := range stored(today) {
			has[a.ID] = true
		}
		for _, a := range stored(today.AddDate(0, 0, -1)) {
			if a.Status == metrics.AlertOpen && !has[a.ID] {
				t.Errorf("after the alerts run of %s the alert %s (%s, opened %s) is open the day before and not stored for the day",
					today.Format(time.DateOnly), a.ID, a.Rule, a.Opened.Format(time.DateOnly))
			}
		}
	}
	for d := from; !d.After(to.AddDate(0, 0, 5)); d = d.AddDate(0, 0, 1) {
		advance(d.Add(5 * time.Minute))
		if err := s.RunDue(ctx, JobMetrics); err != nil {
			t.Fatal(err)
		}
		advance(d.Add(8*time.Hour + 30*time.Minute))
		if err := s.RunDue(ctx, JobAlerts); err != nil {
			t.Fatal(err)
		}
		carriedToToday(d)
	}
	if loaded != len(events) {
		t.Fatalf("replay loaded %d of %d events", loaded, len(events))
	}

	// Every day's stored figures equal the one-shot run's.
	for _, m := range []struct {
		name string
		by   []string
	}{{"conversion", []string{"date", "shop_id"}}, {"dropoff", []string{"date", "shop_id", "node"}}, {"funnel", []string{"date", "shop_id", "step"}}} {
		q := metrics.Query{From: from, To: to, By: m.by}
		want, err := metrics.Show(ctx, whole, m.name, q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := metrics.Show(ctx, conn, m.name, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatalf("%s: the one-shot run stored nothing", m.name)
		}
		bad := 0
		for i := range max(len(got), len(want)) {
			var g, w string
			if i < len(got) {
				g = fmt.Sprint(got[i])
			}
			if i < len(want) {
				w = fmt.Sprint(want[i])
			}
			if g != w {
				if bad++; bad <= 3 {
					t.Errorf("%s under the scheduler:\n got  %s\n want %s (one run over all data)", m.name, g, w)
				}
			}
		}
		if bad > 3 {
			t.Errorf("%s: %d rows differ", m.name, bad)
		}
	}

	// The planted drop raises conversion_drop on its day, as one run does.
	day := cfg.Start.AddDate(0, 0, dropDay)
	opened := func(c warehouse.Conn) bool {
		t.Helper()
		as, err := metrics.Alerts(ctx, c, metrics.Query{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if a.Rule == metrics.RuleConversionDrop && a.Shop == "shop-01" && a.Opened.Format(time.DateOnly) == day.Format(time.DateOnly) {
				return true
			}
		}
		return false
	}
	if !opened(whole) {
		rows, _ := metrics.Show(ctx, whole, "conversion", metrics.Query{From: from, To: to, By: []string{"date"}})
		as, _ := metrics.Alerts(ctx, whole, metrics.Query{From: from, To: to})
		t.Logf("conversion %v\nalerts %+v", rows, as)
		t.Fatalf("one run over all data raises no conversion_drop on %s: the planted drop is too small", day.Format(time.DateOnly))
	}
	if !opened(conn) {
		t.Errorf("under the scheduler no conversion_drop was raised on %s", day.Format(time.DateOnly))
	}
	// It is known at 08:30 on the fourth day after it, when its window has
	// closed: the early-warning report of the day before shows it open.
	page := ArchivePath(dir, "alerts", day.AddDate(0, 0, 3).Format(time.DateOnly), reports.LangEN)
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "prices and stock changes") {
		t.Errorf("%s does not show the conversion_drop alert of %s", page, day.Format(time.DateOnly))
	}
}
