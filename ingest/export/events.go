package export

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/shopspring/decimal"

	"github.com/convintel/convintel/warehouse"
)

//go:embed sql/*.sql
var queries embed.FS

// batchRows is the number of rows per record batch (and Parquet row group).
const batchRows = 65_536

var (
	tsType    = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	moneyType = &arrow.Decimal128Type{Precision: 18, Scale: 2}
	itemType  = arrow.StructOf(
		arrow.Field{Name: "product_id", Type: arrow.BinaryTypes.String},
		arrow.Field{Name: "sku", Type: arrow.BinaryTypes.String, Nullable: true},
		arrow.Field{Name: "qty", Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: "price", Type: moneyType},
	)
)

// EventsSchema is the "events" export: the contract's fields, one column
// each, with unknown fields kept as a JSON object in "extra".
var EventsSchema = arrow.NewSchema([]arrow.Field{
	{Name: "event_id", Type: arrow.BinaryTypes.String},
	{Name: "type", Type: arrow.BinaryTypes.String},
	{Name: "ts", Type: tsType},
	{Name: "shop_id", Type: arrow.BinaryTypes.String},
	{Name: "customer_id", Type: arrow.BinaryTypes.String},
	{Name: "channel", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "conversation_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "product_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "message_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "sender", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "agent_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "text", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "order_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "intent", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "intent_confidence", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "bot_fallback", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "resolved", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "score", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "amount", Type: moneyType, Nullable: true},
	{Name: "currency", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "items", Type: arrow.ListOf(itemType), Nullable: true},
	{Name: "extra", Type: arrow.BinaryTypes.String, Nullable: true},
	// v1.1, after extra so v1 readers' column positions hold.
	{Name: "experiment", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "variant", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// event is one row of the events export; empty strings are nulls.
type event struct {
	eventID, typ, shopID, customerID, channel, conversationID, productID   string
	messageID, sender, agentID, text, orderID, intent, reason, status, cur string
	extra, experiment, variant                                             string
	tsMs                                                                   int64
	conf                                                                   float32
	hasConf, isMessage, fallback                                           bool
	resolved                                                               int8 // -1 null
	score                                                                  int64
	amountCents                                                            int64
	isOrder                                                                bool
	itemPIDs, itemSKUs                                                     []string
	itemQtys                                                               []uint32
	itemPrices                                                             []decimal.Decimal
}

// eventBuilder accumulates events into record batches of batchRows.
type eventBuilder struct {
	b   *array.RecordBuilder
	out recordWriter
	n   int
	all int64
}

func newEventBuilder(out recordWriter) *eventBuilder {
	return &eventBuilder{b: array.NewRecordBuilder(memory.DefaultAllocator, EventsSchema), out: out}
}

func str(b array.Builder, s string) {
	sb := b.(*array.StringBuilder)
	if s == "" {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

func (e *eventBuilder) add(ev *event) error {
	f := e.b.Fields()
	f[0].(*array.StringBuilder).Append(ev.eventID)
	f[1].(*array.StringBuilder).Append(ev.typ)
	f[2].(*array.TimestampBuilder).Append(arrow.Timestamp(ev.tsMs))
	f[3].(*array.StringBuilder).Append(ev.shopID)
	f[4].(*array.StringBuilder).Append(ev.customerID)
	str(f[5], ev.channel)
	str(f[6], ev.conversationID)
	str(f[7], ev.productID)
	str(f[8], ev.messageID)
	str(f[9], ev.sender)
	str(f[10], ev.agentID)
	if ev.isMessage {
		f[11].(*array.StringBuilder).Append(ev.text)
	} else {
		f[11].AppendNull()
	}
	str(f[12], ev.orderID)
	str(f[13], ev.intent)
	if ev.hasConf {
		f[14].(*array.Float32Builder).Append(ev.conf)
	} else {
		f[14].AppendNull()
	}
	if ev.isMessage {
		f[15].(*array.BooleanBuilder).Append(ev.fallback)
	} else {
		f[15].AppendNull()
	}
	str(f[16], ev.reason)
	if ev.resolved >= 0 {
		f[17].(*array.BooleanBuilder).Append(ev.resolved == 1)
	} else {
		f[17].AppendNull()
	}
	if ev.score > 0 {
		f[18].(*array.Int64Builder).Append(ev.score)
	} else {
		f[18].AppendNull()
	}
	str(f[19], ev.status)
	if ev.isOrder {
		f[20].(*array.Decimal128Builder).Append(decimal128.FromI64(ev.amountCents))
	} else {
		f[20].AppendNull()
	}
	str(f[21], ev.cur)
	lb := f[22].(*array.ListBuilder)
	if len(ev.itemPIDs) == 0 {
		lb.AppendNull()
	} else {
		lb.Append(true)
		sb := lb.ValueBuilder().(*array.StructBuilder)
		for i := range ev.itemPIDs {
			sb.Append(true)
			sb.FieldBuilder(0).(*array.StringBuilder).Append(ev.itemPIDs[i])
			str(sb.FieldBuilder(1), ev.itemSKUs[i])
			sb.FieldBuilder(2).(*array.Int64Builder).Append(int64(ev.itemQtys[i]))
			sb.FieldBuilder(3).(*array.Decimal128Builder).Append(decimal128.FromI64(cents(ev.itemPrices[i])))
		}
	}
	str(f[23], ev.extra)
	str(f[24], ev.experiment)
	str(f[25], ev.variant)
	e.n++
	if e.n >= batchRows {
		return e.flush()
	}
	return nil
}

func (e *eventBuilder) flush() error {
	if e.n == 0 {
		return nil
	}
	rec := e.b.NewRecord()
	defer rec.Release()
	e.all += int64(e.n)
	e.n = 0
	return e.out.Write(rec)
}

func cents(d decimal.Decimal) int64 { return d.Shift(2).IntPart() }

// window is one day of the reporting zone, as epoch milliseconds [from, to).
type window struct{ fromMs, toMs int64 }

// args are the query arguments of a window: the DateTime bounds that
// prune partitions, then the exact ts_ms bounds.
func (w window) args() []any {
	return []any{w.fromMs / 1000, (w.toMs - 1) / 1000, w.fromMs, w.toMs}
}

// days splits [from, to] (dates, inclusive) into day windows in loc.
func days(from, to time.Time, loc *time.Location) []window {
	var out []window
	y, m, d := from.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	ty, tm, td := to.Date()
	last := time.Date(ty, tm, td, 0, 0, 0, 0, loc)
	for day := start; !day.After(last); day = day.AddDate(0, 0, 1) {
		out = append(out, window{day.UnixMilli(), day.AddDate(0, 0, 1).UnixMilli()})
	}
	return out
}

// query runs the export query file on w and calls scan for every row.
func query(ctx context.Context, conn warehouse.Conn, file string, w window, scan func(rows interface{ Scan(...any) error }) error) error {
	q, err := queries.ReadFile("sql/" + file)
	if err != nil {
		return err
	}
	rows, err := conn.Query(ctx, string(q), w.args()...)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// messageRow is a stored message as the export queries read it.
type messageRow struct {
	eventID, shopID, customerID, channel, conversationID, messageID, sender string
	agentID, text, productID, orderID, intent, intentSource                 string
	sentimentLabel, signature, extra, experiment, variant                   string
	tsMs                                                                    int64
	conf, sentimentScore                                                    float32
	fallback                                                                uint8
	topics                                                                  []string
}

func (m *messageRow) scan(rows interface{ Scan(...any) error }) error {
	return rows.Scan(&m.eventID, &m.tsMs, &m.shopID, &m.customerID, &m.channel, &m.conversationID, &m.messageID,
		&m.sender, &m.agentID, &m.text, &m.productID, &m.orderID, &m.intent, &m.intentSource,
		&m.conf, &m.fallback, &m.topics, &m.sentimentScore, &m.sentimentLabel, &m.signature, &m.extra, &m.experiment, &m.variant)
}

// writeEvents streams every stored event of each day window into out.
func writeEvents(ctx context.Context, conn warehouse.Conn, ws []window, out recordWriter, tick func()) (int64, error) {
	eb := newEventBuilder(out)
	var ev event
	var m messageRow
	for _, w := range ws {
		err := query(ctx, conn, "events_messages.sql", w, func(rows interface{ Scan(...any) error }) error {
			if err := m.scan(rows); err != nil {
				return err
			}
			ev = event{eventID: m.eventID, typ: "message", tsMs: m.tsMs, shopID: m.shopID, customerID: m.customerID,
				channel: m.channel, conversationID: m.conversationID, messageID: m.messageID, sender: m.sender,
				agentID: m.agentID, text: m.text, productID: m.productID, orderID: m.orderID,
				isMessage: true, fallback: m.fallback == 1, resolved: -1, extra: m.extra,
				experiment: m.experiment, variant: m.variant}
			// A model's intent is derived, not received: leaving it out
			// lets re-import derive it again, as it did the first time.
			if m.intentSource != "model" {
				ev.intent = m.intent
				ev.conf, ev.hasConf = m.conf, m.conf != 0
			}
			return eb.add(&ev)
		})
		if err != nil {
			return eb.all, err
		}
		var resolved int8
		err = query(ctx, conn, "events_conversations.sql", w, func(rows interface{ Scan(...any) error }) error {
			ev = event{}
			if err := rows.Scan(&ev.eventID, &ev.typ, &ev.tsMs, &ev.shopID, &ev.customerID, &ev.channel,
				&ev.conversationID, &ev.productID, &resolved, &ev.extra, &ev.experiment, &ev.variant); err != nil {
				return err
			}
			ev.resolved = resolved
			return eb.add(&ev)
		})
		if err != nil {
			return eb.all, err
		}
		err = query(ctx, conn, "events_handoffs.sql", w, func(rows interface{ Scan(...any) error }) error {
			ev = event{typ: "handoff", resolved: -1}
			return scanThen(rows.Scan(&ev.eventID, &ev.tsMs, &ev.shopID, &ev.customerID, &ev.channel,
				&ev.conversationID, &ev.reason, &ev.agentID, &ev.extra), func() error { return eb.add(&ev) })
		})
		if err != nil {
			return eb.all, err
		}
		var score uint8
		err = query(ctx, conn, "events_ratings.sql", w, func(rows interface{ Scan(...any) error }) error {
			ev = event{typ: "rating", resolved: -1}
			return scanThen(rows.Scan(&ev.eventID, &ev.tsMs, &ev.shopID, &ev.customerID, &ev.channel,
				&ev.conversationID, &score, &ev.extra), func() error { ev.score = int64(score); return eb.add(&ev) })
		})
		if err != nil {
			return eb.all, err
		}
		var amount decimal.Decimal
		err = query(ctx, conn, "events_orders.sql", w, func(rows interface{ Scan(...any) error }) error {
			ev = event{typ: "order", resolved: -1, isOrder: true}
			return scanThen(rows.Scan(&ev.eventID, &ev.tsMs, &ev.shopID, &ev.customerID, &ev.channel,
				&ev.orderID, &ev.status, &amount, &ev.cur, &ev.itemPIDs, &ev.itemSKUs, &ev.itemQtys, &ev.itemPrices, &ev.extra),
				func() error { ev.amountCents = cents(amount); return eb.add(&ev) })
		})
		if err != nil {
			return eb.all, err
		}
		tick()
	}
	err := eb.flush()
	return eb.all, err
}

func scanThen(err error, f func() error) error {
	if err != nil {
		return err
	}
	return f()
}
