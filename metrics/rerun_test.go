package metrics

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/simulate"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

// TestRerunOfADayCarriesAlertsToTheDaysAfter: a day's alert state is
// carried from the stored rows of the day before, so rerunning a past day
// whose data changed must carry its new alerts through the days after it
// that were evaluated earlier. Here a planted topic surge's chats reach
// the database late: the first run over all days sees no surge, the rerun
// of its day alone opens the alert there, and the whole of metric_alerts
// must then equal one run over all the data. Before, the day after the
// surge kept its old rows (no closed row for the new alert) and the later
// days' baselines were never re-read.
func TestRerunOfADayCarriesAlertsToTheDaysAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	cfg := alertConfig(true)
	lc := newLateSurge(t, cfg, 12, time.Time{})
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	lc.check(t, from, to, nil)
}

// TestRerunOfADayCarriesAlertsToAQuietDayAfter is the test above where
// the days after the rerun day include a quiet one: the surge is on the
// last day with traffic, and the run goes on to the day after it, which
// has no consultation, no payment and (without the late chats) no open
// alert, so it stores no alert or metric row. One run over all the data
// closes the surge's alert there; the rerun of the surge day must too.
// Before metric_alert_days, nothing told that quiet day from one never
// evaluated: the rerun stopped at the surge day and the closed row was
// missing.
func TestRerunOfADayCarriesAlertsToAQuietDayAfter(t *testing.T) {
	if testing.Short() {
		t.Skip("simulated traffic")
	}
	cfg := alertConfig(true)
	// The surge alone: the other planted anomalies would leave alerts open
	// through the last day, which would store rows on the quiet day.
	var surge []simulate.Anomaly
	for _, a := range cfg.Anomalies {
		if _, ok := a.(simulate.TopicSurge); ok {
			surge = append(surge, a)
		}
	}
	cfg.Anomalies = surge
	surgeDay := cfg.Days - 1
	quiet := cfg.Start.AddDate(0, 0, surgeDay+1)
	// Events from the quiet day on (late payments, the ends of chats that
	// ran past midnight) are left out of both databases, so it holds none.
	lc := newLateSurge(t, cfg, surgeDay, quiet)
	onQuiet := func(conn warehouse.Conn) uint64 {
		t.Helper()
		var n uint64
		err := conn.QueryRow(context.Background(), `SELECT
            (SELECT count() FROM metric_alerts WHERE date = toDate(?)) +
            (SELECT count() FROM metric_conversion WHERE date = toDate(?)) +
            (SELECT count() FROM metric_gmv WHERE date = toDate(?))`,
			quiet.Format(time.DateOnly), quiet.Format(time.DateOnly), quiet.Format(time.DateOnly)).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	lc.check(t, cfg.Start, quiet, func(whole, early warehouse.Conn, want []Alert) {
		if n := onQuiet(early); n != 0 {
			t.Fatalf("%s is not quiet without the late chats: %d alert or metric rows", quiet.Format(time.DateOnly), n)
		}
		if !slices.ContainsFunc(want, func(a Alert) bool { return a.ID == lc.surgeID && a.Date.Equal(utcDate(quiet)) }) {
			t.Fatalf("one run over all the data stores no row of %s on %s: the test proves nothing", lc.surgeID, quiet.Format(time.DateOnly))
		}
	})
}

// lateSurge is a simulated month with a topic surge whose chats reach the
// database late: late holds the surge day's events of the surge shop's
// buyers who asked about its product that day, as buyers of their own
// ("~late", whose events all lie on that day, so holding them back changes
// no other day's figures); early holds every other event.
type lateSurge struct {
	cfg         simulate.Config
	day0        time.Time // the surge day
	surgeID     string    // the id of the alert the surge opens on day0
	early, late [][]byte
}

// newLateSurge simulates cfg with its topic surge moved to surgeDay (at 8×)
// and splits the events; events at or after end are dropped (zero end:
// none).
func newLateSurge(t *testing.T, cfg simulate.Config, surgeDay int, end time.Time) *lateSurge {
	t.Helper()
	var surge simulate.TopicSurge
	for i, a := range cfg.Anomalies {
		if s, ok := a.(simulate.TopicSurge); ok {
			s.Day, s.Factor = surgeDay, 8
			cfg.Anomalies[i], surge = s, s
		}
	}
	if surge.Shop == "" {
		t.Fatal("the demo anomalies plant no topic surge")
	}
	var lines [][]byte
	var events []ingest.Event
	dec := ingest.NewDecoder()
	if _, err := simulate.Run(cfg, func(b []byte) error {
		var e ingest.Event
		if err := dec.Decode(b, &e); err != nil {
			return err
		}
		if !end.IsZero() && e.TsMs >= end.UnixMilli() {
			return nil
		}
		lines = append(lines, append([]byte(nil), b...))
		events = append(events, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	day0, day1 := cfg.Start.AddDate(0, 0, surgeDay), cfg.Start.AddDate(0, 0, surgeDay+1)
	onDay := func(e ingest.Event) bool { return e.TsMs >= day0.UnixMilli() && e.TsMs < day1.UnixMilli() }
	asked := map[string]bool{}
	for _, e := range events {
		if onDay(e) && e.ShopID == surge.Shop && e.ProductID == surge.Product {
			asked[e.CustomerID] = true
		}
	}
	lc := &lateSurge{cfg: cfg, day0: day0,
		surgeID: alertID(SeriesKey{Rule: RuleTopicSurge, Shop: surge.Shop, Product: surge.Product, Topic: surge.Topic}, day0)}
	for i, e := range events {
		if e.ShopID != surge.Shop || !asked[e.CustomerID] || !onDay(e) {
			lc.early = append(lc.early, lines[i])
			continue
		}
		field := []byte(`"customer_id":"` + e.CustomerID + `"`)
		if !bytes.Contains(lines[i], field) {
			t.Fatalf("no %s in %s", field, lines[i])
		}
		lc.late = append(lc.late, bytes.Replace(lines[i], field, []byte(`"customer_id":"`+e.CustomerID+`~late"`), 1))
	}
	t.Logf("held back %d events of the %d buyers asking about %s on day %d", len(lc.late), len(asked), surge.Product, surgeDay)
	return lc
}

// check runs the metrics over from..to on all the data in one database
// and without the late events in another, then loads the late events
// there and reruns the surge day alone: metric_alerts must then be the
// same in both. pre, when set, checks the test's premises after the first
// runs (want: the whole database's alert rows).
func (lc *lateSurge) check(t *testing.T, from, to time.Time, pre func(whole, early warehouse.Conn, want []Alert)) {
	t.Helper()
	ctx := context.Background()
	s := DefaultSettings()
	load := func(conn warehouse.Conn, lines [][]byte) {
		t.Helper()
		loadLines(t, conn, func(emit func([]byte) error) error {
			for _, l := range lines {
				if err := emit(l); err != nil {
					return err
				}
			}
			return nil
		}, enricher(t))
	}
	stored := func(conn warehouse.Conn) ([]string, []Alert) {
		t.Helper()
		stmt, err := render("show_alerts", map[string]any{"Shop": false})
		if err != nil {
			t.Fatal(err)
		}
		var rows []Alert
		if err := conn.Select(ctx, &rows, stmt, "1970-01-02", "2100-01-01"); err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(rows))
		for i, a := range rows {
			out[i] = fmt.Sprintf("%+v", a)
		}
		slices.Sort(out)
		return out, rows
	}
	surgeOpened := func(rows []string) bool {
		return slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, " ID:"+lc.surgeID+" ") })
	}
	day := lc.day0.Format(time.DateOnly)

	// One run over all the data.
	whole, wholeDB := chtest.New(t)
	load(whole, append(append([][]byte(nil), lc.early...), lc.late...))
	if _, err := Run(ctx, warehouse.Single(whole, wholeDB), s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	want, wantRows := stored(whole)
	if !surgeOpened(want) {
		t.Fatalf("one run over all the data opens no %s on %s:\n%s", lc.surgeID, day, strings.Join(want, "\n"))
	}

	// All days without the late buyers, then the late buyers and a rerun
	// of their day alone.
	conn, db := chtest.New(t)
	load(conn, lc.early)
	cl := warehouse.Single(conn, db)
	if _, err := Run(ctx, cl, s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := stored(conn)
	if surgeOpened(before) {
		t.Fatalf("without the late buyers %s still opens: the test holds back too little", lc.surgeID)
	}
	if pre != nil {
		pre(whole, conn, wantRows)
	}
	load(conn, lc.late)
	rep, err := Run(ctx, cl, s, lc.day0, lc.day0, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := stored(conn)
	if !surgeOpened(got) {
		t.Fatalf("the rerun of %s opens no %s", day, lc.surgeID)
	}
	diff := func(a, b []string) []string {
		var out []string
		for _, r := range a {
			if _, ok := slices.BinarySearch(b, r); !ok {
				out = append(out, r)
			}
		}
		return out
	}
	missing, extra := diff(want, got), diff(got, want)
	for i, r := range missing {
		if i < 3 {
			t.Errorf("after the rerun of %s metric_alerts lacks a row of one run over all the data:\n %s", day, r)
		}
	}
	for i, r := range extra {
		if i < 3 {
			t.Errorf("after the rerun of %s metric_alerts holds a row one run over all the data does not:\n %s", day, r)
		}
	}
	if len(missing)+len(extra) > 0 {
		t.Errorf("%d rows missing, %d extra of %d (%d before the rerun)", len(missing), len(extra), len(want), len(before))
	}
	t.Logf("rerun of one day: %d alert rows, alerts re-evaluated for %d days after it, %s", rep.Alerts, rep.AlertDaysAfter, rep.Elapsed.Round(time.Millisecond))
}

// TestLastAlertDay: the last day whose alerts were evaluated is the latest
// of the days metric_alert_days marks and, for days evaluated before that
// table existed, of the days holding alert rows; a day marked again (a
// rerun) is one row once the table's parts merge.
func TestLastAlertDay(t *testing.T) {
	ctx := context.Background()
	conn, _ := chtest.New(t)
	last := func() string {
		t.Helper()
		d, err := lastAlertDay(ctx, conn, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return d.Format(time.DateOnly)
	}
	if got := last(); got != "1970-01-01" {
		t.Fatalf("empty database: last evaluated day %s, want 1970-01-01", got)
	}
	// Alert rows stored before marks existed still count.
	opened := day("2026-10-01")
	if err := storeAlerts(ctx, conn, opened, []*Alert{{ID: "fallback_spike-x", Rule: RuleFallbackSpike, Shop: "shop-03", Subject: "shop-03",
		Opened: opened, Status: AlertOpen, Severity: SeverityInfo, Direction: DirectionUp, IntradayHour: -1}}); err != nil {
		t.Fatal(err)
	}
	if got := last(); got != "2026-10-01" {
		t.Fatalf("an alert row on 2026-10-01: last evaluated day %s", got)
	}
	// A quiet day marked after it (twice: a rerun), and one before.
	for _, d := range []string{"2026-10-03", "2026-10-03", "2026-09-30"} {
		if err := markAlertDay(ctx, conn, day(d), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if got := last(); got != "2026-10-03" {
		t.Fatalf("2026-10-03 marked evaluated: last evaluated day %s", got)
	}
	if err := conn.Exec(ctx, "OPTIMIZE TABLE metric_alert_days PARTITION 20261003 FINAL"); err != nil {
		t.Fatal(err)
	}
	var rows, days uint64
	if err := conn.QueryRow(ctx, "SELECT count(), uniqExact(date) FROM metric_alert_days").Scan(&rows, &days); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || days != 2 {
		t.Fatalf("metric_alert_days holds %d rows of %d days after the merge, want one per day", rows, days)
	}
}
