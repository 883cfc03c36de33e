package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/warehouse"
)

// Alert is one early warning (metrics.md §8) in its state of one day: the
// row of metric_alerts, as the rules evaluate it, as it is stored
// (alerts_insert.sql), loaded (show_alerts.sql, alerts_open.sql) and
// handed to the reports and webhooks. The ch tags are the column names.
type Alert struct {
	// Date is the day of this state (UTC midnight of the local date, as
	// ClickHouse's Date gives it).
	Date time.Time `ch:"date"`
	ID   string    `ch:"alert_id"`
	Rule string    `ch:"rule"`
	Shop string    `ch:"shop_id"`
	// Subject is what the alert is about, as its rule names it (Rule.Subject).
	Subject string `ch:"subject"`
	Product string `ch:"product_id"`
	Topic   string `ch:"topic"`
	Node    string `ch:"node"`
	// Opened is the day it first fired (UTC midnight, as Date).
	Opened   time.Time `ch:"opened"`
	Status   string    `ch:"status"` // AlertOpen or AlertClosed
	Severity string    `ch:"severity"`
	Value    float64   `ch:"value"`
	Baseline float64   `ch:"baseline"`
	Ratio    float64   `ch:"ratio"`
	Evidence []string  `ch:"evidence"`
	ActionZH string    `ch:"action_zh"`
	ActionEN string    `ch:"action_en"`

	// Alerts v2 (metrics.md §8 "Alerts v2", migration 0050).
	// GMVAtStakeCents is what fixing it is worth on this day (for
	// dropoff_spike: the week so far), in cents.
	GMVAtStakeCents int64 `ch:"gmv_at_stake_cents"`
	// Direction is which way its series moved: DirectionUp or DirectionDown.
	Direction string `ch:"direction"`
	// IntradayHour is the hour of its opening day at which the hourly
	// evaluation first raised it (the day so far up to that hour), -1 when
	// the end-of-day evaluation did.
	IntradayHour int8 `ch:"intraday_hour"`

	// Filled by Alerts, not stored: the money at stake over the queried
	// days (a daily rule's days add up; a drop-off spike's latest row is
	// its week so far), and whether a mute covers it on its Date.
	PeriodGMVAtStakeCents int64 `ch:"-"`
	Muted                 bool  `ch:"-"`
}

// Alert states and severities.
const (
	AlertOpen   = "open"
	AlertClosed = "closed"

	SeverityCritical = "critical"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"
)

// Row is a as `metrics show alerts` prints it.
func (a Alert) Row() Row {
	ev := a.Evidence
	if ev == nil {
		ev = []string{}
	}
	return Row{
		{"alert_id", a.ID}, {"rule", a.Rule}, {"date", Date(a.Date)},
		{"shop_id", a.Shop}, {"subject", a.Subject}, {"product_id", a.Product},
		{"topic", a.Topic}, {"node", a.Node}, {"opened", Date(a.Opened)},
		{"status", a.Status}, {"severity", a.Severity}, {"value", round(a.Value)},
		{"baseline", round(a.Baseline)}, {"ratio", round(a.Ratio)},
		{"evidence", ev}, {"action_zh", a.ActionZH}, {"action_en", a.ActionEN},
		{"gmv_at_stake", Money(a.GMVAtStakeCents)}, {"gmv_at_stake_period", Money(a.PeriodGMVAtStakeCents)},
		{"direction", a.Direction}, {"intraday_hour", int64(a.IntradayHour)}, {"muted", a.Muted},
	}
}

// Alerts returns each alert stored for q's days once, in its latest state
// (q.By and q.Level do not apply).
func Alerts(ctx context.Context, conn warehouse.Conn, q Query) ([]Alert, error) {
	stmt, err := render("show_alerts", map[string]any{"Shop": q.Shop != ""})
	if err != nil {
		return nil, err
	}
	var rows []Alert
	if err := conn.Select(ctx, &rows, stmt, rangeArgs(q)...); err != nil {
		return nil, err
	}
	mutes, err := Mutes(ctx, conn)
	if err != nil {
		return nil, err
	}
	latest := map[string]int{}
	period := map[string]int64{}
	var out []Alert
	for _, a := range rows {
		switch {
		case a.Status == AlertClosed: // repeats the last figures
		case moneySoFar(a.Rule):
			period[a.ID] = a.GMVAtStakeCents
		default:
			period[a.ID] += a.GMVAtStakeCents
		}
		if i, ok := latest[a.ID]; ok {
			out[i] = a
			continue
		}
		latest[a.ID] = len(out)
		out = append(out, a)
	}
	for i := range out {
		a := &out[i]
		a.PeriodGMVAtStakeCents = period[a.ID]
		a.Muted = Muted(mutes, a.Rule, a.Shop, a.Product, a.Date)
	}
	return out, nil
}

// showAlerts is Show for the alerts: each alert once, in its latest state.
func showAlerts(ctx context.Context, conn warehouse.Conn, q Query) ([]Row, error) {
	alerts, err := Alerts(ctx, conn, q)
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(alerts))
	for i, a := range alerts {
		out[i] = a.Row()
	}
	return out, nil
}

// openAlerts are the alerts open at the end of day d.
func openAlerts(ctx context.Context, conn warehouse.Conn, d time.Time) ([]Alert, error) {
	stmt, err := render("alerts_open", nil)
	if err != nil {
		return nil, err
	}
	var out []Alert
	err = conn.Select(ctx, &out, stmt, d.Format(time.DateOnly))
	return out, err
}

// storeAlerts inserts the alert states of day d.
func storeAlerts(ctx context.Context, conn warehouse.Conn, d time.Time, alerts []*Alert) error {
	if len(alerts) == 0 {
		return nil
	}
	day := utcDate(d)
	return insertFile(ctx, conn, "alerts_insert", func(b driver.Batch) error {
		for _, a := range alerts {
			row := *a
			row.Date, row.Opened = day, utcDate(a.Opened)
			if row.Evidence == nil {
				row.Evidence = []string{}
			}
			if err := b.AppendStruct(&row); err != nil {
				return err
			}
		}
		return nil
	})
}

// utcDate is t's calendar date as the UTC midnight a Date column stores.
func utcDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// withoutComments drops the comment lines of an INSERT header: the driver
// reads the table and columns from the statement text.
func withoutComments(stmt string) string {
	var b strings.Builder
	for _, line := range strings.Split(stmt, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return strings.TrimSpace(b.String())
}
