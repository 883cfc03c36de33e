package reports

import (
	"cmp"
	"context"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/convintel/convintel/metrics"
)

// QA is the quality-inspection page (metrics.md §9, 智能质检): violations
// by rule and responder, the day-by-day trend, the worst conversations
// with their evidence, and the disputed violations apart.
type QA struct {
	Scope Scope
	// Consultations inspected and Messages inspected (coverage is always
	// 100 %: every bot and agent message is inspected). Consultations
	// counts each consultation once (§6's consultations, as the weekly
	// report's): a consultation the bot handed to an agent is in both
	// their rows, and the rows summed counted it twice (the demo's week:
	// 21,508 against the weekly report's 17,907). AvgScore is the mean
	// qa_score over those consultations (100 for one without a violation),
	// disputed violations left out as in the counts.
	Consultations, Messages, Violations int64
	AvgScore                            float64
	ByRule                              []QACount
	ByCategory                          []QACount
	ByResponder                         []ResponderQA
	Daily                               []QAPoint
	Worst                               []QAConversation
	Disputed                            []QAViolation
	Shops                               []string
}

// QACount is a count of violations of one rule or category.
type QACount struct {
	Key   string
	Count int64
}

// ResponderQA is one responder's §9 row (bot, an agent, unassigned).
type ResponderQA struct {
	Responder string
	// Shops the agent answered in (usually one; empty for the bot and
	// the unassigned row): the demo's chart ranked Tangtang first with
	// 62 violations beside agents of three other shops, with nothing
	// saying whose agent each is, while the scoreboard names every
	// agent's shop.
	Shops                          []string
	Consultations, Messages, Count int64
	ViolationRate, AvgScore        float64
	Phrases, Slow, SlowFirst       int64
	MissedTakeover, LeftUnanswered int64
}

// QAPoint is one day of the trend. Consultations are the day's (each
// once), and WithViolation those of them with a violation (disputed ones
// left out): their share is the day's rate, which the count alone hides
// behind the traffic (the demo's promotion day read 880 violations
// against about 230 on the others, at the same share).
type QAPoint struct {
	Date                         time.Time
	Violations                   int64
	Consultations, WithViolation int64
	AvgScore                     float64
}

// ViolationShare is the share of the day's consultations with a violation.
func (p QAPoint) ViolationShare() float64 {
	return rate(float64(p.WithViolation), float64(p.Consultations))
}

// QAConversation is one conversation with its violations, worst first.
type QAConversation struct {
	Date, Shop, Conversation string
	Score                    int
	Violations               []QAViolation
}

// Ref is the conversation's reference as the page shows it
// (metrics.ConversationRef).
func (c QAConversation) Ref() string { return metrics.ConversationRef(c.Shop, c.Conversation) }

// Ref is the reference of the violation's conversation
// (metrics.ConversationRef).
func (v QAViolation) Ref() string { return metrics.ConversationRef(v.Shop, v.Conversation) }

// QAViolation is one stored violation as the page shows it.
type QAViolation struct {
	ID, Time, Shop, Conversation, Responder, Rule, Category, Detail, Phrase, Evidence, Dispute string
	// Intent is the intent a missed takeover's buyer asked the third time
	// (empty for other violations and rows stored before it was kept).
	Intent string
	DelayS float64
	Weight int64
}

// DetailText says why a missed takeover is one, naming the intent the
// buyer asked a third time when the row has it: "the buyer's 3rd
// question of the same kind: Delivery time". Without it the demo's
// conversation #7N9FW5 showed 直播间价格能给吗 and 能分期吗 each beside
// "… of the same kind, e.g. price or shipping", which read as one kind.
func (v QAViolation) DetailText(l Locale) string {
	key := "qaintent." + v.Detail
	if v.Intent == "" || l.T(key) == key {
		return l.Name("qadetail", v.Detail)
	}
	return l.Tf(key, l.Name("intent", v.Intent))
}

// PointsOff is what the violation took off its conversation's score,
// "−30" ("" without a weight): the worst conversations' scores (40, 45)
// did not say what each violation had cost, so two conversations of
// three violations read 45 and 50 without a reason. Slow replies take
// at most the cap together (the note above the page says so).
func (v QAViolation) PointsOff() string {
	if v.Weight <= 0 {
		return ""
	}
	return Minus + strconv.FormatInt(v.Weight, 10)
}

// DelayText says what a slow reply's delay is: "replied after 3.2 min"
// ("first reply 5.0 min after the handoff"); the "What" column read a
// bare "3.2 min".
func (v QAViolation) DelayText(l Locale) string {
	key := "qadelay." + v.Rule
	if l.T(key) == key {
		key = "qadelay.slow_reply"
	}
	return l.Tf(key, l.Seconds(v.DelayS))
}

