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
	// arena backs the strings of the event being decoded (see strArena);
	// Add copies them into the columns.
	arena strArena
}

// Len returns the number of good events held.
func (r *Rows) Len() int {
	return r.Messages.eventID.len() + r.Conversations.eventID.len() + r.Handoffs.eventID.len() +
		r.Ratings.eventID.len() + r.Orders.eventID.len()
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
	eventID, shopID, customerID, channel, extra strCol
	ts                                          []int64 // seconds
	tsMs                                        []int64
	ingestedAt                                  []int64 // seconds
}

func (c *envelope) add(e *Event, now time.Time) {
	c.eventID.add(e.EventID)
	c.ts = append(c.ts, floorDiv(e.TsMs, 1000))
	c.tsMs = append(c.tsMs, e.TsMs)
	c.shopID.add(e.ShopID)
	c.customerID.add(e.CustomerID)
	c.channel.add(e.Channel)
	c.extra.add(e.Extra)
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
	resetStrs(&c.eventID, &c.shopID, &c.customerID, &c.channel, &c.extra)
	c.ts, c.tsMs, c.ingestedAt = c.ts[:0], c.tsMs[:0], c.ingestedAt[:0]
}

type messageCols struct {
	envelope
	conversationID, messageID, sender, agentID, text, productID, orderID strCol
	intent, intentSource, sentimentLabel, signature                      strCol
	experiment, variant                                                  strCol
	nlpModel                                                             strCol
	intentConfidence, sentimentScore                                     []float32
	botFallback                                                          []uint8
	topics                                                               [][]string
}

func (c *messageCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID.add(e.ConversationID)
	c.messageID.add(e.MessageID)
	c.sender.add(e.Sender)
	c.agentID.add(e.AgentID)
	c.text.add(e.Text)
	c.productID.add(e.ProductID)
	c.orderID.add(e.OrderID)
	c.intent.add(e.Intent)
	c.intentSource.add(e.Enrichment.IntentSource)
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
	c.sentimentLabel.add(e.Enrichment.SentimentLabel)
	c.signature.add(e.Enrichment.Signature)
	c.experiment.add(e.Experiment)
	c.variant.add(e.Variant)
	c.nlpModel.add(e.Enrichment.Model)
}

// reserve makes room for n messages in every column, so a batch appends
// without regrowing: growing a fresh Rows by doubling, in every column,
// copied and faulted in its columns again and again in a run's first
// batches (6 % of ingest CPU over a million events). Messages are most
// of the events; the other tables grow as they need.
func (c *messageCols) reserve(n int) {
	if cap(c.eventID.ends) >= n {
		return
	}
	for _, col := range c.strCols() {
		col.ends = slices.Grow(col.ends, n-len(col.ends))
	}
	c.ts, c.tsMs, c.ingestedAt = slices.Grow(c.ts, n-len(c.ts)), slices.Grow(c.tsMs, n-len(c.tsMs)), slices.Grow(c.ingestedAt, n-len(c.ingestedAt))
	c.intentConfidence, c.sentimentScore = slices.Grow(c.intentConfidence, n-len(c.intentConfidence)), slices.Grow(c.sentimentScore, n-len(c.sentimentScore))
	c.botFallback, c.topics = slices.Grow(c.botFallback, n-len(c.botFallback)), slices.Grow(c.topics, n-len(c.topics))
}

func (c *messageCols) reset() {
	c.envelope.reset()
	resetStrs(c.strCols()[5:]...)
	c.intentConfidence, c.sentimentScore, c.botFallback, c.topics = c.intentConfidence[:0], c.sentimentScore[:0], c.botFallback[:0], c.topics[:0]
}

// strCols returns the message string columns, the envelope's first.
func (c *messageCols) strCols() []*strCol {
	return []*strCol{&c.eventID, &c.shopID, &c.customerID, &c.channel, &c.extra,
		&c.conversationID, &c.messageID, &c.sender, &c.agentID, &c.text, &c.productID, &c.orderID,
		&c.intent, &c.intentSource, &c.sentimentLabel, &c.signature, &c.experiment, &c.variant, &c.nlpModel}
}

type conversationCols struct {
	envelope
	typ, conversationID, productID strCol
	experiment, variant            strCol
	resolved                       []int8
}

func (c *conversationCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.typ.add(e.Type)
	c.conversationID.add(e.ConversationID)
	c.productID.add(e.ProductID)
	c.resolved = append(c.resolved, e.Resolved)
	c.experiment.add(e.Experiment)
	c.variant.add(e.Variant)
}

func (c *conversationCols) reset() {
	c.envelope.reset()
	resetStrs(&c.typ, &c.conversationID, &c.productID, &c.experiment, &c.variant)
	c.resolved = c.resolved[:0]
}

type handoffCols struct {
	envelope
	conversationID, reason, agentID strCol
}

func (c *handoffCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID.add(e.ConversationID)
	c.reason.add(e.Reason)
	c.agentID.add(e.AgentID)
}

func (c *handoffCols) reset() {
	c.envelope.reset()
	resetStrs(&c.conversationID, &c.reason, &c.agentID)
}

type ratingCols struct {
	envelope
	conversationID strCol
	score          []uint8
}

