package reports

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/convintel/convintel/metrics"
)

// TopGaps is how many knowledge gaps the weekly report lists.
const TopGaps = 10

// TopAgents is how many agents the GMV dashboard ranks.
const TopAgents = 10

// fetch runs the queries of one report concurrently and returns the first
// error; each query stores its own result.
type fetch struct {
	ctx  context.Context
	src  Source
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

func (f *fetch) show(dst *[]metrics.Row, name string, q metrics.Query, channel string) {
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		rows, err := ShowChannel(f.ctx, f.src, name, q, channel)
		if err != nil {
			f.mu.Lock()
			f.errs = append(f.errs, fmt.Errorf("%s: %w", name, err))
			f.mu.Unlock()
			return
		}
		*dst = rows
	}()
}

func (f *fetch) wait() error {
	f.wg.Wait()
	if len(f.errs) > 0 {
		return f.errs[0]
	}
	return nil
}

// ErrNoChannel is returned for a channel filter on a metric that has no
// channel dimension.
var ErrNoChannel = errors.New("metric has no channel dimension")

// ShowChannel is src restricted to one channel ("" for all): metrics.Query
// has no channel filter, so the rows are grouped by channel too and the
// other channels dropped. A metric without a channel dimension gives
// ErrNoChannel.
func ShowChannel(ctx context.Context, src Source, name string, q metrics.Query, channel string) ([]metrics.Row, error) {
	if channel == "" {
		return src.Show(ctx, name, q)
	}
	if !slices.Contains(metrics.Dimensions(name, q.Level), "channel") {
		return nil, fmt.Errorf("%s: %w", name, ErrNoChannel)
	}
	keep := slices.Contains(q.By, "channel")
	if !keep {
		by := q.By
		if len(by) == 0 {
			by = []string{"date"}
		}
		q.By = append(slices.Clone(by), "channel")
	}
	rows, err := src.Show(ctx, name, q)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Row, 0, len(rows)) // rows may be shared (cached)
	for _, r := range rows {
		if fString(r, "channel") != channel {
			continue
		}
		if !keep {
			r = slices.DeleteFunc(slices.Clone(r), func(f metrics.Field) bool { return f.Key == "channel" })
		}
		out = append(out, r)
	}
	return out, nil
}

func query(p Period, shop string, by ...string) metrics.Query {
	return metrics.Query{From: p.From, To: p.To, Shop: shop, By: by}
}

// totalBy is the grouping that yields one row for the whole of p: the
// week when p lies in one week, else the shop when one is chosen. Other
// ranges give several rows that total combines.
func totalBy(p Period, shop string) string {
	if ISOWeek(p.From) == ISOWeek(p.To) {
		return "week"
	}
	if shop != "" {
		return "shop_id"
	}
	return "week"
}

// span returns the days of p from its start to last (at most p.To), and
// the same days of the period before p; ok is false when last is before
// p.From.
func span(p Period, last time.Time) (cur, prev Period, ok bool) {
	if last.IsZero() || !last.Before(p.To) {
		return p, p.Previous(), true
	}
	if last.Before(p.From) {
		return p, Period{}, false
	}
	cur = Period{From: p.From, To: last}
	pf := p.Previous().From
	prev = Period{From: pf, To: pf.AddDate(0, 0, cur.Days()-1)}
	return cur, prev, true
}