// WorstConversations is how many conversations the QA page lists.
var WorstConversations = 10

// RowsOverlap says whether the responder rows hold consultations twice
// (handed from the bot to an agent): their consultations then add up to
// more than Consultations, and the page says why.
func (q *QA) RowsOverlap() bool {
	var n int64
	for _, r := range q.ByResponder {
		n += r.Consultations
	}
	return n > q.Consultations
}

// ChartAgents is how many responder rows the QA page's chart shows.
const ChartAgents = 10

// QAMinConsultations is the fewest consultations in the period for which
// an agent's share of consultations with a violation is ranked: with 50,
// one violation more or less moves the share by two points, about the
// spread between the demo's agents (7.8 % to 12.5 %); with 12, by eight.
// It is SmallSample, the size below which the weekly page leaves a
// change uncoloured, so the pages a supervisor reads draw the line at the
// same size.
const QAMinConsultations = SmallSample

// Ranked says whether the row's share of consultations with a violation
// is ranked among the agents': it took part in at least
// QAMinConsultations consultations.
func (r ResponderQA) Ranked() bool { return r.Consultations >= QAMinConsultations }

// FewMark says why an agent's row is not ranked ("" when it is): the
// hover text of its † on the QA page.
func (r ResponderQA) FewMark(l Locale) string {
	if r.Ranked() || r.Responder == "bot" || r.Responder == "unassigned" {
		return ""
	}
	return l.Tf("qa.few_mark", QAMinConsultations)
}