func (c *ratingCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.conversationID.add(e.ConversationID)
	c.score = append(c.score, e.Score)
}

func (c *ratingCols) reset() {
	c.envelope.reset()
	c.conversationID.reset()
	c.score = c.score[:0]
}

type orderCols struct {
	envelope
	orderID, status, currency strCol
	amount                    []decimal.Decimal
	itemProductIDs, itemSKUs  [][]string
	itemQtys                  [][]uint32
	itemPrices                [][]decimal.Decimal
	// items backs the item strings: the event's own strings are void
	// once the next event is decoded.
	items strArena
}

func (c *orderCols) add(e *Event, now time.Time) {
	c.envelope.add(e, now)
	c.orderID.add(e.OrderID)
	c.status.add(e.Status)
	c.currency.add(e.Currency)
	c.amount = append(c.amount, decimal.New(e.AmountCents, -2))
	pids := make([]string, len(e.Items))
	skus := make([]string, len(e.Items))
	qtys := make([]uint32, len(e.Items))
	prices := make([]decimal.Decimal, len(e.Items))
	for i, it := range e.Items {
		pids[i], skus[i], qtys[i], prices[i] = c.items.clone(it.ProductID), c.items.clone(it.SKU), it.Qty, decimal.New(it.PriceCents, -2)
	}
	c.itemProductIDs = append(c.itemProductIDs, pids)
	c.itemSKUs = append(c.itemSKUs, skus)
	c.itemQtys = append(c.itemQtys, qtys)
	c.itemPrices = append(c.itemPrices, prices)
}

func (c *orderCols) reset() {
	c.envelope.reset()
	resetStrs(&c.orderID, &c.status, &c.currency)
	c.amount = c.amount[:0]
	c.items.reset()
	c.itemProductIDs, c.itemSKUs, c.itemQtys, c.itemPrices = c.itemProductIDs[:0], c.itemSKUs[:0], c.itemQtys[:0], c.itemPrices[:0]
}

// MaxDeadLetterRaw caps the raw bytes kept for one dead letter; the rest of
// an oversized event is cut (its length is in the detail).
const MaxDeadLetterRaw = 64 << 10

type deadLetterCols struct {
	receivedAt                                     []int64
	source, location, reason, detail, eventID, raw strCol
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
	c.source.add(d.Source)
	c.location.add(d.Location)
	c.reason.add(d.Reason)
	c.detail.add(d.Detail)
	c.eventID.add(d.EventID)
	c.raw.addBytes(raw)
}

func (c *deadLetterCols) reset() {
	c.receivedAt = c.receivedAt[:0]
	resetStrs(&c.source, &c.location, &c.reason, &c.detail, &c.eventID, &c.raw)
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
			[]any{&m.eventID, m.ts, m.tsMs, &m.shopID, &m.customerID, &m.channel, &m.conversationID, &m.messageID, &m.sender, &m.agentID, &m.text, &m.productID, &m.orderID, &m.intent, &m.intentSource, m.intentConfidence, m.botFallback, m.topics, m.sentimentScore, &m.sentimentLabel, &m.signature, &m.nlpModel, &m.extra, &m.experiment, &m.variant, m.ingestedAt}, m.eventID.len()},
		{"conversations", "INSERT INTO conversations (event_id, ts, ts_ms, shop_id, customer_id, channel, type, conversation_id, product_id, resolved, extra, experiment, variant, ingested_at)",
			[]any{&c.eventID, c.ts, c.tsMs, &c.shopID, &c.customerID, &c.channel, &c.typ, &c.conversationID, &c.productID, c.resolved, &c.extra, &c.experiment, &c.variant, c.ingestedAt}, c.eventID.len()},
		{"handoffs", "INSERT INTO handoffs (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, reason, agent_id, extra, ingested_at)",
			[]any{&h.eventID, h.ts, h.tsMs, &h.shopID, &h.customerID, &h.channel, &h.conversationID, &h.reason, &h.agentID, &h.extra, h.ingestedAt}, h.eventID.len()},
		{"ratings", "INSERT INTO ratings (event_id, ts, ts_ms, shop_id, customer_id, channel, conversation_id, score, extra, ingested_at)",
			[]any{&ra.eventID, ra.ts, ra.tsMs, &ra.shopID, &ra.customerID, &ra.channel, &ra.conversationID, ra.score, &ra.extra, ra.ingestedAt}, ra.eventID.len()},
		{"orders", "INSERT INTO orders (event_id, ts, ts_ms, shop_id, customer_id, channel, order_id, status, amount, currency, item_product_ids, item_skus, item_qtys, item_prices, extra, ingested_at)",
			[]any{&o.eventID, o.ts, o.tsMs, &o.shopID, &o.customerID, &o.channel, &o.orderID, &o.status, o.amount, &o.currency, o.itemProductIDs, o.itemSKUs, o.itemQtys, o.itemPrices, &o.extra, o.ingestedAt}, o.eventID.len()},
		{"dead_letters", "INSERT INTO dead_letters (received_at, source, location, reason, detail, event_id, raw)",
			[]any{d.receivedAt, &d.source, &d.location, &d.reason, &d.detail, &d.eventID, &d.raw}, d.source.len()},
	}
}
