package schedule

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSlots(t *testing.T) {
	f := func(c clock, now, slot, next string) {
		t.Helper()
		got := c.slotAt(at(now))
		if !got.Equal(at(slot)) {
			t.Errorf("%s %s: slot %s, want %s", c.kind, now, got, slot)
		}
		if n := c.next(got); !n.Equal(at(next)) {
			t.Errorf("%s %s: next %s, want %s", c.kind, now, n, next)
		}
	}
	hourly := clock{kind: "hourly", minute: 5, loc: shanghai}
	daily := clock{kind: "daily", hour: 8, minute: 30, loc: shanghai}
	weekly := clock{kind: "weekly", hour: 9, loc: shanghai}
	f(hourly, "2026-11-23 10:04", "2026-11-23 09:05", "2026-11-23 10:05")
	f(hourly, "2026-11-23 10:05", "2026-11-23 10:05", "2026-11-23 11:05")
	f(hourly, "2026-11-24 00:00", "2026-11-23 23:05", "2026-11-24 00:05")
	f(daily, "2026-11-23 08:29", "2026-11-22 08:30", "2026-11-23 08:30")
	f(daily, "2026-11-23 23:00", "2026-11-23 08:30", "2026-11-24 08:30")
	f(weekly, "2026-11-23 08:59", "2026-11-16 09:00", "2026-11-23 09:00") // Monday before 09:00
	f(weekly, "2026-11-23 09:00", "2026-11-23 09:00", "2026-11-30 09:00")
	f(weekly, "2026-11-29 23:59", "2026-11-23 09:00", "2026-11-30 09:00") // Sunday
	if hourly.cron() != "5 * * * *" || daily.cron() != "30 8 * * *" || weekly.cron() != "0 9 * * 1" {
		t.Errorf("crontabs %q %q %q", hourly.cron(), daily.cron(), weekly.cron())
	}
}

type call struct {
	job        string
	slot, prev time.Time
}

func newTest(t *testing.T, dir string, now *time.Time, calls *[]call, fail map[int64]bool) *Scheduler {
	t.Helper()
	rs := reports.DefaultSettings()
	rs.Schedule.CatchUpLimit = 3
	s, err := New(Options{Metrics: metrics.DefaultSettings(), Reports: rs, ArchiveDir: dir, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	s.run = func(_ context.Context, job string, slot, prev time.Time) error {
		*calls = append(*calls, call{job, slot, prev})
		if fail[slot.Unix()] {
			return errors.New("planted failure")
		}
		return nil
	}
	return s
}

// TestCatchUp: after downtime the missed slots run oldest first (at most
// the limit), a failed slot is retried at the next trigger, and a
// restarted scheduler resumes from the state file.
func TestCatchUp(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	now := at("2026-11-02 10:00")
	var calls []call
	fail := map[int64]bool{}
	s := newTest(t, dir, &now, &calls, fail)

	// First start: only the latest slot of each job.
	s.CatchUp(ctx)
	want := []call{{JobMetrics, at("2026-11-02 09:05"), time.Time{}}, {JobIntraday, at("2026-11-02 09:10"), time.Time{}},
		{JobAlerts, at("2026-11-02 08:30"), time.Time{}}, {JobWeekly, at("2026-11-02 09:00"), time.Time{}}}
	if !equalCalls(calls, want) {
		t.Fatalf("first start ran %v, want %v", calls, want)
	}
	// Nothing is due again at the same time.
	calls = nil
	s.CatchUp(ctx)
	if len(calls) != 0 {
		t.Fatalf("rerun at the same time ran %v", calls)
	}

	// Down for 4 weeks and a bit; the 2026-11-23 weekly slot fails once.
	now = at("2026-11-30 12:00")
	fail[at("2026-11-23 09:00").Unix()] = true
	calls = nil
	s2 := newTest(t, dir, &now, &calls, fail) // restart: state from the file
	s2.CatchUp(ctx)
	want = []call{
		{JobMetrics, at("2026-11-30 11:05"), at("2026-11-02 09:05")},
		{JobIntraday, at("2026-11-30 11:10"), at("2026-11-02 09:10")}, // only the newest hour
		{JobAlerts, at("2026-11-28 08:30"), at("2026-11-02 08:30")},
		{JobAlerts, at("2026-11-29 08:30"), at("2026-11-28 08:30")},
		{JobAlerts, at("2026-11-30 08:30"), at("2026-11-29 08:30")},
		{JobWeekly, at("2026-11-16 09:00"), at("2026-11-02 09:00")},
		{JobWeekly, at("2026-11-23 09:00"), at("2026-11-16 09:00")},
	}
	if !equalCalls(calls, want) {
		t.Fatalf("catch-up ran\n%v\nwant\n%v", calls, want)
	}
	if got := s2.LastCompleted(JobWeekly); !got.Equal(at("2026-11-16 09:00")) {
		t.Errorf("weekly last completed %s after a failure, want 2026-11-16 09:00", got)
	}
	// The next trigger retries the failed slot, then the newer one.
	delete(fail, at("2026-11-23 09:00").Unix())
	calls = nil
	if err := s2.RunDue(ctx, JobWeekly); err != nil {
		t.Fatal(err)
	}
	want = []call{{JobWeekly, at("2026-11-23 09:00"), at("2026-11-16 09:00")}, {JobWeekly, at("2026-11-30 09:00"), at("2026-11-23 09:00")}}
	if !equalCalls(calls, want) {
		t.Fatalf("retry ran %v, want %v", calls, want)
	}
	// The metric run after downtime reaches back to the last run's day,
	// and further, to the first day whose window (end of day + 72 h)
	// closed since: 11-24's closed 11-28 00:00, during the downtime.
	from, to := s2.MetricsRange(at("2026-11-30 11:05"), at("2026-11-27 09:05"))
	if from.Format(time.DateOnly) != "2026-11-24" || to.Format(time.DateOnly) != "2026-11-30" {
		t.Errorf("metrics range after downtime %s..%s, want 2026-11-24..2026-11-30", from, to)
	}
	from, _ = s2.MetricsRange(at("2026-11-30 11:05"), at("2026-11-30 10:05"))
	if from.Format(time.DateOnly) != "2026-11-28" {
		t.Errorf("normal metrics range starts %s, want 2026-11-28 (3 days)", from)
	}
	// The first run of a day also recomputes the day whose window has just
	// closed (11-26: its orders were due by 11-30 00:00), once.
	for _, prev := range []time.Time{at("2026-11-29 23:05"), {}} {
		if from, _ := s2.MetricsRange(at("2026-11-30 00:05"), prev); from.Format(time.DateOnly) != "2026-11-26" {
			t.Errorf("first metrics run of 11-30 (previous %s) starts %s, want 2026-11-26", prev, from)
		}
	}
	if _, err := loadState(ctx, filepath.Join(dir, "schedule-state.json"), nil); err != nil {
		t.Fatal(err)
	}
}

func equalCalls(a, b []call) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].job != b[i].job || !a[i].slot.Equal(b[i].slot) || !a[i].prev.Equal(b[i].prev) {
			return false
		}
	}
	return true
}
