package schedule

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/announce"
)

// announcedLookback is how far back the record of announced alerts is
// read: an alert id names its opening day, and none stays open longer
// than a baseline window without being reopened under a new id.
const announcedLookback = 120 * 24 * time.Hour

// runIntraday evaluates the hourly alert rules on the day so far (up to
// the slot's full hour) and announces the alerts no webhook has seen yet,
// one digest per shop.
func (s *Scheduler) runIntraday(ctx context.Context, slot time.Time) error {
	cutoff := slot.In(s.loc).Truncate(time.Hour)
	if s.o.Cluster == nil {
		return fmt.Errorf("the hourly alert rules need a database")
	}
	rep, err := metrics.EvaluateIntradayCluster(ctx, s.o.Cluster, s.o.Metrics, cutoff)
	if err != nil {
		return err
	}
	s.o.Log.Info("hourly alert rules evaluated", "day", rep.Date.Format(time.DateOnly), "hour", rep.Hour,
		"alerts", len(rep.Alerts), "elapsed", rep.Elapsed.Round(time.Millisecond))
	var alerts []reports.Alert
	for _, a := range rep.Alerts {
		m := a.Alert
		m.PeriodGMVAtStakeCents = m.GMVAtStakeCents
		alerts = append(alerts, reports.Alert{Alert: m})
	}
	name := fmt.Sprintf("%s %02d:00", rep.Date.Format(time.DateOnly), rep.Hour)
	return s.announceAlerts(ctx, alerts, name, "", nil)
}

// announceAlerts posts the alerts that were never announced and are not
// muted, one digest message per shop (most severe first, then most money
// at stake), and records them as announced, so an alert that keeps firing
// — hour after hour, day after day, or an intraday alert that became the
// day's — is sent once. link is the archived report's name ("" for none).
func (s *Scheduler) announceAlerts(ctx context.Context, alerts []reports.Alert, when, link string, names *reports.Dimensions) error {
	if len(alerts) == 0 || len(s.o.Reports.Webhooks) == 0 {
		return nil
	}
	seen, err := metrics.AnnouncedSince(ctx, s.o.conn(), s.o.Now().Add(-announcedLookback))
	if err != nil {
		return err
	}
	mutes, err := metrics.Mutes(ctx, s.o.conn())
	if err != nil {
		return err
	}
	byShop := map[string][]reports.Alert{}
	var shops []string
	for _, a := range alerts {
		if seen[a.ID] || a.Muted || metrics.Muted(mutes, a.Rule, a.Shop, a.Product, a.Date) {
			continue
		}
		if byShop[a.Shop] == nil {
			shops = append(shops, a.Shop)
		}
		byShop[a.Shop] = append(byShop[a.Shop], a)
	}
	slices.Sort(shops)
	lang := s.o.Reports.Languages[0]
	l, _ := reports.NewLocale(lang)
	l = l.WithNames(names)
	for _, shop := range shops {
		list := byShop[shop]
		slices.SortStableFunc(list, func(a, b reports.Alert) int {
			return cmp.Or(cmp.Compare(rank(a.Severity), rank(b.Severity)), cmp.Compare(b.PeriodGMVAtStakeCents, a.PeriodGMVAtStakeCents), cmp.Compare(a.ID, b.ID))
		})
		msg := announce.Message{Title: l.Tf("alerts.digest_title", l.Display("shop", shop), when, len(list))}
		for _, a := range list {
			line := fmt.Sprintf("%s · %s · %s", l.Name("severity", a.Severity), l.Name("rule", a.Rule), reports.SubjectText(l, a))
			if a.PeriodGMVAtStakeCents > 0 {
				line += " · " + l.Tf("alerts.at_stake_short", l.AtStake(metrics.Money(a.PeriodGMVAtStakeCents)))
			}
			msg.Lines = append(msg.Lines, line+": "+reports.ActionText(l, a))
		}
		sent := map[string]string{}
		for _, a := range list {
			sent[a.ID] = a.Shop
		}
		if link != "" {
			s.announce(ctx, "alerts", "alerts", link, lang, msg)
		} else {
			s.announce(ctx, "alerts", "", "", lang, msg)
		}
		if err := metrics.RecordAnnounced(ctx, s.o.store(), sent, s.o.Now()); err != nil {
			return err
		}
	}
	return nil
}

func rank(severity string) int {
	switch severity {
	case "critical":
		return 0
	case "warning":
		return 1
	}
	return 2
}
