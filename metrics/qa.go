package metrics

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse"
)

// qaJob is §9: qa_inspect.sql finds the order-dependent violations per
// consultation in ClickHouse; Go adds the forbidden phrases (NFKC matching
// needs Go: ClickHouse 18.16 has no Unicode normalisation), scores each
// consultation and writes the violation rows and the per-responder
// aggregates. It runs after the summary (its consultations are the
// summary's) and before agents, which copies its columns.
var qaJob = job{name: "qa", table: "metric_qa"}

// qaInspectParams are what qa_inspect.sql sees; per-shop values are bound.
type qaInspectParams struct {
	TZ           string
	W            int64
	FromMs, ToMs int64
	LoSec, HiSec int64
	TakeoverMs   int64
}

// qaViolation is one stored violation row. intent is the intent a
// missed takeover's buyer asked a third time (repeated_question).
type qaViolation struct {
	rule, category, detail, intent, phrase, event, responder, evidence string
	ts, delay                                                          int64
	weight                                                             int
}

// qaAgg is one (date, shop_id, responder) row of metric_qa.
type qaAgg struct {
	consultations, messages, violations, violating, scoreSum uint64
	rules                                                    [5]uint64
	categories                                               [4]uint64
	replyMs, firstMs                                         []uint32
	repliesInSLA                                             uint64
	ratings, good                                            uint64
}

type qaKey struct {
	date            time.Time
	shop, responder string
}

// runQA replaces qa_violations and metric_qa for the days first..last
// (local midnights) and returns the metric_qa rows written.
func runQA(ctx context.Context, conn warehouse.Conn, s Settings, first, last time.Time) (uint64, error) {
	rules, err := newQARules(s.QA)
	if err != nil {
		return 0, err
	}
	next := last.AddDate(0, 0, 1)
	w := s.AttributionWindow.Milliseconds()
	stmt, err := render("qa_inspect", qaInspectParams{
		TZ: s.Timezone, W: w, FromMs: first.UnixMilli(), ToMs: next.UnixMilli(),
		LoSec: (first.UnixMilli() - w) / 1000, HiSec: (next.UnixMilli()+w)/1000 + 1,
		TakeoverMs: s.QA.TakeoverWithin.Milliseconds(),
	})
	if err != nil {
		return 0, err
	}
	shops := []string{""}
	open, closing := []int64{rules.shared.hours.open}, []int64{rules.shared.hours.close}
	reply, firstResp := []int64{rules.shared.replySLA}, []int64{rules.shared.firstResponseSLA}
	for id, r := range rules.shops {
		shops = append(shops, id)
		open, closing = append(open, r.hours.open), append(closing, r.hours.close)
		reply, firstResp = append(reply, r.replySLA), append(firstResp, r.firstResponseSLA)
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		for _, table := range []string{"qa_violations", "metric_qa"} {
			if err := dropDay(ctx, conn, table, d); err != nil {
				return 0, err
			}
		}
	}
	rows, err := conn.Query(ctx, stmt, open, shops, closing, shops, reply, shops, firstResp, shops)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	vw := newViolationWriter(ctx, conn)
	aggs := map[qaKey]*qaAgg{}
	var c inspected
	for rows.Next() {
		if err := rows.Scan(&c.date, &c.shop, &c.customer, &c.conversation, &c.startMs,
			&c.msgIDs, &c.msgTs, &c.msgResp, &c.msgText,
			&c.vRule, &c.vEvent, &c.vTs, &c.vResp, &c.vDetail, &c.vDelay, &c.vText, &c.vIntent,
			&c.replyResp, &c.replyMs, &c.firstResp, &c.firstMs, &c.lastResp, &c.ratings); err != nil {
			return 0, err
		}
		viols := c.violations(rules)
		c.aggregate(rules, viols, aggs)
		if err := vw.add(&c, viols); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if err := vw.flush(); err != nil {
		return 0, err
	}
	return uint64(len(aggs)), storeQA(ctx, conn, aggs)
}

// inspected is one consultation as qa_inspect.sql returns it.
type inspected struct {
	date                                 time.Time
	shop, customer, conversation         string
	startMs                              int64
	msgIDs, msgResp, msgText             []string
	msgTs                                []int64
	vRule, vEvent, vResp, vDetail, vText []string
	vIntent                              []string
	vTs, vDelay                          []int64
	replyResp, firstResp                 []string
	replyMs, firstMs                     []uint32
	lastResp                             string
	ratings                              []uint8
}

var ruleIndex = map[string]int{"forbidden_phrase": 0, "slow_reply": 1, "slow_first_response": 2, "missed_takeover": 3, "left_unanswered": 4}

// violations returns the consultation's violations: forbidden phrases,
// one per message and category, then the rules qa_inspect.sql found.
func (c *inspected) violations(r *qaRules) []qaViolation {
	sr := r.forShop(c.shop)
	var out []qaViolation
	var hits []phraseHit
	for i, text := range c.msgText {
		hits = sr.matcher.match(text, hits[:0])
		for _, h := range hits {
			out = append(out, qaViolation{rule: "forbidden_phrase", category: PhraseCategories[h.category], phrase: h.phrase,
				event: c.msgIDs[i], responder: c.msgResp[i], evidence: nlp.Mask(text), ts: c.msgTs[i], weight: r.weights[h.category]})
		}
	}
	wt := r.q.Weights
	weights := [5]int{0, wt.SlowReply, wt.SlowFirstResponse, wt.MissedTakeover, wt.LeftUnanswered}
	for i, rule := range c.vRule {
		out = append(out, qaViolation{rule: rule, detail: c.vDetail[i], intent: c.vIntent[i], event: c.vEvent[i], responder: c.vResp[i],
			evidence: nlp.Mask(c.vText[i]), ts: c.vTs[i], delay: c.vDelay[i], weight: weights[ruleIndex[rule]]})
	}
	return out
}

// score is qa_score: 100 minus the weights, slow replies together at most
// SlowReplyCap, floored at 0.
func score(r *qaRules, viols []qaViolation) int {
	lost, slow := 0, 0
	for _, v := range viols {
		if v.rule == "slow_reply" {
			slow += v.weight
		} else {
			lost += v.weight
		}
	}
	lost += min(slow, r.q.SlowReplyCap)
	return max(0, 100-lost)
}

// aggregate adds the consultation to the rows of every responder who
// sent a message in it (or unassigned when nobody did).
func (c *inspected) aggregate(r *qaRules, viols []qaViolation, aggs map[qaKey]*qaAgg) {
	sc := uint64(score(r, viols))
	get := func(resp string) *qaAgg {
		k := qaKey{c.date, c.shop, resp}
		a := aggs[k]
		if a == nil {
			a = &qaAgg{}
			aggs[k] = a
		}
		return a
	}
	var parts []string
	msgs := map[string]uint64{}
	for _, resp := range c.msgResp {
		if msgs[resp] == 0 {
			parts = append(parts, resp)
		}
		msgs[resp]++
	}
	if len(parts) == 0 {
		parts = []string{"unassigned"}
	}
	for _, p := range parts {
		a := get(p)
		a.consultations++
		a.messages += msgs[p]
		a.scoreSum += sc
		own := 0
		for _, v := range viols {
			if v.responder != p {
				continue
			}
			own++
			a.violations++
			a.rules[ruleIndex[v.rule]]++
			if v.rule == "forbidden_phrase" {
				for ci, cat := range PhraseCategories {
					if cat == v.category {
						a.categories[ci]++
					}
				}
			}
		}
		if own > 0 {
			a.violating++
		}
	}
	sla := r.forShop(c.shop).replySLA
	for i, resp := range c.replyResp {
		a := get(resp)
		a.replyMs = append(a.replyMs, c.replyMs[i])
		if int64(c.replyMs[i]) <= sla {
			a.repliesInSLA++
		}
	}
	for i, resp := range c.firstResp {
		a := get(resp)
		a.firstMs = append(a.firstMs, c.firstMs[i])
	}
	if c.lastResp != "unassigned" && len(c.ratings) > 0 {
		a := get(c.lastResp)
		for _, s := range c.ratings {
			a.ratings++
			if s >= 4 {
				a.good++
			}
		}
	}
}

// ViolationID identifies a violation across recomputations: a dispute is
// stored under it.
func ViolationID(shop, conversation, event, rule, category string) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s", shop, conversation, event, rule, category)
	return fmt.Sprintf("%016x", h.Sum64())
}

