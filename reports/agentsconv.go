package reports

import "github.com/convintel/convintel/metrics"

// The scoreboard's conversion columns (consulting buyers, consult → order,
// finally paid) wait W for orders as the weekly page's do. Read over the
// whole week, the demo's W40 board mixed in 10-01 – 10-04, whose buyers
// could still order, with no mark: Ning (49.4 % over the final days,
// second of her shop) read 40.4 %, last, only because more of her buyers
// came late in the week. The columns are read over the final days
// (Agents.ConversionDays) and the days still open (Agents.OpenDays) are
// shown apart, in the chart, as figures so far.

// conversionDays splits p at its first day whose order window is still
// open (metrics.Coverage.Complete): final are the days before it, open
// that day up to the last day with data. Both are zero when the coverage
// is unknown (the period is read as asked); final is zero when no day is
// final yet, open when every day is.
func conversionDays(p Period, cov metrics.Coverage) (final, open Period) {
	if cov.Watermark.IsZero() && cov.LastDay.IsZero() {
		return final, open
	}
	last := p.To
	if !cov.LastDay.IsZero() && cov.LastDay.Before(last) {
		last = inZone(cov.LastDay, p.To.Location())
	}
	for d := p.From; !d.After(last); d = d.AddDate(0, 0, 1) {
		if cov.Complete(d) {
			continue
		}
		open = Period{From: d, To: last}
		if d.After(p.From) {
			final = Period{From: p.From, To: d.AddDate(0, 0, -1)}
		}
		return final, open
	}
	return final, open
}

// setConversion puts the conversion figures of r (a row of the agents
// metric) on row.
func (row *AgentRow) setConversion(r metrics.Row) {
	row.Consulting, row.Ordered, row.Paid = fInt(r, "consulting_buyers"), fInt(r, "ordered_buyers"), fInt(r, "final_paid_buyers")
	row.OrderRate, row.PayRate, row.PaidAmount = fFloat(r, "order_rate"), fFloat(r, "final_pay_rate"), fMoney(r, "final_paid_amount")
}

// splitConversion reads the rows' conversion over the final days, and
// the consult → order so far over the open days, when the period has
// both; a period with no final day keeps the whole period's figures,
// marked not final (ConversionHead, ConversionNote).
func (a *Agents) splitConversion(final, open []metrics.Row) {
	byAgent := func(rows []metrics.Row) map[string]metrics.Row {
		m := map[string]metrics.Row{}
		for _, r := range rows {
			m[fString(r, "agent_id")] = r
		}
		return m
	}
	f, o := byAgent(final), byAgent(open)
	for i := range a.Rows {
		row := &a.Rows[i]
		row.setConversion(f[row.Agent]) // a missing row reads as zero: no consulting buyer on the final days
		if r, ok := o[row.Agent]; ok {
			row.OpenConsulting, row.OpenOrderRate = fInt(r, "consulting_buyers"), fFloat(r, "order_rate")
		}
	}
}

// split says whether the conversion columns are over part of the period.
func (a *Agents) split() bool { return !a.ConversionDays.From.IsZero() && !a.OpenDays.From.IsZero() }

// ConversionHead is the line under the conversion columns' headers: the
// days they cover when the period has days still open, "not final" when
// none is final yet, "" otherwise.
func (a *Agents) ConversionHead(l Locale) string {
	switch {
	case a.split():
		return shortDayRange(a.ConversionDays)
	case !a.OpenDays.From.IsZero():
		return l.T("agents.not_final")
	}
	return ""
}

// ConversionNote says which days the conversion columns cover and which
// are still inside their order window; "" when every day is final or the
// coverage is unknown.
func (a *Agents) ConversionNote(l Locale) string {
	w := windowText(l, a.Scope.Coverage.Window)
	switch {
	case a.split():
		return l.Tf("agents.final_note", shortRange(a.ConversionDays), w, shortRange(a.OpenDays))
	case !a.OpenDays.From.IsZero():
		return l.Tf("agents.pending_note", shortRange(a.OpenDays), w)
	}
	return ""
}

// shortDayRange is p as "09-28 – 09-30" (a header's width).
func shortDayRange(p Period) string {
	if p.From.Equal(p.To) {
		return p.From.Format("01-02")
	}
	return p.From.Format("01-02") + " – " + p.To.Format("01-02")
}

// conversionChart draws each row's consult → order; when the period holds
// days still open, over the final days, with those days' rate so far as a
// second bar named as not final.
func (a *Agents) conversionChart(l Locale, names []string) Chart {
	var conv, open []float64
	for _, r := range a.Rows {
		conv, open = append(conv, r.OrderRate), append(open, r.OpenOrderRate)
	}
	name := l.T("order_rate")
	if h := a.ConversionHead(l); h != "" {
		name += " · " + h
	}
	series := []barSeries{{Name: name, Values: conv}}
	if a.split() {
		series = append(series, barSeries{Name: l.Tf("agents.open_series", shortDayRange(a.OpenDays)), Values: open, Color: notFinalBar})
	}
	return barChart("chart-agent-conversion", l.T("order_rate"), names, series, fmtPct, fmtPct0, true)
}

// notFinalBar is the grey of bars whose figures are not final.
const notFinalBar = "#aab4c3"