// BuildWeekly reads the weekly funnel report of scope (one week, or any
// range compared with the range of the same length before it).
//
// Figures that wait W for orders (conversion, funnel, drop-off) are read
// over the days whose windows are complete and compared with the same
// days of the previous period; the later days are marked and summed
// apart (Tail). Sentiment and service do not wait for orders: they cover
// the days that hold data (Observed: the whole period once its last day
// has data), against the same days before.
func BuildWeekly(ctx context.Context, src Source, scope Scope) (*Weekly, error) {
	period, shop, cov := scope.Period, scope.Shop, scope.Coverage
	w := &Weekly{Scope: scope}
	var cur, prev Period
	var ok bool
	switch {
	case cov.Watermark.IsZero() && cov.LastDay.IsZero(): // coverage unknown
		cur, prev, ok = period, period.Previous(), true
	case cov.CompleteThrough.IsZero(): // no day complete yet
		cur = period
	default:
		cur, prev, ok = span(period, cov.CompleteThrough)
	}
	w.Compared, w.PrevCompared, w.Comparable = cur, prev, ok
	if ok && cur.To.Before(period.To) {
		w.Tail, w.HasTail = Period{From: cur.To.AddDate(0, 0, 1), To: period.To}, true
	} else if !ok {
		w.Tail, w.HasTail = period, true
	}
	if !cov.LastDay.IsZero() && w.HasTail && cov.LastDay.Before(w.Tail.To) && !cov.LastDay.Before(w.Tail.From) {
		w.Tail.To = cov.LastDay // no data after the last day: not "so far"
	}
	observed, prevObserved, okObs := span(period, cov.LastDay)
	if !okObs {
		observed, prevObserved = period, period.Previous()
	}
	w.Observed, w.PrevObserved = observed, prevObserved
	tb, tbObs := totalBy(cur, shop), totalBy(observed, shop)
	var (
		convCur, convPrev, lines, linesPrev, daily, funnel          []metrics.Row
		dropCur, dropPrev, sentCur, sentPrev, svcCur, svcPrev, gaps []metrics.Row
		questions, gapShops                                         []metrics.Row
	)
	f := &fetch{ctx: ctx, src: src}
	// The knowledge gaps count the days with data (Observed), as
	// sentiment and service do, and the page says which.
	f.show(&questions, "gap_questions", query(observed, shop, "signature", "question"), "")
	f.show(&gapShops, "gaps", query(observed, shop, "signature", "shop_id"), "")
	f.show(&convCur, "conversion", query(cur, shop, tb), "")
	f.show(&lines, "conversion", query(cur, shop, "shop_id", "channel"), "")
	f.show(&daily, "conversion", query(period, shop, "date"), "")
	f.show(&funnel, "funnel", query(cur, shop, "step"), "")
	f.show(&dropCur, "dropoff", query(cur, shop, "node"), "")
	if ok {
		f.show(&convPrev, "conversion", query(prev, shop, tb), "")
		f.show(&linesPrev, "conversion", query(prev, shop, "shop_id", "channel"), "")
		f.show(&dropPrev, "dropoff", query(prev, shop, "node"), "")
	}
	f.show(&sentCur, "sentiment", query(observed, shop, tbObs), "")
	f.show(&sentPrev, "sentiment", query(prevObserved, shop, tbObs), "")
	f.show(&svcCur, "service", query(observed, shop, tbObs), "")
	f.show(&svcPrev, "service", query(prevObserved, shop, tbObs), "")
	f.show(&gaps, "gaps", query(observed, shop, "signature"), "")
	if err := f.wait(); err != nil {
		return nil, err
	}
	loc := period.From.Location()
	w.Current, w.Previous = sumConversion(convCur), sumConversion(convPrev)
	prevLine := map[[2]string]Conversion{}
	for _, r := range linesPrev {
		prevLine[[2]string{fString(r, "shop_id"), fString(r, "channel")}] = conversionOf(r)
	}
	for _, r := range lines {
		k := [2]string{fString(r, "shop_id"), fString(r, "channel")}
		w.ByShopChannel = append(w.ByShopChannel, ConversionLine{Shop: k[0], Channel: k[1], Current: conversionOf(r), Previous: prevLine[k]})
	}
	var tail []metrics.Row
	for _, r := range daily {
		d := DailyConversion{Date: fDate(r, "date", loc), Conversion: conversionOf(r)}
		d.Immature = w.HasTail && !d.Date.Before(w.Tail.From)
		if d.Immature {
			tail = append(tail, r)
		}
		w.Daily = append(w.Daily, d)
	}
	w.TailFigures = sumConversion(tail)
	for _, r := range funnel {
		w.Funnel = append(w.Funnel, FunnelStep{
			Step: int(fInt(r, "step")), Name: fString(r, "step_name"), Buyers: fInt(r, "buyers"),
			FromStart: fFloat(r, "conversion_from_start"), FromPrevious: fFloat(r, "conversion_from_previous"),
			MedianToStepSec: fFloat(r, "median_time_to_step_s"),
		})
	}
	prevDrop := map[string]metrics.Row{}
	for _, r := range dropPrev {
		prevDrop[fString(r, "node")] = r
	}
	for _, r := range dropCur {
		n := DropOffNode{Node: fString(r, "node"), Touched: fInt(r, "touched"), Dropped: fInt(r, "dropped"), Abandonment: fFloat(r, "abandonment_rate")}
		if p, ok := prevDrop[n.Node]; ok {
			n.PrevTouched, n.PrevAbandonment = fInt(p, "touched"), fFloat(p, "abandonment_rate")
		}
		w.DropOff = append(w.DropOff, n)
	}
	slices.SortStableFunc(w.DropOff, func(a, b DropOffNode) int {
		return cmp.Or(cmp.Compare(b.Abandonment, a.Abandonment), cmp.Compare(a.Node, b.Node))
	})
	w.Sentiment, w.PrevSentiment = sumSentiment(sentCur), sumSentiment(sentPrev)
	w.Service, w.PrevService = sumService(svcCur), sumService(svcPrev)
	labels := gapLabels(questions)
	for i, r := range gaps {
		if i == TopGaps {
			break
		}
		examples := slices.Clone(fStrings(r, "examples"))
		slices.Sort(examples)
		g := KnowledgeGap{
			Label: labels[fString(r, "signature")], Signature: fString(r, "signature"), Count: fInt(r, "count"), Examples: examples,
			TopIntent: fString(r, "top_intent"), TopProduct: fString(r, "top_product"),
		}
		g.TopProductShops = productShops(gapShops, g.Signature, g.TopProduct)
		w.Gaps = append(w.Gaps, g)
	}
	alerts, err := src.Alerts(ctx, query(period, shop))
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	for _, a := range alerts {
		if a.Rule != metrics.RuleDropoffSpike {
			continue
		}
		a.Opened, a.Date = inZone(a.Opened, loc), inZone(a.Date, loc)
		// A closed state repeats the figures of the day before it (the
		// last day it fired): on the period's first day, last week's.
		if a.Status == metrics.AlertClosed && !a.Date.AddDate(0, 0, -1).Before(period.From) || a.Status != metrics.AlertClosed {
			w.DropOffAlerts = append(w.DropOffAlerts, Alert{Alert: a})
		}
	}
	slices.SortStableFunc(w.DropOffAlerts, func(a, b Alert) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.ID, b.ID))
	})
	w.Hours, err = buildHoursHeat(ctx, src, scope)
	return w, err
}

