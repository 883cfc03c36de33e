package ingest

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Rows holds one batch of decoded events as columns, one set per table,
// so the writer appends whole columns instead of row by row.
type Rows struct {
	Messages      messageCols
	Conversations conversationCols
	Handoffs      handoffCols
	Ratings       ratingCols
	Orders        orderCols
	DeadLetters   deadLetterCols
	// arena backs the decoded strings of the batch (see strArena).
	arena strArena
}

// Len returns the number of good events held.
func (r *Rows) Len() int {
	return len(r.Messages.eventID) + len(r.Conversations.eventID) + len(r.Handoffs.eventID) +
		len(r.Ratings.eventID) + len(r.Orders.eventID)
}

// Reset empties r, keeping its capacity.
func (r *Rows) Reset() {
	r.Messages.reset()
	r.Conversations.reset()
	r.Handoffs.reset()
	r.Ratings.reset()
	r.Orders.reset()
	r.DeadLetters.reset()
	r.arena.reset()
}

// envelope is the columns every event table has. DateTime columns are
// held as epoch seconds: []time.Time carries a pointer per row for the
// garbage collector to scan.
type envelope struct {
	eventID, shopID, customerID, channel, extra []string
	ts                                          []int64 // seconds
	tsMs                                        []int64
	ingestedAt                                  []int64 // seconds
}

