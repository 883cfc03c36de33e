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
	const surgeDay = 12
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
		lines = append(lines, append([]byte(nil), b...))
		events = append(events, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The late data: the surge day's events of the surge shop's buyers who
	// asked about its product that day. In both databases they belong to
	// a buyer of their own ("~late"), whose events all lie on that day, so
	// holding them back changes no other day's figures.
	day0, day1 := cfg.Start.AddDate(0, 0, surgeDay), cfg.Start.AddDate(0, 0, surgeDay+1)
	onDay := func(e ingest.Event) bool { return e.TsMs >= day0.UnixMilli() && e.TsMs < day1.UnixMilli() }
	asked := map[string]bool{}
	for _, e := range events {
		if onDay(e) && e.ShopID == surge.Shop && e.ProductID == surge.Product {
			asked[e.CustomerID] = true
		}
	}
	var early, late [][]byte
	for i, e := range events {
		if e.ShopID != surge.Shop || !asked[e.CustomerID] || !onDay(e) {
			early = append(early, lines[i])
			continue
		}
		field := []byte(`"customer_id":"` + e.CustomerID + `"`)
		if !bytes.Contains(lines[i], field) {
			t.Fatalf("no %s in %s", field, lines[i])
		}
		late = append(late, bytes.Replace(lines[i], field, []byte(`"customer_id":"`+e.CustomerID+`~late"`), 1))
	}
	t.Logf("held back %d events of the %d buyers asking about %s on day %d", len(late), len(asked), surge.Product, surgeDay)
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
	ctx := context.Background()
	from, to := cfg.Start, cfg.Start.AddDate(0, 0, cfg.Days-1)
	s := DefaultSettings()
	stored := func(conn warehouse.Conn) []string {
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
		return out
	}
	surgeOpened := func(rows []string, id string) bool {
		return slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, " ID:"+id+" ") })
	}
	surgeID := alertID(SeriesKey{Rule: RuleTopicSurge, Shop: surge.Shop, Product: surge.Product, Topic: surge.Topic}, day0)

	// One run over all the data.
	whole, wholeDB := chtest.New(t)
	load(whole, append(append([][]byte(nil), early...), late...))
	if _, err := Run(ctx, warehouse.Single(whole, wholeDB), s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	want := stored(whole)
	if !surgeOpened(want, surgeID) {
		t.Fatalf("one run over all the data opens no %s on %s:\n%s", surgeID, day0.Format(time.DateOnly), strings.Join(want, "\n"))
	}

	// All days without the late buyers, then the late buyers and a rerun
	// of their day alone.
	conn, db := chtest.New(t)
	load(conn, early)
	cl := warehouse.Single(conn, db)
	if _, err := Run(ctx, cl, s, from, to, nil); err != nil {
		t.Fatal(err)
	}
	before := stored(conn)
	if surgeOpened(before, surgeID) {
		t.Fatalf("without the late buyers %s still opens: the test holds back too little", surgeID)
	}
	load(conn, late)
	rep, err := Run(ctx, cl, s, day0, day0, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := stored(conn)
	if !surgeOpened(got, surgeID) {
		t.Fatalf("the rerun of %s opens no %s", day0.Format(time.DateOnly), surgeID)
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
			t.Errorf("after the rerun of %s metric_alerts lacks a row of one run over all the data:\n %s", day0.Format(time.DateOnly), r)
		}
	}
	for i, r := range extra {
		if i < 3 {
			t.Errorf("after the rerun of %s metric_alerts holds a row one run over all the data does not:\n %s", day0.Format(time.DateOnly), r)
		}
	}
	if len(missing)+len(extra) > 0 {
		t.Errorf("%d rows missing, %d extra of %d (%d before the rerun)", len(missing), len(extra), len(want), len(before))
	}
	t.Logf("rerun of one day: %d alert rows, alerts re-evaluated for %d days after it, %s", rep.Alerts, rep.AlertDaysAfter, rep.Elapsed.Round(time.Millisecond))
}