// violationWriter inserts violation rows in batches.
type violationWriter struct {
	ctx  context.Context
	conn warehouse.Conn
	rows []violationRow
}

type violationRow struct {
	date                         time.Time
	shop, customer, conversation string
	v                            qaViolation
}

func newViolationWriter(ctx context.Context, conn warehouse.Conn) *violationWriter {
	return &violationWriter{ctx: ctx, conn: conn}
}

func (w *violationWriter) add(c *inspected, viols []qaViolation) error {
	for _, v := range viols {
		w.rows = append(w.rows, violationRow{c.date, c.shop, c.customer, c.conversation, v})
	}
	if len(w.rows) >= 50000 {
		return w.flush()
	}
	return nil
}

// flush inserts the buffered rows.
func (w *violationWriter) flush() error {
	if len(w.rows) == 0 {
		return nil
	}
	err := insertFile(w.ctx, w.conn, "qa_violations_insert", func(b driver.Batch) error {
		for _, r := range w.rows {
			v := r.v
			if err := b.Append(r.date, r.shop, r.customer, r.conversation, v.event, v.ts, v.responder, v.rule, v.category,
				v.detail, v.intent, v.phrase, v.delay, uint16(v.weight), v.evidence,
				ViolationID(r.shop, r.conversation, v.event, v.rule, v.category)); err != nil {
				return err
			}
		}
		return nil
	})
	w.rows = w.rows[:0]
	return err
}

func storeQA(ctx context.Context, conn warehouse.Conn, aggs map[qaKey]*qaAgg) error {
	if len(aggs) == 0 {
		return nil
	}
	return insertFile(ctx, conn, "metric_qa_insert", func(b driver.Batch) error {
		for k, a := range aggs {
			rm, fm := a.replyMs, a.firstMs
			if rm == nil {
				rm = []uint32{}
			}
			if fm == nil {
				fm = []uint32{}
			}
			if err := b.Append(k.date, k.shop, k.responder, a.consultations, a.messages, a.violations, a.violating, a.scoreSum,
				a.rules[0], a.rules[1], a.rules[2], a.rules[3], a.rules[4],
				a.categories[0], a.categories[1], a.categories[2], a.categories[3], a.repliesInSLA, rm, fm, a.ratings, a.good); err != nil {
				return err
			}
		}
		return nil
	})
}