// rankResponders orders rows as the page compares them: the bot first,
// then the agents with enough consultations (Ranked) by their share of
// consultations with a violation, highest first, then those with fewer in
// the same order, then the consultations nobody answered, beside their
// note. Ranked by the count of violations, the demo's chart put Tangtang
// (62 in 510 consultations) first and Ze (46 in 328, the highest share,
// 12.5 %) seventh: an agent who takes more chats has more violations.
func rankResponders(rows []ResponderQA) {
	place := func(r ResponderQA) int {
		switch {
		case r.Responder == "bot":
			return 0
		case r.Responder == "unassigned":
			return 3
		case r.Ranked():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(rows, func(a, b ResponderQA) int {
		return cmp.Or(cmp.Compare(place(a), place(b)), cmp.Compare(b.ViolationRate, a.ViolationRate),
			cmp.Compare(b.Count, a.Count), cmp.Compare(a.Responder, b.Responder))
	})
}

// chartRows are the responder rows the chart draws, ranked
// (rankResponders): the agents, without the bot and the unassigned row
// when there are agents to compare (the chart compares agents; in the
// demo the unassigned row's 72.8 % would have set the axis for shares of
// 8–13 %).
func (q *QA) chartRows() (rows []ResponderQA, leftOut bool) {
	for _, r := range q.ByResponder {
		if r.Responder != "bot" && r.Responder != "unassigned" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 || len(rows) == len(q.ByResponder) {
		rows = slices.Clone(q.ByResponder)
	}
	rankResponders(rows)
	return rows, len(rows) < len(q.ByResponder)
}

// ChartNote says what the responder chart ranks and what its labels
// give, which agents it does not rank (fewer than QAMinConsultations), that
// it leaves out the bot and the consultations nobody answered, with their
// counts, and that it shows fewer agents than the table.
func (q *QA) ChartNote(l Locale) string {
	rows, leftOut := q.chartRows()
	notes := []string{l.T("qa.chart_ranks"), l.Tf("qa.chart_min", QAMinConsultations)}
	few := 0
	for _, r := range rows {
		if !r.Ranked() {
			few++
		}
	}
	if few > 0 {
		notes = append(notes, l.Tf(countKey(l, "qa.chart_few", few), few))
	}
	if leftOut {
		var bot, unassigned int64
		for _, r := range q.ByResponder {
			switch r.Responder {
			case "bot":
				bot = r.Count
			case "unassigned":
				unassigned = r.Count
			}
		}
		notes = append(notes, l.Tf("qa.chart_left_out", l.Count(bot), l.Count(unassigned)))
	}
	if len(rows) > ChartAgents {
		notes = append(notes, l.Tf("qa.chart_top", ChartAgents, len(rows)))
	}
	return strings.Join(notes, sentenceGap(l))
}

// UnassignedNote explains the unassigned row: consultations nobody
// answered, whose violations are left_unanswered and which had no
// message to inspect (the demo's row read "Messages inspected 0" beside
// 1,300 violations). "" without such a row.
func (q *QA) UnassignedNote(l Locale) string {
	for _, r := range q.ByResponder {
		if r.Responder == "unassigned" && r.Consultations > 0 {
			note := l.Tf("qa.unassigned_note", l.Count(r.Consultations))
			// The demo's 1,785 unanswered consultations beside 1,300
			// violations read as a miscount: the rest ended outside
			// service hours, which is no violation.
			if other := r.Consultations - r.LeftUnanswered; other > 0 {
				note += sentenceGap(l) + l.Tf("qa.unassigned_hours", l.Count(r.LeftUnanswered), scopeServiceHours(l, q.Scope, q.Shops), l.Count(other))
			}
			return note
		}
	}
	return ""
}

// BuildQA reads the QA page of scope.
func BuildQA(ctx context.Context, src Source, scope Scope) (*QA, error) {
	p, shop := scope.Period, scope.Shop
	var byResp, byDay, viols, shops, consults, dailyConsults []metrics.Row
	f := &fetch{ctx: ctx, src: src}
	f.show(&consults, "service", query(p, shop, totalBy(p, shop)), "")
	f.show(&dailyConsults, "service", query(p, shop, "date"), "")
	f.show(&byResp, "qa", query(p, shop, "responder"), "")
	f.show(&byDay, "qa", query(p, shop, "date", "responder"), "")
	f.show(&viols, "violations", query(p, shop), "")
	f.show(&shops, "qa", query(p, "", "shop_id", "responder"), "")
	if err := f.wait(); err != nil {
		return nil, err
	}
	q := &QA{Scope: scope}
	for _, r := range byResp {
		rq := ResponderQA{Responder: fString(r, "responder"), Consultations: fInt(r, "consultations"), Messages: fInt(r, "messages_inspected"),
			Count: fInt(r, "violations"), ViolationRate: fFloat(r, "violation_rate"), AvgScore: fFloat(r, "avg_qa_score"),
			Phrases: fInt(r, "forbidden_phrase"), Slow: fInt(r, "slow_reply"), SlowFirst: fInt(r, "slow_first_response"),
			MissedTakeover: fInt(r, "missed_takeover"), LeftUnanswered: fInt(r, "left_unanswered")}
		q.ByResponder = append(q.ByResponder, rq)
		q.Messages += rq.Messages
		q.Violations += rq.Count
	}
	rankResponders(q.ByResponder)
	loc := p.From.Location()
	// keyed by calendar day: equal instants in two *time.Location values
	// (the period's, the coverage's) are different map keys as time.Time
	days := map[string]*QAPoint{}
	day := func(r metrics.Row) *QAPoint {
		d := fDate(r, "date", loc)
		pt := days[d.Format(time.DateOnly)]
		if pt == nil {
			pt = &QAPoint{Date: d}
			days[d.Format(time.DateOnly)] = pt
		}
		return pt
	}
	for _, r := range byDay {
		day(r).Violations += fInt(r, "violations")
	}
	for _, r := range dailyConsults {
		day(r).Consultations += fInt(r, "consultations")
	}
	// Scores per conversation from the violations (100 minus weights,
	// slow replies capped), so the page needs no second table: a
	// conversation without violations scores 100.
	rules := map[string]int64{}
	cats := map[string]int64{}
	convs := map[string]*QAConversation{}
	slow := map[string]int64{}
	lost := map[string]int64{}
	for _, r := range viols {
		v := QAViolation{ID: fString(r, "violation_id"), Shop: fString(r, "shop_id"), Conversation: fString(r, "conversation_id"),
			Responder: fString(r, "responder"), Rule: fString(r, "rule"), Category: fString(r, "category"), Detail: fString(r, "detail"),
			Intent: fString(r, "intent"), Phrase: fString(r, "phrase"), Evidence: fString(r, "evidence"), Dispute: fString(r, "dispute"),
			DelayS: float64(fInt(r, "delay_ms")) / 1000, Weight: fInt(r, "weight")}
		v.Time = time.UnixMilli(fInt(r, "ts_ms")).In(loc).Format("01-02 15:04:05")
		if v.Dispute == metrics.DisputeDisputed {
			q.Disputed = append(q.Disputed, v)
			continue
		}
		rules[v.Rule]++
		if v.Category != "" {
			cats[v.Category]++
		}
		key := v.Shop + "\x00" + v.Conversation
		c := convs[key]
		if c == nil {
			c = &QAConversation{Date: fDate(r, "date", loc).Format(time.DateOnly), Shop: v.Shop, Conversation: v.Conversation}
			convs[key] = c
			pt := days[c.Date]
			if pt == nil {
				pt = &QAPoint{Date: fDate(r, "date", loc)}
				days[c.Date] = pt
			}
			pt.WithViolation++
		}
		c.Violations = append(c.Violations, v)
		if v.Rule == "slow_reply" {
			slow[key] += v.Weight
		} else {
			lost[key] += v.Weight
		}
	}
	for d := p.From; !d.After(p.To); d = d.AddDate(0, 0, 1) {
		pt := QAPoint{Date: d}
		if x := days[d.Format(time.DateOnly)]; x != nil {
			pt = *x
		}
		q.Daily = append(q.Daily, pt)
	}
	for _, r := range metrics.QARules {
		q.ByRule = append(q.ByRule, QACount{r, rules[r]})
	}
	for _, c := range metrics.PhraseCategories {
		q.ByCategory = append(q.ByCategory, QACount{c, cats[c]})
	}
	var lostSum int64 // points lost over every consultation with a violation
	for key, c := range convs {
		c.Score = int(max(0, 100-lost[key]-min(slow[key], int64(scope.qaSettings().SlowReplyCap))))
		lostSum += int64(100 - c.Score)
		q.Worst = append(q.Worst, *c)
	}
	slices.SortFunc(q.Worst, func(a, b QAConversation) int {
		return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(b.Date, a.Date), cmp.Compare(a.Conversation, b.Conversation))
	})
	if len(q.Worst) > WorstConversations {
		q.Worst = q.Worst[:WorstConversations]
	}
	for _, r := range consults {
		q.Consultations += fInt(r, "consultations")
	}
	if q.Consultations > 0 {
		q.AvgScore = 100 - float64(lostSum)/float64(q.Consultations)
	}
	agentShops := map[string][]string{}
	for _, r := range shops {
		s := fString(r, "shop_id")
		if !slices.Contains(q.Shops, s) {
			q.Shops = append(q.Shops, s)
		}
		if resp := fString(r, "responder"); resp != "bot" && resp != "unassigned" && (shop == "" || s == shop) && !slices.Contains(agentShops[resp], s) {
			agentShops[resp] = append(agentShops[resp], s)
		}
	}
	for i := range q.ByResponder {
		q.ByResponder[i].Shops = agentShops[q.ByResponder[i].Responder]
		slices.Sort(q.ByResponder[i].Shops)
	}
	return q, nil
}

// ShopText names the shops of the row's agent in l ("" for the bot and
// the unassigned row).
func (r ResponderQA) ShopText(l Locale) string {
	names := make([]string, len(r.Shops))
	for i, s := range r.Shops {
		names[i] = l.Display("shop", s)
	}
	return strings.Join(names, l.T("list_sep"))
}

// Agents is the agent scoreboard (metrics.md §10, 客服绩效), the bot as
// its own row.
type Agents struct {
	Scope Scope
	Rows  []AgentRow
	Shops []string
	// AttributionPartial are the period's days with data whose orders look
	// back before the first stored consultation (zero when none): their
	// sales are partly missing from every agent's and the bot's row.
	AttributionPartial Period
	// ConversionDays are the days the conversion columns cover when the
	// period also holds days still inside their order window (OpenDays,
	// whose consult → order so far is each row's OpenOrderRate); both zero
	// when the coverage is unknown, ConversionDays zero when no day is
	// final yet (the columns are the whole period's, marked not final).
	ConversionDays, OpenDays Period
	// NoAgentSales and NoAgentOrders are agent GMV (§2's human bucket) that
	// no agent is credited with: the buyer ordered in a consultation an
	// agent joined, but before any agent message (metrics.md §10's
	// "strictly before the anchor"). The GMV dashboard's agent GMV holds
	// it; without its own row the scoreboard's sales summed to less (the
	// demo's week: ¥429,965.00 against ¥430,212.00).
	NoAgentSales  metrics.Money
	NoAgentOrders int64
}

// AgentSales are the scoreboard's agents' sales summed (the bot left
// out) with NoAgentSales: the GMV dashboard's agent GMV of the same
// period, which a reader checks the board against.
func (a *Agents) AgentSales() metrics.Money {
	sales, _ := a.agentTotals()
	return sales
}

// AgentOrders are the agents' sales orders summed as AgentSales are.
func (a *Agents) AgentOrders() int64 {
	_, orders := a.agentTotals()
	return orders
}

func (a *Agents) agentTotals() (sales metrics.Money, orders int64) {
	sales, orders = a.NoAgentSales, a.NoAgentOrders
	for _, r := range a.Rows {
		if r.Agent != "bot" {
			sales, orders = sales+r.Sales, orders+r.SalesOrders
		}
	}
	return sales, orders
}

// TotalNote is the line under the scoreboard: how to compare agents,
// what the total reconciles with, and what NoAgentSales are.
func (a *Agents) TotalNote(l Locale) string {
	// The days are named: a GMV dashboard of other days (the demo's four
	// weeks) read "for the same days" beside amounts three times these.
	note := l.Tf("agents.total_note", shortRange(a.Scope.Period))
	if a.NoAgentSales > 0 {
		note += sentenceGap(l) + l.Tf("agents.no_agent_note", l.Money(a.NoAgentSales))
	}
	return note
}

// botLeftOut says whether the sales chart leaves the bot out: it does
// when the board has agents to compare besides it.
func (a *Agents) botLeftOut() bool {
	bot, agents := false, false
	for _, r := range a.Rows {
		if r.Agent == "bot" {
			bot = true
		} else {
			agents = true
		}
	}
	return bot && agents
}

// SalesChartNote is the line under the sales chart when it leaves the bot
// out, with the bot's sales; empty otherwise.
func (a *Agents) SalesChartNote(l Locale) string {
	if !a.botLeftOut() {
		return ""
	}
	for _, r := range a.Rows {
		if r.Agent == "bot" {
			return l.Tf("agents.sales_bot_note", l.Money(r.Sales))
		}
	}
	return ""
}

// slowReplies is what the reply chart draws: for each agent with replies,
// the share of them slower than the reply SLA (1 − ReplyRate), named as in
// names (one per row). Charted as the share within the SLA, every bar
// of the demo stood between 97 % and 100 % of an axis from 0: the
// supervisor saw sixteen equal bars. The share slower runs from 1 % to
// 3 % on an axis from 0, so the bars' lengths compare honestly and the
// slowest agent has the longest. The bot answers at once and is left out
// beside agents, as in the sales chart; the table keeps every row's
// exact share within the SLA.
func (a *Agents) slowReplies(names []string) ([]string, []float64) {
	var out []string
	var slow []float64
	for i, r := range a.Rows {
		if r.Replies == 0 || r.Agent == "bot" && a.botLeftOut() {
			continue
		}
		// rounded: 1 − 0.8 is 0.19999999999999996 in the page's data
		out, slow = append(out, names[i]), append(slow, math.Round((1-r.ReplyRate)*1e6)/1e6)
	}
	return out, slow
}

// RepliesChartNote is the line under the reply chart: what a bar is, how
// it relates to the table's column, and the bot's share when it is left
// out.
func (a *Agents) RepliesChartNote(l Locale) string {
	note := l.T("agents.slow_replies_note")
	if !a.botLeftOut() {
		return note
	}
	for _, r := range a.Rows {
		if r.Agent == "bot" && r.Replies > 0 {
			return note + sentenceGap(l) + l.Tf("agents.slow_replies_bot", l.Percent(1-r.ReplyRate))
		}
	}
	return note
}

// ReplySLANote lists each shop's reply SLA when the board's shops differ
// in it (its labels then say "the shop's limit"); "" otherwise.
func (a *Agents) ReplySLANote(l Locale) string {
	return scopeReplySLAs(a.Scope, a.Shops).Note(l)
}

// ReplySLANote is Agents.ReplySLANote for the QA page's slow-reply rule.
func (q *QA) ReplySLANote(l Locale) string {
	return scopeReplySLAs(q.Scope, q.Shops).Note(l)
}

// FirstResponseSLANote lists each shop's first-response SLA after a
// handoff when the page's shops differ in it; "" otherwise.
func (q *QA) FirstResponseSLANote(l Locale) string {
	return scopeFirstResponseSLAs(q.Scope, q.Shops).Note(l)
}

// MultiShop says whether the rows' agents serve more than one shop: the
// page then names each agent's shop beside it in the charts.
func (a *Agents) MultiShop() bool {
	var seen []string
	for _, r := range a.Rows {
		for _, s := range r.Shops {
			if !slices.Contains(seen, s) {
				seen = append(seen, s)
			}
		}
	}
	return len(seen) > 1
}

// AgentRow is one agent's (or the bot's) line of the scoreboard.
type AgentRow struct {
	Agent string
	// Shops the agent served in the period (usually one; empty for the
	// bot, which serves every shop): agents are compared within a shop, as
	// a shop's order sizes set its agents' sales.
	Shops                                          []string
	Served, Consulting, Ordered, Paid, SalesOrders int64
	OrderRate, PayRate, ReplyRate, CSAT, AvgScore  float64
	Sales, AOV, PaidAmount                         metrics.Money
	Replies, Ratings, Violations                   int64
	AvgReplyS, ReplyP90S                           float64
	FirstResponseP50Ms                             int64
	// OpenConsulting and OpenOrderRate are the consulting buyers and the
	// consult → order so far of Agents.OpenDays (not final).
	OpenConsulting int64
	OpenOrderRate  float64
}

// BuildAgents reads the agent scoreboard of scope.
func BuildAgents(ctx context.Context, src Source, scope Scope) (*Agents, error) {
	p, shop := scope.Period, scope.Shop
	var rows, byShop, shops, sales, finalRows, openRows []metrics.Row
	f := &fetch{ctx: ctx, src: src}
	f.show(&rows, "agents", query(p, shop, "agent_id"), "")
	final, open := conversionDays(p, scope.Coverage)
	if !final.From.IsZero() && !open.From.IsZero() {
		f.show(&finalRows, "agents", query(final, shop, "agent_id"), "")
		f.show(&openRows, "agents", query(open, shop, "agent_id"), "")
	}
	f.show(&byShop, "agents", query(p, shop, "shop_id", "agent_id"), "")
	f.show(&shops, "agents", query(p, "", "shop_id", "agent_id"), "")
	f.show(&sales, "gmv", query(p, shop, "bucket", "agent_id"), "")
	if err := f.wait(); err != nil {
		return nil, err
	}
	a := &Agents{Scope: scope, AttributionPartial: attributionPartial(p, scope.Coverage), ConversionDays: final, OpenDays: open}
	agentShops := map[string][]string{}
	for _, r := range byShop {
		if ag, s := fString(r, "agent_id"), fString(r, "shop_id"); ag != "bot" && !slices.Contains(agentShops[ag], s) {
			agentShops[ag] = append(agentShops[ag], s)
		}
	}
	for _, r := range sales {
		if fString(r, "bucket") == "human" && fString(r, "agent_id") == "" {
			a.NoAgentSales += fMoney(r, "gmv")
			a.NoAgentOrders += fInt(r, "orders")
		}
	}
	for _, r := range rows {
		ag := fString(r, "agent_id")
		a.Rows = append(a.Rows, AgentRow{Agent: ag, Shops: agentShops[ag], Served: fInt(r, "served_buyers"),
			Consulting: fInt(r, "consulting_buyers"), Ordered: fInt(r, "ordered_buyers"), Paid: fInt(r, "final_paid_buyers"),
			OrderRate: fFloat(r, "order_rate"), PayRate: fFloat(r, "final_pay_rate"), PaidAmount: fMoney(r, "final_paid_amount"),
			SalesOrders: fInt(r, "sales_orders"), Sales: fMoney(r, "sales_gmv"), AOV: fMoney(r, "avg_order_value"),
			Replies: fInt(r, "replies"), AvgReplyS: fFloat(r, "avg_reply_s"), ReplyP90S: fFloat(r, "reply_p90_s"),
			ReplyRate: fFloat(r, "reply_within_sla_rate"), FirstResponseP50Ms: fInt(r, "first_response_p50_ms"),
			Ratings: fInt(r, "ratings"), CSAT: fFloat(r, "csat"), AvgScore: fFloat(r, "avg_qa_score"), Violations: fInt(r, "violations")})
	}
	if a.split() {
		a.splitConversion(finalRows, openRows)
	}
	// The bot first, then each shop's agents by sales: the scoreboard a
	// 客服主管 reads. Ranked across shops, a shop with smaller orders put
	// all its agents last.
	slices.SortStableFunc(a.Rows, func(x, y AgentRow) int {
		return cmp.Or(cmp.Compare(boolInt(y.Agent == "bot"), boolInt(x.Agent == "bot")), slices.Compare(x.Shops, y.Shops),
			cmp.Compare(y.Sales, x.Sales), cmp.Compare(x.Agent, y.Agent))
	})
	for _, r := range shops {
		if s := fString(r, "shop_id"); !slices.Contains(a.Shops, s) {
			a.Shops = append(a.Shops, s)
		}
	}
	return a, nil
}

// ShopText names the shops of the row's agent in l ("" for the bot).
func (r AgentRow) ShopText(l Locale) string {
	names := make([]string, len(r.Shops))
	for i, s := range r.Shops {
		names[i] = l.Display("shop", s)
	}
	return strings.Join(names, l.T("list_sep"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// attributionPartial returns the days of p from the first stored
// consultation on whose orders look back before it
// (metrics.Coverage.AttributionComplete); zero when there are none.
func attributionPartial(p Period, cov metrics.Coverage) Period {
	var out Period
	if cov.ConsultationsFrom.IsZero() {
		return out
	}
	for d := maxTime(p.From, cov.ConsultationsFrom); !d.After(p.To) && !cov.AttributionComplete(d); d = d.AddDate(0, 0, 1) {
		if out.From.IsZero() {
			out.From = d
		}
		out.To = d
	}
	return out
}

// RenderQA writes the QA page as one HTML page.
func RenderQA(w io.Writer, q *QA, o RenderOptions) error {
	p, err := newPage(o, "qa.title", "qa.audience", q.Scope)
	if err != nil {
		return err
	}
	p.L = p.L.withQALimits(q.Scope, q.Shops).with("slow_reply_cap", strconv.Itoa(q.Scope.qaSettings().SlowReplyCap))
	l := p.L
	p.KPIs = []kpi{
		{Label: l.T("qa.consultations"), Value: l.Count(q.Consultations)},
		{Label: l.T("qa.messages"), Value: l.Count(q.Messages)},
		{Label: l.T("qa.coverage"), Value: l.Percent(1)},
		{Label: l.T("qa.violations"), Value: l.Count(q.Violations)},
		{Label: l.T("qa.avg_score"), Value: l.Decimal(q.AvgScore, 1)},
		{Label: l.T("qa.disputed"), Value: l.Count(int64(len(q.Disputed)))},
	}
	var days []string
	var dates []time.Time
	var counts, shares []float64
	for _, d := range q.Daily {
		days, counts = append(days, d.Date.Format("01-02")), append(counts, float64(d.Violations))
		dates, shares = append(dates, d.Date), append(shares, d.ViolationShare())
	}
	bands, promo := promoBands(l, q.Scope.PromotionDays, days, dates)
	if len(promo) > 0 {
		p.PromoNote, p.PromoMark = l.Tf("qa.promo_note", promoDayList(l, promo)), l.T("promo.mark")
	}
	p.add("trend", qaTrendChart(l, days, counts, shares, bands))
	var names []string
	var vals []float64
	for _, r := range q.ByRule {
		names, vals = append(names, l.Name("qarule", r.Key)), append(vals, float64(r.Count))
	}
	p.add("rules", barChart("chart-qa-rules", l.T("qa.by_rule"), names, []barSeries{{Name: l.T("qa.violations"), Values: vals}}, fmtCount, fmtCount, true))
	rows, _ := q.chartRows()
	p.add("responders", qaRespondersChart(l, rows))
	if p.Filters != nil {
		p.Filters.Shops = q.Shops
	}
	p.Data = q
	return p.execute(w, "qa")
}

// qaRespondersChart draws rows (chartRows, ranked; the first ChartAgents
// of them) by their share of consultations with a violation, the table's
// column, each bar labelled with the share and, in brackets, its
// violations; a row with too few consultations to be ranked (Ranked)
// comes after the others, in grey, marked †.
func qaRespondersChart(l Locale, rows []ResponderQA) Chart {
	all := len(rows)
	rows = rows[:min(all, ChartAgents)]
	names := make([]string, len(rows))
	shares := make([]float64, len(rows))
	labels := make([]string, len(rows))
	for i, r := range rows {
		name := l.Name("agent", r.Responder)
		if r.Responder == "unassigned" {
			name = l.T("qa.unassigned_row")
		} else if shops := r.ShopText(l); shops != "" {
			name = withShop(name, shops) // "Tangtang · Select Mall", as the GMV dashboard's agents
		}
		if !r.Ranked() {
			name += " †"
		}
		names[i], shares[i] = name, r.ViolationRate
		labels[i] = l.Tf("qa.chart_bar", l.Percent(r.ViolationRate), l.Count(r.Count))
	}
	c := barChart("chart-qa-responders", l.T("qa.chart_title"), names, []barSeries{{Name: l.T("qa.violation_rate"), Values: shares}}, fmtPct, fmtPct0, true)
	m := withSeries(c.Option, nil)
	// A horizontal chart's data run bottom to top (barChart reverses
	// them): item i is row len-1-i.
	data := m["series"].([]any)[0].(map[string]any)["data"].([]any)
	room := 16
	for i, d := range data {
		r, item := len(rows)-1-i, d.(map[string]any)
		// our own text (a percentage and a count), never a name: a
		// label formatter is a template ECharts reads "{…}" in
		item["label"] = map[string]any{"show": true, "position": "right", "formatter": labels[r], "fontSize": 11, "color": "#1f2733"}
		if !rows[r].Ranked() {
			item["itemStyle"] = map[string]any{"color": "#b8c1cf"}
		}
		room = max(room, textWidth(labels[r])+12)
	}
	// the labels stand right of the bars: the longest bar reaches the
	// axis's end, and its label needs room beyond it
	for _, g := range m["grid"].([]any) {
		g.(map[string]any)["right"] = strconv.Itoa(room)
	}
	c.Option = m
	if len(rows) < all {
		c.Title = l.Tf("qa.chart_title_top", ChartAgents, all)
	}
	return c
}

// RenderAgents writes the agent scoreboard as one HTML page.
func RenderAgents(w io.Writer, a *Agents, o RenderOptions) error {
	p, err := newPage(o, "agents.title", "agents.audience", a.Scope)
	if err != nil {
		return err
	}
	p.L = p.L.withReplySLAs(scopeReplySLAs(a.Scope, a.Shops))
	l := p.L
	var names []string
	var sales []float64
	multi := a.MultiShop()
	var salesNames []string
	for _, r := range a.Rows {
		name := l.Name("agent", r.Agent)
		if multi && len(r.Shops) > 0 {
			name = withShop(name, r.ShopText(l))
		}
		names = append(names, name)
		// The bot sells for every shop, several times any agent: beside
		// its bar the agents' were slivers (¥631k against ¥10k–46k), and
		// this chart is for comparing agents. Its sales stay in the table.
		if r.Agent == "bot" && a.botLeftOut() {
			continue
		}
		salesNames, sales = append(salesNames, name), append(sales, yuan(r.Sales))
	}
	if len(names) > 0 {
		p.add("sales", barChart("chart-agent-sales", l.T("agents.sales"), salesNames, []barSeries{{Name: l.T("agents.sales_gmv"), Values: sales}}, fmtMoney2, fmtMoney, true))
		slowNames, slow := a.slowReplies(names)
		p.add("replies", slowRepliesChart(l, slowNames, slow))
		p.add("conversion", a.conversionChart(l, names))
	}
	if p.Filters != nil {
		p.Filters.Shops = a.Shops
	}
	if promo := promotionDaysIn(a.Scope.PromotionDays, a.Scope.Period); len(promo) > 0 {
		p.PromoNote, p.PromoMark = l.Tf("agents.promo_note", promoDayList(l, promo)), l.T("promo.mark")
	}
	if !a.AttributionPartial.From.IsZero() {
		p.WarmupNote = l.Tf("agents.warmup_note", shortRange(a.AttributionPartial), windowText(l, a.Scope.Coverage.Window),
			a.Scope.Coverage.ConsultationsFrom.Format(time.DateOnly))
	}
	p.Data = a
	return p.execute(w, "agents")
}

// slowRepliesChart draws each agent's share of replies slower than the
// reply SLA on an axis from 0 (a rate axis: 0 %, 1 %, 2 % … on the demo;
// ECharts' own one-decimal labels ran into each other on a phone).
func slowRepliesChart(l Locale, names []string, slow []float64) Chart {
	return barChart("chart-agent-replies", l.T("agents.slow_replies"), names, []barSeries{{Name: l.T("agents.slow_replies"), Values: slow}}, fmtPct, fmtPct, true)
}

// qaTrendChart draws the violations of each day (left axis) with the
// share of the day's consultations that had one (right axis, dashed): a
// day of four times the traffic has about four times the violations, and
// only the share says whether service got worse.
func qaTrendChart(l Locale, days []string, counts, shares []float64, promo []band) Chart {
	c := lineChart("chart-qa-trend", l.T("qa.trend"), days, []lineSeries{
		{Name: l.T("qa.violations"), Values: counts, Bands: promo},
		{Name: l.T("qa.violation_rate"), Values: shares}, // as the table's column
	}, fmtCount, fmtCount)
	m := withSeries(c.Option, nil)
	share := m["series"].([]any)[1].(map[string]any)
	share["yAxisIndex"] = 1
	share["lineStyle"] = map[string]any{"type": "dashed"}
	share["tooltip"] = map[string]any{"valueFormatter": fmtPct}
	axes, _ := m["yAxis"].([]any)
	right := map[string]any{"type": "value", "splitLine": map[string]any{"show": false}}
	rateAxisSteps(chartRateSteps, shares...).set(right)
	m["yAxis"] = append(axes, right)
	c.Option = m
	return c
}
