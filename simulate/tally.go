package simulate

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Money is an exact amount in cents, written in JSON as a decimal string
// with two places ("123.45").
type Money int64

// String formats m as a decimal with two places.
func (m Money) String() string { return string(appendCents(nil, int64(m))) }

// MarshalJSON writes m as a quoted decimal.
func (m Money) MarshalJSON() ([]byte, error) {
	b := append([]byte{'"'}, appendCents(nil, int64(m))...)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a quoted or bare decimal with at most two places.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac := s, ""
	for i := range len(s) {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	if len(frac) > 2 {
		return fmt.Errorf("money %q has more than 2 decimals", b)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("money %q is not a decimal", b)
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	*m = Money(v)
	return nil
}

// TallyPath is where the tally of an output file goes, beside it:
// "traffic.jsonl" → "traffic.tally.json".
func TallyPath(out string) string {
	return strings.TrimSuffix(out, ".jsonl") + ".tally.json"
}

// Tally is the ground truth of a run: what was emitted and the metrics of
// metrics.md computed from the emitted events with default settings
// (timezone Asia/Shanghai, attribution_window 72h, GMV model last_touch,
// attribution_anchor created). Rows are sorted by their keys.
type Tally struct {
	Seed              uint64 `json:"seed"`
	Start             string `json:"start"` // first date
	Days              int    `json:"days"`
	Timezone          string `json:"timezone"`
	AttributionWindow string `json:"attribution_window"`
	GMVModel          string `json:"gmv_model"`
	AttributionAnchor string `json:"attribution_anchor"`

	// Events counts distinct events (event ids); LinesEmitted adds the
	// deliberate duplicates.
	Events            int64            `json:"events"`
	LinesEmitted      int64            `json:"lines_emitted"`
	Duplicates        int64            `json:"duplicates"`
	EventsByType      map[string]int64 `json:"events_by_type"`
	MessagesBySender  map[string]int64 `json:"messages_by_sender"`
	OrderEventsByStat map[string]int64 `json:"order_events_by_status"`
	HandoffsByReason  map[string]int64 `json:"handoffs_by_reason"`
	BotFallbacks      int64            `json:"bot_fallbacks"`
	Ratings           int64            `json:"ratings"`
	// Consultations and the pre-sale ones by responder class.
	Conversations        int64            `json:"conversations"`
	Consultations        int64            `json:"consultations"`
	PreSaleConsultations int64            `json:"pre_sale_consultations"`
	PreSaleByResponder   map[string]int64 `json:"pre_sale_by_responder"`
	Orders               int64            `json:"orders"`
	PaidOrders           int64            `json:"paid_orders"`
	// UnlabelledUndecided counts customer messages without an upstream
	// intent before the conversation's first substantive one; the
	// simulator promises 0, which keeps pre-sale classification exact.
	UnlabelledUndecided int64 `json:"unlabelled_undecided"`
	// DroppedAfterEnd counts generated events past the period, not emitted.
	DroppedAfterEnd int64 `json:"dropped_after_end"`

	Anomalies []PlantedAnomaly `json:"anomalies"`
	// Promotions lists the promotion days per shop (traffic × factor).
	Promotions []PlantedPromotion `json:"promotions"`

	Conversion       []ConversionRow       `json:"conversion"`
	ConversionDetail []ConversionDetailRow `json:"conversion_detail"`
	GMV              []GMVRow              `json:"gmv"`
	GMVByAgent       []AgentGMVRow         `json:"gmv_by_agent"`

	// Experiments is §11's counts per (experiment, variant); the planted
	// truth (true lift, real split) is in PlantedExperiments.
	Experiments        []ExperimentRow `json:"experiments"`
	PlantedExperiments []Experiment    `json:"planted_experiments"`
	// QAViolations are §9's violations when the QA plan is on.
	QAViolations []QAViolationRow `json:"qa_violations,omitempty"`
}

// PlantedAnomaly describes one planted anomaly with its exact subject.
type PlantedAnomaly struct {
	Kind      string `json:"kind"`
	ShopID    string `json:"shop_id"`
	ProductID string `json:"product_id,omitempty"`
	Topic     string `json:"topic,omitempty"`
	Stage     string `json:"stage,omitempty"`
	Date      string `json:"date,omitempty"`
	// DropoffSpike: the Monday-to-Sunday week.
	Week      int    `json:"week,omitempty"`
	WeekStart string `json:"week_start,omitempty"`
	WeekEnd   string `json:"week_end,omitempty"`

	Factor       float64 `json:"factor,omitempty"`
	ExtraAbandon float64 `json:"extra_abandon,omitempty"`
	Rate         float64 `json:"rate,omitempty"`
	// ConversionDrop: the share cut from the order propensity.
	Drop float64 `json:"drop,omitempty"`
	// StartHour: the hour of the day an intraday anomaly starts (0: the
	// whole day).
	StartHour int `json:"start_hour,omitempty"`
	// Promotion is the shop's traffic factor on the anomaly's day (1 on an
	// ordinary day; dropoff spikes leave it 0).
	Promotion float64 `json:"promotion_factor,omitempty"`
	// TopicSurge: the mean daily count of such messages before the day,
	// and the extra messages planted.
	BaselineMean    float64 `json:"baseline_mean,omitempty"`
	PlantedMessages int     `json:"planted_messages,omitempty"`
	// DropoffSpike: consultations cut at the stage with no order.
	TruncatedConsultations int `json:"truncated_consultations,omitempty"`
}

// ConversionRow is metrics.md §1 per (date, shop_id).
type ConversionRow struct {
	Date              string `json:"date"`
	ShopID            string `json:"shop_id"`
	ConsultingBuyers  int64  `json:"consulting_buyers"`
	OrderedBuyers     int64  `json:"ordered_buyers"`
	SameDayPaidBuyers int64  `json:"same_day_paid_buyers"`
	FinalPaidBuyers   int64  `json:"final_paid_buyers"`
	FinalPaidAmount   Money  `json:"final_paid_amount"`
}

// ConversionDetailRow is metrics.md §1 at its stored grain (date, shop_id,
// channel, responder).
type ConversionDetailRow struct {
	ConversionRow
	Channel   string `json:"channel"`
	Responder string `json:"responder"`
}

// GMVRow is metrics.md §2 per (paid date, shop_id, bucket).
type GMVRow struct {
	Date     string `json:"date"`
	ShopID   string `json:"shop_id"`
	Bucket   string `json:"bucket"` // bot, human, unattributed
	Orders   int64  `json:"orders"`
	GMV      Money  `json:"gmv"`
	Refunded Money  `json:"refunded"`
}

// AgentGMVRow splits the human bucket by agent (客服销售额): the agent_id
// of the last agent message of the credited consultation strictly before
// the anchor; "" when no agent had spoken by then.
type AgentGMVRow struct {
	Date    string `json:"date"`
	ShopID  string `json:"shop_id"`
	AgentID string `json:"agent_id"`
	Orders  int64  `json:"orders"`
	GMV     Money  `json:"gmv"`
}

// Responder classes.
const (
	classBotOnly    = "bot_only"
	classBotToHuman = "bot_to_human"
	classHumanOnly  = "human_only"
	classUnanswered = "unanswered"
)

// tallier computes the Tally from the emitted events only, the way the
// metric SQL sees them, not from what the generator meant to do.
type tallier struct {
	cfg      Config
	startMs  int64
	windowMs int64

	t          Tally
	duplicates int64

	buyers    map[string]int32
	buyerShop []string
	open      map[string]*convSum
	convSeq   int64
	consults  []consult
	orders    map[string]*orderSum
	orderList []*orderSum
}

type convSum struct {
	seq          int64
	last         int64 // latest event
	buyer        int32
	start        int64 // first customer message; -1 none yet
	channel      string
	firstChannel string
	bot, agent   bool
	agentMsgs    []agentMsg
	handoff      bool
	orderRef     bool
	decided      bool
	preSale      bool // of the first substantive intent
	tags         []expTag
	id           string
	qa           []qaEvent
}

type agentMsg struct {
	ts    int64
	agent string
}

type consult struct {
	tags    []expTag
	agents  []agentMsg
	seq     int64
	buyer   int32
	start   int64
	class   string
	channel string
	preSale bool
}

type orderSum struct {
	id         string
	buyer      int32
	created    int64 // earliest created event; -1 none
	paid       int64 // earliest paid event; -1 none
	paidAmount int64
	refunded   int64
}

func newTallier(cfg Config) *tallier {
	return &tallier{
		cfg:      cfg,
		startMs:  cfg.Start.UnixMilli(),
		windowMs: 72 * msHour,
		t: Tally{
			EventsByType: map[string]int64{}, MessagesBySender: map[string]int64{}, OrderEventsByStat: map[string]int64{},
			HandoffsByReason: map[string]int64{}, PreSaleByResponder: map[string]int64{},
		},
		buyers: map[string]int32{},
		open:   map[string]*convSum{},
		orders: map[string]*orderSum{},
	}
}

func (tl *tallier) buyer(shop, customer string) int32 {
	k := shop + "\x00" + customer
	if b, ok := tl.buyers[k]; ok {
		return b
	}
	b := int32(len(tl.buyerShop))
	tl.buyers[k] = b
	tl.buyerShop = append(tl.buyerShop, shop)
	return b
}

var preSaleIntents = map[string]bool{
	intentProductInfo: true, intentSizeFit: true, intentStock: true, intentPricePromo: true,
	intentShippingFee: true, intentDelivery: true, intentPayment: true,
}

// observe counts one distinct event (duplicates are not passed here).
func (tl *tallier) observe(e *event, id string) {
	tl.t.Events++
	tl.t.EventsByType[typeNames[e.typ]]++
	if e.typ == evOrder {
		tl.observeOrder(e)
		return
	}
	cs := tl.open[e.conv]
	if cs == nil {
		tl.convSeq++
		cs = &convSum{seq: tl.convSeq, buyer: tl.buyer(e.shop, e.customer), start: -1, id: e.conv}
		tl.open[e.conv] = cs
		tl.t.Conversations++
	}
	cs.last = max(cs.last, e.ts)
	cs.observeExperiment(e)
	if cs.firstChannel == "" && e.channel != "" {
		cs.firstChannel = e.channel
	}
	tl.observeQA(cs, e, id)
	switch e.typ {
	case evMessage:
		tl.t.MessagesBySender[e.sender]++
		if e.orderID != "" {
			cs.orderRef = true
		}
		switch e.sender {
		case "customer":
			if cs.start < 0 || e.ts < cs.start {
				cs.start = e.ts
				cs.channel = e.channel
			}
			if !cs.decided {
				switch {
				case e.intent == "":
					tl.t.UnlabelledUndecided++
				case substantive(e.intent):
					cs.decided = true
					cs.preSale = preSaleIntents[e.intent]
				}
			}
		case "bot":
			cs.bot = true
			if e.fallback {
				tl.t.BotFallbacks++
			}
		case "agent":
			cs.agent = true
			cs.agentMsgs = append(cs.agentMsgs, agentMsg{e.ts, e.agent})
		}
	case evHandoff:
		cs.handoff = true
		tl.t.HandoffsByReason[e.reason]++
	case evRating:
		tl.t.Ratings++
	}
}

func (tl *tallier) observeOrder(e *event) {
	tl.t.OrderEventsByStat[e.status]++
	o := tl.orders[e.orderID]
	if o == nil {
		o = &orderSum{id: e.orderID, buyer: tl.buyer(e.shop, e.customer), created: -1, paid: -1}
		tl.orders[e.orderID] = o
		tl.orderList = append(tl.orderList, o)
	}
	switch e.status {
	case "created":
		if o.created < 0 || e.ts < o.created {
			o.created = e.ts
		}
	case "paid":
		if o.paid < 0 || e.ts < o.paid {
			o.paid = e.ts
			o.paidAmount = e.amount
		}
	case "refunded":
		o.refunded += e.amount
	}
}

// sweep closes the conversations quiet since before cutoff, so that open
// state stays bounded on long runs. The generator's conversations last
// minutes, so a conversation quiet for half a day is over.
func (tl *tallier) sweep(cutoff int64) {
	for id, cs := range tl.open {
		if cs.last < cutoff {
			tl.close(cs)
			delete(tl.open, id)
		}
	}
}

// close turns an open conversation into a consultation record.
func (tl *tallier) close(cs *convSum) {
	if cs.start < 0 {
		return
	}
	if tl.cfg.QA.Enabled {
		tl.qaViolations(cs, tl.buyerShop[cs.buyer], cs.id)
	}
	class := classUnanswered
	switch {
	case cs.bot && (cs.agent || cs.handoff):
		class = classBotToHuman
	case cs.bot:
		class = classBotOnly
	case cs.agent:
		class = classHumanOnly
	}
	ch := cs.channel
	if ch == "" {
		ch = cs.firstChannel
	}
	c := consult{tags: cs.tags, agents: cs.agentMsgs, seq: cs.seq, buyer: cs.buyer, start: cs.start, class: class, channel: ch,
		preSale: !cs.orderRef && (!cs.decided || cs.preSale)}
	tl.consults = append(tl.consults, c)
	tl.t.Consultations++
	if c.preSale {
		tl.t.PreSaleConsultations++
		tl.t.PreSaleByResponder[class]++
	}
}

func (tl *tallier) date(ms int64) string {
	d := (ms - tl.startMs) / msDay
	if ms < tl.startMs {
		d = -((tl.startMs - ms + msDay - 1) / msDay)
	}
	return tl.cfg.dayStart(int(d)).Format("2006-01-02")
}

// dayEnd is the next local midnight after ms.
func (tl *tallier) dayEnd(ms int64) int64 {
	off := (ms - tl.startMs) % msDay
	if off < 0 {
		off += msDay
	}
	return ms - off + msDay
}

func (tl *tallier) result() *Tally {
	for _, cs := range tl.open {
		tl.close(cs)
	}
	tl.open = nil
	t := &tl.t
	t.Seed = tl.cfg.Seed
	t.Start = tl.cfg.Start.In(Shanghai).Format("2006-01-02")
	t.Days = tl.cfg.Days
	t.Timezone = "Asia/Shanghai"
	t.AttributionWindow = (time.Duration(tl.windowMs) * time.Millisecond).String()
	t.GMVModel = "last_touch"
	t.AttributionAnchor = "created"
	t.Duplicates = tl.duplicates
	t.LinesEmitted = t.Events + tl.duplicates
	t.Orders = int64(len(tl.orderList))

	slices.SortFunc(tl.consults, func(a, b consult) int {
		return cmp.Or(cmp.Compare(a.buyer, b.buyer), cmp.Compare(a.start, b.start), cmp.Compare(a.seq, b.seq))
	})
	byBuyer := map[int32][]*orderSum{}
	for _, o := range tl.orderList {
		byBuyer[o.buyer] = append(byBuyer[o.buyer], o)
		if o.paid >= 0 {
			t.PaidOrders++
		}
	}
	t.Anomalies = []PlantedAnomaly{}
	t.Promotions = []PlantedPromotion{}
	t.Conversion, t.ConversionDetail = []ConversionRow{}, []ConversionDetailRow{}
	t.GMV, t.GMVByAgent = []GMVRow{}, []AgentGMVRow{}
	tl.conversion(byBuyer)
	tl.gmv()
	tl.experiments(byBuyer)
	slices.SortFunc(t.QAViolations, func(a, b QAViolationRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ShopID, b.ShopID), cmp.Compare(a.ConversationID, b.ConversationID),
			cmp.Compare(a.EventID, b.EventID), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Category, b.Category))
	})
	return t
}