func (c *envelope) add(e *Event, now time.Time) {
	c.eventID = append(c.eventID, e.EventID)
	c.ts = append(c.ts, floorDiv(e.TsMs, 1000))
	c.tsMs = append(c.tsMs, e.TsMs)
	c.shopID = append(c.shopID, e.ShopID)
	c.customerID = append(c.customerID, e.CustomerID)
	c.channel = append(c.channel, e.Channel)
	c.extra = append(c.extra, e.Extra)
	c.ingestedAt = append(c.ingestedAt, now.Unix())
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func (c *envelope) reset() {
	c.eventID, c.shopID, c.customerID, c.channel, c.extra = c.eventID[:0], c.shopID[:0], c.customerID[:0], c.channel[:0], c.extra[:0]
	c.ts, c.tsMs, c.ingestedAt = c.ts[:0], c.tsMs[:0], c.ingestedAt[:0]
}

type messageCols struct {
	envelope
	conversationID, messageID, sender, agentID, text, productID, orderID []string
	intent, intentSource, sentimentLabel, signature                      []string
	experiment, variant                                                  []string
	nlpModel                                                             []string
	intentConfidence, sentimentScore                                     []float32
	botFallback                                                          []uint8
	topics                                                               [][]string
}

func (c *messageCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID = append(c.conversationID, e.ConversationID)
	c.messageID = append(c.messageID, e.MessageID)
	c.sender = append(c.sender, e.Sender)
	c.agentID = append(c.agentID, e.AgentID)
	c.text = append(c.text, e.Text)
	c.productID = append(c.productID, e.ProductID)
	c.orderID = append(c.orderID, e.OrderID)
	c.intent = append(c.intent, e.Intent)
	c.intentSource = append(c.intentSource, e.Enrichment.IntentSource)
	c.intentConfidence = append(c.intentConfidence, e.IntentConfidence)
	var fb uint8
	if e.BotFallback {
		fb = 1
	}
	c.botFallback = append(c.botFallback, fb)
	topics := e.Enrichment.Topics
	if topics == nil {
		topics = []string{}
	}
	c.topics = append(c.topics, topics)
	c.sentimentScore = append(c.sentimentScore, e.Enrichment.SentimentScore)
	c.sentimentLabel = append(c.sentimentLabel, e.Enrichment.SentimentLabel)
	c.signature = append(c.signature, e.Enrichment.Signature)
	c.experiment = append(c.experiment, e.Experiment)
	c.variant = append(c.variant, e.Variant)
	c.nlpModel = append(c.nlpModel, e.Enrichment.Model)
}

// reserve makes room for n messages in every column, so a batch appends
// without regrowing: growing a fresh Rows by doubling, in every column,
// copied and faulted in its columns again and again in a run's first
// batches (6 % of ingest CPU over a million events). Messages are most
// of the events; the other tables grow as they need.
func (c *messageCols) reserve(n int) {
	if cap(c.eventID) >= n {
		return
	}
	for _, col := range []*[]string{&c.eventID, &c.shopID, &c.customerID, &c.channel, &c.extra,
		&c.conversationID, &c.messageID, &c.sender, &c.agentID, &c.text, &c.productID, &c.orderID,
		&c.intent, &c.intentSource, &c.sentimentLabel, &c.signature, &c.experiment, &c.variant, &c.nlpModel} {
		*col = slices.Grow(*col, n-len(*col))
	}
	c.ts, c.tsMs, c.ingestedAt = slices.Grow(c.ts, n-len(c.ts)), slices.Grow(c.tsMs, n-len(c.tsMs)), slices.Grow(c.ingestedAt, n-len(c.ingestedAt))
	c.intentConfidence, c.sentimentScore = slices.Grow(c.intentConfidence, n-len(c.intentConfidence)), slices.Grow(c.sentimentScore, n-len(c.sentimentScore))
	c.botFallback, c.topics = slices.Grow(c.botFallback, n-len(c.botFallback)), slices.Grow(c.topics, n-len(c.topics))
}

func (c *messageCols) reset() {
	c.envelope.reset()
	c.conversationID, c.messageID, c.sender, c.agentID, c.text, c.productID, c.orderID = c.conversationID[:0], c.messageID[:0], c.sender[:0], c.agentID[:0], c.text[:0], c.productID[:0], c.orderID[:0]
	c.intent, c.intentSource, c.sentimentLabel, c.signature = c.intent[:0], c.intentSource[:0], c.sentimentLabel[:0], c.signature[:0]
	c.nlpModel = c.nlpModel[:0]
	c.intentConfidence, c.sentimentScore, c.botFallback, c.topics = c.intentConfidence[:0], c.sentimentScore[:0], c.botFallback[:0], c.topics[:0]
	c.experiment, c.variant = c.experiment[:0], c.variant[:0]
}

type conversationCols struct {
	envelope
	typ, conversationID, productID []string
	experiment, variant            []string
	resolved                       []int8
}

func (c *conversationCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.typ = append(c.typ, e.Type)
	c.conversationID = append(c.conversationID, e.ConversationID)
	c.productID = append(c.productID, e.ProductID)
	c.resolved = append(c.resolved, e.Resolved)
	c.experiment = append(c.experiment, e.Experiment)
	c.variant = append(c.variant, e.Variant)
}

func (c *conversationCols) reset() {
	c.envelope.reset()
	c.typ, c.conversationID, c.productID, c.resolved = c.typ[:0], c.conversationID[:0], c.productID[:0], c.resolved[:0]
	c.experiment, c.variant = c.experiment[:0], c.variant[:0]
}

type handoffCols struct {
	envelope
	conversationID, reason, agentID []string
}

func (c *handoffCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID = append(c.conversationID, e.ConversationID)
	c.reason = append(c.reason, e.Reason)
	c.agentID = append(c.agentID, e.AgentID)
}

func (c *handoffCols) reset() {
	c.envelope.reset()
	c.conversationID, c.reason, c.agentID = c.conversationID[:0], c.reason[:0], c.agentID[:0]
}

type ratingCols struct {
	envelope
	conversationID []string
	score          []uint8
}

func (c *ratingCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID = append(c.conversationID, e.ConversationID)
	c.score = append(c.score, e.Score)
}

func (c *ratingCols) reset() {
	c.envelope.reset()
	c.conversationID, c.score = c.conversationID[:0], c.score[:0]
}

type orderCols struct {
	envelope
	orderID, status, currency []string
	amount                    []decimal.Decimal
	itemProductIDs, itemSKUs  [][]string
	itemQtys                  [][]uint32
	itemPrices                [][]decimal.Decimal
}

func (c *orderCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.orderID = append(c.orderID, e.OrderID)
	c.status = append(c.status, e.Status)
	c.currency = append(c.currency, e.Currency)
	c.amount = append(c.amount, decimal.New(e.AmountCents, -2))
	pids := make([]string, len(e.Items))
	skus := make([]string, len(e.Items))
	qtys := make([]uint32, len(e.Items))
	prices := make([]decimal.Decimal, len(e.Items))
	for i, it := range e.Items {
		pids[i], skus[i], qtys[i], prices[i] = it.ProductID, it.SKU, it.Qty, decimal.New(it.PriceCents, -2)
	}
	c.itemProductIDs = append(c.itemProductIDs, pids)
	c.itemSKUs = append(c.itemSKUs, skus)
	c.itemQtys = append(c.itemQtys, qtys)
	c.itemPrices = append(c.itemPrices, prices)
}

func (c *orderCols) reset() {
	c.envelope.reset()
	c.orderID, c.status, c.currency, c.amount = c.orderID[:0], c.status[:0], c.currency[:0], c.amount[:0]
	c.itemProductIDs, c.itemSKUs, c.itemQtys, c.itemPrices = c.itemProductIDs[:0], c.itemSKUs[:0], c.itemQtys[:0], c.itemPrices[:0]
}

// MaxDeadLetterRaw caps the raw bytes kept for one dead letter; the rest of
// an oversized event is cut (its length is in the detail).
const MaxDeadLetterRaw = 64 << 10

type deadLetterCols struct {
	receivedAt                                     []int64
	source, location, reason, detail, eventID, raw []string
}

// DeadLetter is one rejected input with why.
type DeadLetter struct {
	Source, Location, Reason, Detail, EventID string
	Raw                                       []byte
}

func (c *deadLetterCols) add(d DeadLetter, now time.Time) {
	raw := d.Raw
	if len(raw) > MaxDeadLetterRaw {
		raw = raw[:MaxDeadLetterRaw]
	}
	c.receivedAt = append(c.receivedAt, now.Unix())
	c.source = append(c.source, d.Source)
	c.location = append(c.location, d.Location)
	c.reason = append(c.reason, d.Reason)
	c.detail = append(c.detail, d.Detail)
	c.eventID = append(c.eventID, d.EventID)
	c.raw = append(c.raw, string(raw))
}

func (c *deadLetterCols) reset() {
	c.receivedAt = c.receivedAt[:0]
	c.source, c.location, c.reason, c.detail, c.eventID, c.raw = c.source[:0], c.location[:0], c.reason[:0], c.detail[:0], c.eventID[:0], c.raw[:0]
}

// Add appends a decoded event to its table's columns.
func (r *Rows) Add(e *Event, now time.Time) {
	switch e.Type {
	case TypeMessage:
		r.Messages.add(e, now)
	case TypeConversationStarted, TypeConversationEnded:
		r.Conversations.add(e, now)
	case TypeHandoff:
		r.Handoffs.add(e, now)
	case TypeRating:
		r.Ratings.add(e, now)
	case TypeOrder:
		r.Orders.add(e, now)
	}
}

// AddDeadLetter appends a rejected input.
func (r *Rows) AddDeadLetter(d DeadLetter, now time.Time) { r.DeadLetters.add(d, now) }

// table is one INSERT: its statement and its columns in statement order.
type table struct {
	name    string
	insert  string
	columns []any
	rows    int
}

func (r *Rows) tables() []table {
	m, c, h, ra, o, d := &r.Messages, &r.Conversations, &r.Handoffs, &r.Ratings, &r.Orders, &r.DeadLetters
	return []table{
		{"messages", "INSERT INTO messages (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, message_id, sender, agent_id, text, product_id, order_id, intent, intent_source, intent_confidence, bot_fallback, topics, sentiment_score, sentiment_label, signature, nlp_model, extra, experiment, variant, ingested_at)",
			[]any{m.eventID, m.ts, m.tsMs, m.shopID, m.customerID, m.channel, m.conversationID, m.messageID, m.sender, m.agentID, m.text, m.productID, m.orderID, m.intent, m.intentSource, m.intentConfidence, m.botFallback, m.topics, m.sentimentScore, m.sentimentLabel, m.signature, m.nlpModel, m.extra, m.experiment, m.variant, m.ingestedAt}, len(m.eventID)},
		{"conversations", "INSERT INTO conversations (event_id, ts, ts_ms, shop_id, customer_id, channel, type, conversation_id, product_id, resolved, extra, experiment, variant, ingested_at)",
			[]any{c.eventID, c.ts, c.tsMs, c.shopID, c.customerID, c.channel, c.typ, c.conversationID, c.productID, c.resolved, c.extra, c.experiment, c.variant, c.ingestedAt}, len(c.eventID)},
		{"handoffs", "INSERT INTO handoffs (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, reason, agent_id, extra, ingested_at)",
			[]any{h.eventID, h.ts, h.tsMs, h.shopID, h.customerID, h.channel, h.conversationID, h.reason, h.agentID, h.extra, h.ingestedAt}, len(h.eventID)},
		{"ratings", "INSERT INTO ratings (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, score, extra, ingested_at)",
			[]any{ra.eventID, ra.ts, ra.tsMs, ra.shopID, ra.customerID, ra.channel, ra.conversationID, ra.score, ra.extra, ra.ingestedAt}, len(ra.eventID)},
		{"orders", "INSERT INTO orders (event_id, ts, ts_ms, shop_id, customer_id, channel, order_id, status, amount, currency, item_product_ids, item_skus, item_qtys, item_prices, extra, ingested_at)",
			[]any{o.eventID, o.ts, o.tsMs, o.shopID, o.customerID, o.channel, o.orderID, o.status, o.amount, o.currency, o.itemProductIDs, o.itemSKUs, o.itemQtys, o.itemPrices, o.extra, o.ingestedAt}, len(o.eventID)},
		{"dead_letters", "INSERT INTO dead_letters (received_at, source, location, reason, detail, event_id, raw)",
			[]any{d.receivedAt, d.source, d.location, d.reason, d.detail, d.eventID, d.raw}, len(d.source)},
	}
}
