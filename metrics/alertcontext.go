package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/convintel/convintel/warehouse"
)

// alertJobs are the jobs of metrics.md §8 "Alerts v2", run after the
// metrics' (they read the consultation summary and the orders): the
// hourly alert series and the inputs of money at stake. They are not
// metrics of their own to show.
var alertJobs = []job{
	{name: "alert_hours", table: "metric_alert_hours"},
	{name: "alert_money", table: "metric_alert_money"},
}

// volumeHistoryFrom is where loadAlertContext starts reading the shops'
// daily volumes: every stored day (the table holds one row per shop, day
// and hour of kind volume, so this stays small).
var volumeHistoryFrom = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)

// alertContext is what the daily and the hourly evaluation of day d know
// about its baseline days: which days each shop may use (traffic, not a
// promotion or high-volume day) and the inputs of money at stake.
type alertContext struct {
	r        AlertRules
	days     []string                      // the baseline days d−BaselineDays..d−1
	volume   map[string]map[string]float64 // shop → day → consultations (whole day)
	excluded map[string]map[string]bool    // shop → day left out of baselines
	money    map[moneyKey]map[string]moneyCounts
	aov      map[string]map[string][2]float64 // shop → day → (paid orders, GMV cents)
}

// moneyKey is a row key of metric_alert_money.
type moneyKey struct{ shop, kind, product, topic, node string }

// loadAlertContext reads the volumes of every stored day before d (a day's
// own high-volume test needs its baseline too, whose excluded days need
// theirs, back to the first day) and the money inputs of the baseline days.
func loadAlertContext(ctx context.Context, conn warehouse.Conn, r AlertRules, d time.Time) (*alertContext, error) {
	c := &alertContext{r: r, volume: map[string]map[string]float64{}, money: map[moneyKey]map[string]moneyCounts{},
		aov: map[string]map[string][2]float64{}}
	for t := d.AddDate(0, 0, -r.BaselineDays); t.Before(d); t = t.AddDate(0, 0, 1) {
		c.days = append(c.days, t.Format(time.DateOnly))
	}
	// Whether a day is a high-volume day depends on which days before it
	// were, and so on back to the shop's first day: reading only a window
	// before d made a day at its start look history-less (never high), so
	// the same calendar day was in some days' baselines and not in others'.
	vols, err := hourSeries(ctx, conn, volumeHistoryFrom, d.AddDate(0, 0, -1), 24, "volume")
	if err != nil {
		return nil, err
	}
	first := d.AddDate(0, 0, -r.BaselineDays)
	for _, v := range vols {
		if c.volume[v.key.Shop] == nil {
			c.volume[v.key.Shop] = map[string]float64{}
		}
		c.volume[v.key.Shop][v.day] = v.p.num
		if t, err := time.ParseInLocation(time.DateOnly, v.day, d.Location()); err == nil && t.Before(first) {
			first = t
		}
	}
	var all []time.Time
	for t := first; t.Before(d); t = t.AddDate(0, 0, 1) {
		all = append(all, t)
	}
	c.excluded = excludedDays(r, c.volume, all)

	// The money inputs of the baseline days and of the weeks before d's
	// week (dropoff_spike's baseline, weekBaseline), which may begin up
	// to six days earlier.
	moneyFrom := c.days[0]
	if w := dropoffBaselineStart(r, d).Format(time.DateOnly); w < moneyFrom {
		moneyFrom = w
	}
	rows, err := queryFile(ctx, conn, "alert_money_inputs", map[string]string{"From": moneyFrom, "To": c.days[len(c.days)-1]})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var day time.Time
		var k moneyKey
		var m moneyCounts
		if err := rows.Scan(&day, &k.shop, &k.kind, &k.product, &k.topic, &k.node, &m.cons, &m.conv, &m.flagged, &m.flaggedConv); err != nil {
			return nil, err
		}
		dk := day.Format(time.DateOnly)
		if k.kind == "aov" {
			if c.aov[k.shop] == nil {
				c.aov[k.shop] = map[string][2]float64{}
			}
			c.aov[k.shop][dk] = [2]float64{m.cons, m.conv}
			continue
		}
		if c.money[k] == nil {
			c.money[k] = map[string]moneyCounts{}
		}
		c.money[k][dk] = m
	}
	return c, rows.Err()
}