// conversion implements metrics.md §1.
func (tl *tallier) conversion(byBuyer map[int32][]*orderSum) {
	type key struct{ date, shop, channel, responder string }
	rows := map[key]*ConversionDetailRow{}
	cs := tl.consults
	for i := 0; i < len(cs); {
		j := i
		for j < len(cs) && cs[j].buyer == cs[i].buyer {
			j++
		}
		lastDate := ""
		for _, c := range cs[i:j] {
			if !c.preSale {
				continue
			}
			d := tl.date(c.start)
			if d == lastDate {
				continue // the anchor is the first pre-sale consultation of the day
			}
			lastDate = d
			t0, dayEnd := c.start, tl.dayEnd(c.start)
			k := key{d, tl.buyerShop[c.buyer], c.channel, c.class}
			r := rows[k]
			if r == nil {
				r = &ConversionDetailRow{ConversionRow: ConversionRow{Date: d, ShopID: k.shop}, Channel: k.channel, Responder: k.responder}
				rows[k] = r
			}
			r.ConsultingBuyers++
			var ordered, sameDay, final bool
			for _, o := range byBuyer[c.buyer] {
				created := o.created
				if created < 0 {
					created = o.paid
				}
				if created >= 0 && created >= t0 && created <= t0+tl.windowMs {
					ordered = true
				}
				if o.paid >= t0 && o.paid >= 0 {
					if o.paid < dayEnd {
						sameDay = true
					}
					if o.paid <= t0+tl.windowMs {
						final = true
						r.FinalPaidAmount += Money(o.paidAmount)
					}
				}
			}
			if ordered {
				r.OrderedBuyers++
			}
			if sameDay {
				r.SameDayPaidBuyers++
			}
			if final {
				r.FinalPaidBuyers++
			}
		}
		i = j
	}
	type dkey struct{ date, shop string }
	roll := map[dkey]*ConversionRow{}
	for _, r := range rows {
		tl.t.ConversionDetail = append(tl.t.ConversionDetail, *r)
		k := dkey{r.Date, r.ShopID}
		a := roll[k]
		if a == nil {
			a = &ConversionRow{Date: r.Date, ShopID: r.ShopID}
			roll[k] = a
		}
		a.ConsultingBuyers += r.ConsultingBuyers
		a.OrderedBuyers += r.OrderedBuyers
		a.SameDayPaidBuyers += r.SameDayPaidBuyers
		a.FinalPaidBuyers += r.FinalPaidBuyers
		a.FinalPaidAmount += r.FinalPaidAmount
	}
	for _, a := range roll {
		tl.t.Conversion = append(tl.t.Conversion, *a)
	}
	slices.SortFunc(tl.t.Conversion, func(a, b ConversionRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ShopID, b.ShopID))
	})
	slices.SortFunc(tl.t.ConversionDetail, func(a, b ConversionDetailRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ShopID, b.ShopID), cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Responder, b.Responder))
	})
}

