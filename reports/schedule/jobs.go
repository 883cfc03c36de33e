package schedule

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/announce"
)

// maxMetricsCatchUpDays bounds how far back a metric run reaches after
// downtime; longer gaps need an explicit `convintel metrics run`.
const maxMetricsCatchUpDays = 31

func (s *Scheduler) runSlot(ctx context.Context, job string, slot, prev time.Time) error {
	switch job {
	case JobMetrics:
		return s.runMetrics(ctx, slot, prev)
	case JobIntraday:
		return s.runIntraday(ctx, slot)
	case JobAlerts:
		return s.runAlerts(ctx, slot)
	case JobWeekly:
		return s.runWeekly(ctx, slot)
	}
	return fmt.Errorf("unknown job %q", job)
}

func (s *Scheduler) day(t time.Time) time.Time {
	t = t.In(s.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
}

// MetricsRange is the day range the metric run of slot recomputes: the
// lookback days up to the slot's day (late events change recent days),
// widened back to the day of the previous completed run (at most 31 days)
// so downtime leaves no hole, and to every day whose attribution window
// has closed since the previous run (with none, the day that closed
// last). A day's conversion, GMV, funnel and drop-off wait W for orders,
// so a day is final only when recomputed after end of day + W: with the
// default 3 days and W = 72 h that is on its fourth day after, past the
// lookback. The first run of a day (W a whole number of days) thus
// reaches back to today − W/24h − 1; the other hourly runs keep the
// lookback.
func (s *Scheduler) MetricsRange(slot, prev time.Time) (from, to time.Time) {
	to = s.day(slot)
	from = to.AddDate(0, 0, -(s.o.Reports.Schedule.MetricsLookbackDays - 1))
	settled := s.lastSettledDay(slot)
	closed := settled // the first day whose window closed since prev
	if !prev.IsZero() {
		closed = s.lastSettledDay(prev).AddDate(0, 0, 1)
		if p := s.day(prev); p.Before(from) {
			from = p
		}
	}
	if !closed.After(settled) && closed.Before(from) {
		from = closed
	}
	if limit := to.AddDate(0, 0, -(maxMetricsCatchUpDays - 1)); from.Before(limit) {
		from = limit
	}
	return from, to
}

// lastSettledDay is the latest day whose attribution window has closed at
// t (end of day + W at or before t, as metrics reads a day's maturity).
func (s *Scheduler) lastSettledDay(t time.Time) time.Time {
	return s.day(t.Add(-s.o.Metrics.AttributionWindow)).AddDate(0, 0, -1)
}

func (s *Scheduler) runMetrics(ctx context.Context, slot, prev time.Time) error {
	from, to := s.MetricsRange(slot, prev)
	rep, err := s.runMetricsRange(ctx, from, to)
	if err != nil {
		return err
	}
	s.o.Log.Info("metrics recomputed", "from", from.Format(time.DateOnly), "to", to.Format(time.DateOnly),
		"alerts", rep.Alerts, "alert_days_after", rep.AlertDaysAfter, "elapsed", rep.Elapsed.Round(time.Millisecond))
	return nil
}

// ArchivePath is where a scheduled report of kind for name (a week or a
// day) in lang is written.
func ArchivePath(dir, kind, name, lang string) string {
	return filepath.Join(dir, kind, name+"."+lang+".html")
}

// runAlerts evaluates the day before the slot (recomputing its metrics,
// which evaluates the alert rules) and archives its early-warning report.
// It recomputes from the day whose attribution window closed last, in
// order: that day's figures are final only now (the 00:05 metric run came
// minutes after its window closed, before late order events), the rules
// that wait for orders judge it only now, and the alerts they open are
// carried to the day reported. It goes on through today: a day's alert
// rows are carried from the day before's, and today's were written by the
// last hourly run from yesterday's as they were before this run, so an
// alert opened here was missing from today until the next hourly run.
func (s *Scheduler) runAlerts(ctx context.Context, slot time.Time) error {
	today := s.day(slot)
	d := today.AddDate(0, 0, -1)
	from := d
	if c := s.lastSettledDay(slot); c.Before(from) {
		from = c
	}
	if _, err := s.runMetricsRange(ctx, from, today); err != nil {
		return err
	}
	cov, err := s.coverage(ctx)
	if err != nil {
		return err
	}
	names, err := reports.LoadDimensions(s.o.Reports.DimensionsFile)
	if err != nil {
		return err
	}
	scope := reports.Scope{Period: reports.Period{From: d, To: d}, Coverage: cov}
	a, err := reports.BuildAlerts(ctx, reports.ShowSource(s.o.conn()), scope)
	if err != nil {
		return err
	}
	name := d.Format(time.DateOnly)
	if cov.Overlaps(d, d) {
		var files []string
		for _, lang := range s.o.Reports.Languages {
			p := ArchivePath(s.o.ArchiveDir, "alerts", name, lang)
			if err := reports.WriteFile(p, func(w io.Writer) error {
				return reports.RenderAlerts(w, a, reports.RenderOptions{Lang: lang, Names: names})
			}); err != nil {
				return err
			}
			files = append(files, p)
		}
		s.o.Log.Info("early-warning report archived", "day", name, "files", strings.Join(files, " "))
	} else {
		// A day without data gets no page: serve's first start over the
		// demo's database archived the current day's, empty, as the
		// archive's only entry. Open alerts are still announced below.
		s.o.Log.Info("early-warning report not archived: no data that day", "day", name, "data", coverageText(cov))
	}
	var open []reports.Alert
	for _, g := range a.Groups {
		open = append(open, g.Alerts...)
	}
	// Agents' quality-inspection alerts are listed apart on the page but
	// announced like the others (the digest is where a supervisor hears
	// of them the same day).
	for _, c := range a.Conduct {
		if c.Status != metrics.AlertClosed {
			open = append(open, c)
		}
	}
	// New alerts only, one digest per shop: one still firing since an
	// earlier day, or raised and announced by the hourly evaluation, is
	// not sent again.
	return s.announceAlerts(ctx, open, name, name, names)
}

// coverageText names the days that hold data for a log line.
func coverageText(cov metrics.Coverage) string {
	if cov.Empty() {
		return "none"
	}
	return cov.FirstDay.Format(time.DateOnly) + " – " + cov.LastDay.Format(time.DateOnly)
}

// coverage reads which days hold data, so a report compares only days
// whose order windows have closed (on Monday 09:00 last week's last three
// days have not).
func (s *Scheduler) coverage(ctx context.Context) (metrics.Coverage, error) {
	loc, err := time.LoadLocation(s.o.Metrics.Timezone)
	if err != nil {
		return metrics.Coverage{}, err
	}
	return reports.ShowCoverage(s.o.conn(), loc, s.o.Metrics.AttributionWindow)(ctx)
}

// runWeekly archives the weekly report of the week before the slot's.
func (s *Scheduler) runWeekly(ctx context.Context, slot time.Time) error {
	week := reports.WeekOf(s.day(slot).AddDate(0, 0, -7))
	cov, err := s.coverage(ctx)
	if err != nil {
		return err
	}
	if !cov.Overlaps(week.From, week.To) {
		// No archive page and no announcement of a week without data: the
		// webhooks had been sent "Consulting buyers 0" for it.
		s.o.Log.Info("weekly report skipped: no data that week", "week", week.Week, "data", coverageText(cov))
		return nil
	}
	names, err := reports.LoadDimensions(s.o.Reports.DimensionsFile)
	if err != nil {
		return err
	}
	w, err := reports.BuildWeekly(ctx, reports.ShowSource(s.o.conn()), reports.Scope{Period: week, Coverage: cov, PromotionDays: s.o.Metrics.Alerts.PromotionDays})
	if err != nil {
		return err
	}
	for _, lang := range s.o.Reports.Languages {
		p := ArchivePath(s.o.ArchiveDir, "weekly", week.Week, lang)
		if err := reports.WriteFile(p, func(out io.Writer) error {
			return reports.RenderWeekly(out, w, reports.RenderOptions{Lang: lang, Names: names})
		}); err != nil {
			return err
		}
		s.o.Log.Info("weekly report archived", "week", week.Week, "file", p)
	}
	lang := s.o.Reports.Languages[0]
	l, _ := reports.NewLocale(lang)
	c, p := w.Current, w.Previous
	msg := announce.Message{Title: l.T("weekly.title") + " " + week.Label(), Lines: []string{
		fmt.Sprintf("%s %s (%s)", l.T("consulting_buyers"), l.Count(c.ConsultingBuyers), l.Change(float64(c.ConsultingBuyers), float64(p.ConsultingBuyers))),
		fmt.Sprintf("%s %s (%s)", l.T("order_rate"), l.Percent(c.OrderRate), l.Points(c.OrderRate, p.OrderRate)),
		fmt.Sprintf("%s %s (%s)", l.T("same_day_pay_rate"), l.Percent(c.SameDayPayRate), l.Points(c.SameDayPayRate, p.SameDayPayRate)),
		fmt.Sprintf("%s %s (%s)", l.T("final_pay_rate"), l.Percent(c.FinalPayRate), l.Points(c.FinalPayRate, p.FinalPayRate)),
		fmt.Sprintf("%s %s", l.T("final_paid_amount"), l.Money(c.FinalPaidAmount)),
	}}
	if note := w.MaturityNote(l); note != "" {
		msg.Lines = append(msg.Lines, note)
	}
	if len(w.DropOff) > 0 {
		n := w.DropOff[0]
		msg.Lines = append(msg.Lines, fmt.Sprintf("%s: %s %s (%s)", l.T("weekly.dropoff"), l.Name("node", n.Node), l.Percent(n.Abandonment), l.Points(n.Abandonment, n.PrevAbandonment)))
	}
	s.announce(ctx, "weekly", "weekly", week.Week, lang, msg)
	return nil
}

// announce posts msg to every webhook that wants kind. A failed post is
// logged and counted but does not fail the slot: the report is archived,
// and rerunning the slot would announce twice.
func (s *Scheduler) announce(ctx context.Context, kind, dir, name, lang string, msg announce.Message) {
	if base := s.o.Reports.PublicURL; base != "" && name != "" {
		u, err := url.Parse(base)
		if err == nil {
			u.Path = path.Join(u.Path, dir, name+"."+lang+".html")
			msg.Link = u.String()
			l, _ := reports.NewLocale(lang)
			msg.LinkText = l.T(kind + ".title")
		}
	}
	for _, wh := range s.o.Reports.Webhooks {
		if !wh.Wants(kind) {
			continue
		}
		if err := announce.Send(ctx, s.o.HTTPClient, wh, msg); err != nil {
			s.m.webhooks.WithLabelValues(wh.Kind, "error").Inc()
			s.o.Log.Error("webhook announcement failed", "kind", wh.Kind, "report", kind, "err", err)
			continue
		}
		s.m.webhooks.WithLabelValues(wh.Kind, "ok").Inc()
	}
}

// runMetricsRange recomputes from..to on every shard.
func (s *Scheduler) runMetricsRange(ctx context.Context, from, to time.Time) (metrics.Report, error) {
	return metrics.Run(ctx, s.o.Cluster, s.o.Metrics, from, to, nil)
}