// kept returns the baseline days shop may use: with traffic, not excluded.
func (c *alertContext) kept(shop string) []string {
	var out []string
	for _, d := range c.days {
		if c.volume[shop][d] > 0 && !c.excluded[shop][d] {
			out = append(out, d)
		}
	}
	return out
}

// weekBaseline returns the days of dropoff_spike's baseline for day d of
// shop: the DropoffSpikeWeeks weeks before d's week, less excluded days
// (as dropoffWeeks reads them). Its money at stake takes the converted
// share and the order value from these days, not from the 28 days before
// d, which hold the days of the spiking week before d.
func (c *alertContext) weekBaseline(shop string, d time.Time) []string {
	var out []string
	for t := dropoffBaselineStart(c.r, d); t.Before(weekMonday(d)); t = t.AddDate(0, 0, 1) {
		if day := t.Format(time.DateOnly); !c.excluded[shop][day] {
			out = append(out, day)
		}
	}
	return out
}

// weekMonday is the Monday of d's week.
func weekMonday(d time.Time) time.Time { return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) }

// dropoffBaselineStart is the first day of dropoff_spike's baseline weeks
// for day d.
func dropoffBaselineStart(r AlertRules, d time.Time) time.Time {
	return weekMonday(d).AddDate(0, 0, -7*r.DropoffSpikeWeeks)
}

// isExcluded says whether day (2006-01-02) is a promotion or high-volume
// day of shop.
func (c *alertContext) isExcluded(shop, day string) bool { return c.excluded[shop][day] }

// moneyFor sums the money inputs of an alert's subject over the kept days.
func (c *alertContext) moneyFor(rule, shop, product, topic, node string, kept []string) moneyInputs {
	var in moneyInputs
	var orders, cents float64
	for _, d := range kept {
		a := c.aov[shop][d]
		orders += a[0]
		cents += a[1]
	}
	in.aovCents = rate(cents, orders)
	sum := func(k moneyKey) moneyCounts {
		var m moneyCounts
		for _, d := range kept {
			m.add(c.money[k][d])
		}
		return m
	}
	switch rule {
	case RuleTopicSurge:
		in.subject = sum(moneyKey{shop, "topic", product, topic, ""})
		in.whole = sum(moneyKey{shop, "product", product, "", ""})
	case RuleNegativeSurge:
		in.subject = sum(moneyKey{shop, "negative", product, "", ""})
	case RuleFallbackSpike:
		in.subject = sum(moneyKey{shop, "fallback", "", "", ""})
	case RuleDropoffSpike:
		in.subject = sum(moneyKey{shop, "node", "", "", node})
	}
	return in
}

// hourRow is one row of alert_hours_series / alert_intraday.
type hourRow struct {
	day string
	key SeriesKey // Rule holds the kind
	p   point
}

// hourSeries reads metric_alert_hours for days from..to summed over the
// hours before hours, for the given kinds (package constants only).
func hourSeries(ctx context.Context, conn warehouse.Conn, from, to time.Time, hours int, kinds ...string) ([]hourRow, error) {
	stmt, err := render("alert_hours_series", map[string]any{
		"From": from.Format(time.DateOnly), "To": to.Format(time.DateOnly), "Hours": hours,
		"Kinds": "'" + strings.Join(kinds, "', '") + "'",
	})
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, stmt)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hourRow
	for rows.Next() {
		var day time.Time
		var h hourRow
		if err := rows.Scan(&day, &h.key.Rule, &h.key.Shop, &h.key.Product, &h.key.Topic, &h.p.num, &h.p.den); err != nil {
			return nil, err
		}
		h.day = day.Format(time.DateOnly)
		out = append(out, h)
	}
	return out, rows.Err()
}
