package schedule

import (
	"fmt"
	"time"
)

// Jobs, in the order they run when several are due.
const (
	JobMetrics = "metrics"
	// JobIntraday evaluates the hourly alert rules on the day so far and
	// announces new alerts (metrics.md §8 "Alerts v2").
	JobIntraday = "intraday"
	JobAlerts   = "alerts"
	JobWeekly   = "weekly"
)

// Jobs lists every job.
var Jobs = []string{JobMetrics, JobIntraday, JobAlerts, JobWeekly}

// clock says when a job's slots are.
type clock struct {
	kind         string // hourly, daily, weekly
	hour, minute int
	loc          *time.Location
}

// slotAt returns the latest slot at or before t.
func (c clock) slotAt(t time.Time) time.Time {
	t = t.In(c.loc)
	switch c.kind {
	case "hourly":
		s := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), c.minute, 0, 0, c.loc)
		if s.After(t) {
			s = s.Add(-time.Hour)
		}
		return s
	case "daily":
		s := time.Date(t.Year(), t.Month(), t.Day(), c.hour, c.minute, 0, 0, c.loc)
		if s.After(t) {
			s = s.AddDate(0, 0, -1)
		}
		return s
	}
	monday := t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
	s := time.Date(monday.Year(), monday.Month(), monday.Day(), c.hour, c.minute, 0, 0, c.loc)
	if s.After(t) {
		s = s.AddDate(0, 0, -7)
	}
	return s
}

// next returns the slot after slot s.
func (c clock) next(s time.Time) time.Time {
	switch c.kind {
	case "hourly":
		return c.slotAt(s.Add(time.Hour + time.Minute))
	case "daily":
		return c.slotAt(s.AddDate(0, 0, 1).Add(time.Hour))
	}
	return c.slotAt(s.AddDate(0, 0, 7).Add(time.Hour))
}

// due returns the slots after last up to now, oldest first: all of them
// when last is set (at most limit, the newest), only the latest one when
// the job never ran. missed counts the slots skipped by the limit.
func (c clock) due(last, now time.Time, limit int) (slots []time.Time, missed int) {
	latest := c.slotAt(now)
	if last.IsZero() {
		return []time.Time{latest}, 0
	}
	for s := c.next(c.slotAt(last)); !s.After(latest); s = c.next(s) {
		slots = append(slots, s)
	}
	if limit > 0 && len(slots) > limit {
		missed = len(slots) - limit
		slots = slots[missed:]
	}
	return slots, missed
}

// cron is the gocron crontab line of the clock.
func (c clock) cron() string {
	switch c.kind {
	case "hourly":
		return fmt.Sprintf("%d * * * *", c.minute)
	case "daily":
		return fmt.Sprintf("%d %d * * *", c.minute, c.hour)
	}
	return fmt.Sprintf("%d %d * * 1", c.minute, c.hour)
}

func parseHHMM(s string) (h, m int) {
	fmt.Sscanf(s, "%d:%d", &h, &m)
	return h, m
}