// gmv implements metrics.md §2 with last_touch and the created anchor.
func (tl *tallier) gmv() {
	// Index of each buyer's first consultation in the sorted list.
	first := map[int32]int{}
	for i := len(tl.consults) - 1; i >= 0; i-- {
		first[tl.consults[i].buyer] = i
	}
	type key struct{ date, shop, bucket string }
	rows := map[key]*GMVRow{}
	agentRows := map[key]*AgentGMVRow{}
	for _, o := range tl.orderList {
		if o.paid < 0 {
			continue
		}
		anchor := o.paid
		if o.created >= 0 {
			anchor = o.created
		}
		bucket := "unattributed"
		if i, ok := first[o.buyer]; ok {
			var best *consult
			for ; i < len(tl.consults) && tl.consults[i].buyer == o.buyer; i++ {
				c := &tl.consults[i]
				if c.start > anchor {
					break
				}
				if c.preSale && c.class != classUnanswered && c.start >= anchor-tl.windowMs {
					best = c // sorted by start: the last one wins
				}
			}
			if best != nil {
				bucket = "human"
				if best.class == classBotOnly {
					bucket = "bot"
				}
			}
			if bucket == "human" {
				agent := ""
				for _, m := range best.agents {
					if m.ts < anchor {
						agent = m.agent
					}
				}
				k := key{tl.date(o.paid), tl.buyerShop[o.buyer], agent}
				r := agentRows[k]
				if r == nil {
					r = &AgentGMVRow{Date: k.date, ShopID: k.shop, AgentID: agent}
					agentRows[k] = r
				}
				r.Orders++
				r.GMV += Money(o.paidAmount)
			}
		}
		k := key{tl.date(o.paid), tl.buyerShop[o.buyer], bucket}
		r := rows[k]
		if r == nil {
			r = &GMVRow{Date: k.date, ShopID: k.shop, Bucket: bucket}
			rows[k] = r
		}
		r.Orders++
		r.GMV += Money(o.paidAmount)
		r.Refunded += Money(o.refunded)
	}
	for _, r := range rows {
		tl.t.GMV = append(tl.t.GMV, *r)
	}
	slices.SortFunc(tl.t.GMV, func(a, b GMVRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ShopID, b.ShopID), cmp.Compare(a.Bucket, b.Bucket))
	})
	for _, r := range agentRows {
		tl.t.GMVByAgent = append(tl.t.GMVByAgent, *r)
	}
	slices.SortFunc(tl.t.GMVByAgent, func(a, b AgentGMVRow) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.ShopID, b.ShopID), cmp.Compare(a.AgentID, b.AgentID))
	})
}