// productShops are the shops of rows (gaps by signature and shop) whose
// gap sig names product as its top product, most asked first. The gap's
// top product over all shops is the top product of the shop that sells
// it: its count there is its count overall, at least any other product's
// in that shop (metrics' top breaks ties the same way).
func productShops(rows []metrics.Row, sig, product string) []string {
	if product == "" {
		return nil
	}
	type shopCount struct {
		shop  string
		count int64
	}
	var found []shopCount
	for _, r := range rows {
		if fString(r, "signature") == sig && fString(r, "top_product") == product {
			found = append(found, shopCount{fString(r, "shop_id"), fInt(r, "count")})
		}
	}
	slices.SortFunc(found, func(a, b shopCount) int { return cmp.Or(cmp.Compare(b.count, a.count), cmp.Compare(a.shop, b.shop)) })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.shop
	}
	return out
}

// gapLabels maps each gap signature to its most asked masked question
// (ties: the first in text order, so the label is stable).
func gapLabels(rows []metrics.Row) map[string]string {
	best := map[string]string{}
	n := map[string]int64{}
	for _, r := range rows {
		sig, q, c := fString(r, "signature"), fString(r, "question"), fInt(r, "count")
		if old, ok := best[sig]; !ok || c > n[sig] || c == n[sig] && q < old {
			best[sig], n[sig] = q, c
		}
	}
	return best
}

// sumConversion rolls rows up by summing counts and recomputing rates.
func sumConversion(rows []metrics.Row) Conversion {
	if len(rows) == 1 {
		return conversionOf(rows[0])
	}
	var c Conversion
	for _, r := range rows {
		c.add(conversionOf(r))
	}
	return c.withRates()
}

