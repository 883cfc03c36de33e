package reports

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/convintel/convintel/reports/announce"
)

// Settings configure the report archive, the scheduler and the webhooks;
// the main program embeds them as `reports:` in its config file.
type Settings struct {
	// ArchiveDir receives scheduled reports (<dir>/weekly/2026-W47.zh-CN.html);
	// empty means <home>/archive.
	ArchiveDir string `yaml:"archive_dir"`
	// Languages the scheduled reports are written in.
	Languages []string `yaml:"languages"`
	// PublicURL is where the archive is reachable by people reading the
	// webhook messages, e.g. https://convintel.example.com/archive (the
	// dashboards serve the archive under /archive/); empty leaves links out.
	PublicURL string           `yaml:"public_url"`
	Schedule  ScheduleSettings `yaml:"schedule"`
	// DimensionsFile is a CSV of display names for product, agent, shop
	// and channel ids (kind,id,zh,en; see Dimensions); empty shows ids.
	DimensionsFile string `yaml:"dimensions_file"`
	// Webhooks announce each scheduled report.
	Webhooks []announce.Webhook `yaml:"webhooks"`
}

// ScheduleSettings say when the scheduled jobs run, in the metrics time
// zone.
type ScheduleSettings struct {
	// MetricsLookbackDays: the hourly run recomputes this many days up to
	// today (late events change recent days). Besides, the first run of a
	// day recomputes from the day whose attribution window has just closed
	// (schedule.MetricsRange), whatever this is.
	MetricsLookbackDays int `yaml:"metrics_lookback_days"`
	// MetricsMinute is the minute past each hour of the metric run.
	MetricsMinute int `yaml:"metrics_minute"`
	// IntradayMinute is the minute past each hour at which the hourly
	// alert rules are evaluated on the day so far (up to the full hour)
	// and new alerts are announced; after the metric run.
	IntradayMinute int `yaml:"intraday_minute"`
	// AlertsAt is the daily time (HH:MM) alerts are evaluated for the
	// previous day and the early-warning report is written.
	AlertsAt string `yaml:"alerts_at"`
	// WeeklyAt is the Monday time (HH:MM) the weekly report of the week
	// before is written.
	WeeklyAt string `yaml:"weekly_at"`
	// CatchUpLimit caps how many missed slots per job are run after
	// downtime (the newest ones).
	CatchUpLimit int `yaml:"catch_up_limit"`
	// StateFile keeps this replica's last completed slot per job (the
	// database's schedule_slots table is shared by all); empty means
	// <archive_dir>/schedule-state.json.
	StateFile string `yaml:"state_file"`
}

// DefaultSettings returns the defaults.
func DefaultSettings() Settings {
	return Settings{
		Languages: []string{LangZH, LangEN},
		Schedule: ScheduleSettings{
			MetricsLookbackDays: 3,
			MetricsMinute:       5,
			IntradayMinute:      10,
			AlertsAt:            "08:30",
			WeeklyAt:            "09:00",
			CatchUpLimit:        8,
		},
	}
}

var hhmm = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// Validate reports every problem at once.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(s.Languages) == 0 {
		bad("reports.languages: give at least one of %s", strings.Join(Langs, ", "))
	}
	if _, err := LoadDimensions(s.DimensionsFile); err != nil {
		bad("reports.dimensions_file: %v", err)
	}
	for _, l := range s.Languages {
		if !slices.Contains(Langs, l) {
			bad("reports.languages: %q is not one of %s", l, strings.Join(Langs, ", "))
		}
	}
	if s.PublicURL != "" {
		if u, err := url.Parse(s.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("reports.public_url %q: use an http(s) URL such as https://convintel.example.com/archive", s.PublicURL)
		}
	}
	sc := s.Schedule
	if sc.MetricsLookbackDays < 1 || sc.MetricsLookbackDays > 31 {
		bad("reports.schedule.metrics_lookback_days %d: use 1..31 (default 3)", sc.MetricsLookbackDays)
	}
	if sc.MetricsMinute < 0 || sc.MetricsMinute > 59 {
		bad("reports.schedule.metrics_minute %d: use 0..59 (default 5)", sc.MetricsMinute)
	}
	if sc.IntradayMinute < 0 || sc.IntradayMinute > 59 {
		bad("reports.schedule.intraday_minute %d: use 0..59 (default 10)", sc.IntradayMinute)
	}
	if !hhmm.MatchString(sc.AlertsAt) {
		bad("reports.schedule.alerts_at %q: use HH:MM (default 08:30)", sc.AlertsAt)
	}
	if !hhmm.MatchString(sc.WeeklyAt) {
		bad("reports.schedule.weekly_at %q: use HH:MM on Mondays (default 09:00)", sc.WeeklyAt)
	}
	if sc.CatchUpLimit < 0 || sc.CatchUpLimit > 100 {
		bad("reports.schedule.catch_up_limit %d: use 0..100 (default 8)", sc.CatchUpLimit)
	}
	for i, w := range s.Webhooks {
		if err := w.Validate(); err != nil {
			bad("reports.webhooks[%d]: %v", i, err)
		}
	}
	return errors.Join(errs...)
}