// add sums x's counts into c (rates are left for withRates).
func (c *Conversion) add(x Conversion) {
	c.ConsultingBuyers += x.ConsultingBuyers
	c.OrderedBuyers += x.OrderedBuyers
	c.SameDayPaidBuyers += x.SameDayPaidBuyers
	c.FinalPaidBuyers += x.FinalPaidBuyers
	c.FinalPaidAmount += x.FinalPaidAmount
}

// withRates returns c with its rates divided again from its counts.
func (c Conversion) withRates() Conversion {
	n := float64(c.ConsultingBuyers)
	c.OrderRate = rate(float64(c.OrderedBuyers), n)
	c.SameDayPayRate = rate(float64(c.SameDayPaidBuyers), n)
	c.FinalPayRate = rate(float64(c.FinalPaidBuyers), n)
	return c
}

// sumSentiment rolls rows up; the mean score is a mean over messages,
// which the rows do not count, so it is unknown (NaN) over several rows.
func sumSentiment(rows []metrics.Row) Sentiment {
	if len(rows) == 1 {
		return sentimentOf(rows[0])
	}
	var s Sentiment
	for _, r := range rows {
		x := sentimentOf(r)
		s.Consultations += x.Consultations
		s.Negative += x.Negative
		s.Recovered += x.Recovered
	}
	s.NegativeRate = rate(float64(s.Negative), float64(s.Consultations))
	s.RecoveryRate = rate(float64(s.Recovered), float64(s.Negative))
	s.AvgScore = math.NaN()
	if len(rows) == 0 {
		s.AvgScore = 0
	}
	return s
}

// sumService rolls rows up from their counts; exact percentiles cannot be
// combined from per-row percentiles, so they are unknown (NaN) over
// several rows.
func sumService(rows []metrics.Row) Service {
	if len(rows) == 1 {
		return serviceOf(rows[0])
	}
	var s Service
	var botOnly, good, ratingSum, fallbacks, botMsgs, repeated float64
	for _, r := range rows {
		x := serviceOf(r)
		s.Consultations += x.Consultations
		s.BotConsultations += x.BotConsultations
		s.Handoffs += x.Handoffs
		s.Ratings += x.Ratings
		botOnly += float64(fInt(r, "bot_only"))
		good += math.Round(x.CSAT * float64(x.Ratings))
		ratingSum += x.AvgRating * float64(x.Ratings)
		fallbacks += float64(fInt(r, "fallbacks"))
		botMsgs += float64(fInt(r, "bot_messages"))
		repeated += math.Round(x.RepeatedQuestionRate * float64(x.Consultations))
	}
	bc := float64(s.BotConsultations)
	s.HandoffRate = rate(float64(s.Handoffs), bc)
	s.ContainmentRate = rate(botOnly, bc)
	s.CSAT = rate(good, float64(s.Ratings))
	s.AvgRating = rate(ratingSum, float64(s.Ratings))
	s.FallbackRate = rate(fallbacks, botMsgs)
	s.RepeatedQuestionRate = rate(repeated, float64(s.Consultations))
	nan := math.NaN()
	if len(rows) == 0 {
		nan = 0
	}
	s.FRTBotP50, s.FRTBotP90, s.FRTHumanP50, s.FRTHumanP90 = nan, nan, nan, nan
	return s
}

func rate(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// BuildGMV reads the GMV-contribution dashboard of scope.
func BuildGMV(ctx context.Context, src Source, scope Scope) (*GMV, error) {
	p, shop, cov := scope.Period, scope.Shop, scope.Coverage
	// Compared with the same days before: a period running past the last
	// day with data (today, not yet computed) is compared over the days
	// it has; a month with the month before.
	cur, prev := comparedSpan(p, cov.LastDay)
	var byDay, prevBuckets, agents, responders, shops, channels []metrics.Row
	f := &fetch{ctx: ctx, src: src}
	f.show(&byDay, "gmv", query(p, shop, "date", "bucket"), "")
	f.show(&prevBuckets, "gmv", query(prev, shop, "bucket"), "")
	f.show(&agents, "gmv", query(p, shop, "shop_id", "agent_id"), "")
	f.show(&responders, "conversion", query(p, shop, "responder"), scope.Channel)
	f.show(&shops, "conversion", query(p, "", "shop_id"), "")
	f.show(&channels, "conversion", query(p, shop, "channel"), "")
	if err := f.wait(); err != nil {
		return nil, err
	}
	loc := p.From.Location()
	g := &GMV{Scope: scope}
	// keyed by calendar day: equal instants in two *time.Location values
	// (the period's, the coverage's) are different map keys as time.Time
	days := map[string]*GMVPoint{}
	for _, r := range byDay {
		d := fDate(r, "date", loc)
		pt := days[d.Format(time.DateOnly)]
		if pt == nil {
			pt = &GMVPoint{Date: d}
			days[d.Format(time.DateOnly)] = pt
		}
		m := fMoney(r, "gmv")
		switch fString(r, "bucket") {
		case "bot":
			pt.Bot += m
		case "human":
			pt.Human += m
		default:
			pt.Unattributed += m
		}
		pt.Total += m
		g.Orders += fInt(r, "orders")
		pt.Refunded += fMoney(r, "refunded")
		g.Refunded += fMoney(r, "refunded")
	}
	g.Compared, g.PrevCompared = cur, prev
	for _, r := range prevBuckets {
		m := fMoney(r, "gmv")
		switch fString(r, "bucket") {
		case "bot":
			g.PrevTotals.Bot += m
		case "human":
			g.PrevTotals.Human += m
		default:
			g.PrevTotals.Unattributed += m
		}
		g.PrevTotals.Total += m
		g.PrevOrders += fInt(r, "orders")
		g.PrevRefunded += fMoney(r, "refunded")
	}
	g.PrevTotals.BotShare = rate(float64(g.PrevTotals.Bot), float64(g.PrevTotals.Total))
	// Every day of the period that can hold data appears, so gaps show as
	// zero, not as a line drawn across a missing day; the chart starts on
	// the first day with data and ends on the last.
	first, last := p.From, p.To
	if !cov.Empty() && cov.Overlaps(p.From, p.To) {
		first, last = maxTime(first, cov.FirstDay), minTime(last, cov.LastDay)
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		pt := GMVPoint{Date: d}
		if x := days[d.Format(time.DateOnly)]; x != nil {
			pt = *x
		}
		pt.BotShare = rate(float64(pt.Bot), float64(pt.Total))
		pt.AttributionPartial = !cov.AttributionComplete(d)
		g.Daily = append(g.Daily, pt)
		g.Totals.Bot += pt.Bot
		g.Totals.Human += pt.Human
		g.Totals.Unattributed += pt.Unattributed
		g.Totals.Total += pt.Total
	}
	g.Totals.BotShare = rate(float64(g.Totals.Bot), float64(g.Totals.Total))
	for _, r := range responders {
		g.ByResponder = append(g.ByResponder, ResponderConversion{Responder: fString(r, "responder"), Conversion: conversionOf(r)})
	}
	slices.SortStableFunc(g.ByResponder, func(a, b ResponderConversion) int {
		return cmp.Compare(responderOrder(a.Responder), responderOrder(b.Responder))
	})
	for _, r := range agents {
		a := AgentSales{Agent: fString(r, "agent_id"), Shop: fString(r, "shop_id"), Orders: fInt(r, "orders"), GMV: fMoney(r, "gmv"), Refunded: fMoney(r, "refunded")}
		if a.Agent != "" {
			g.TopAgents = append(g.TopAgents, a)
		}
	}
	slices.SortStableFunc(g.TopAgents, func(a, b AgentSales) int {
		return cmp.Or(cmp.Compare(b.GMV, a.GMV), cmp.Compare(a.Agent, b.Agent), cmp.Compare(a.Shop, b.Shop))
	})
	if len(g.TopAgents) > TopAgents {
		g.TopAgents = g.TopAgents[:TopAgents]
	}
	for _, r := range shops {
		g.Shops = append(g.Shops, fString(r, "shop_id"))
	}
	for _, r := range channels {
		g.Channels = append(g.Channels, fString(r, "channel"))
	}
	var err error
	g.Growth, err = BuildGrowthCards(ctx, src, scope, prev)
	return g, err
}

func responderOrder(r string) int {
	switch r {
	case "bot_only":
		return 0
	case "bot_to_human":
		return 1
	case "human_only":
		return 2
	case "unanswered":
		return 3
	}
	return 4
}
