package export

import (
	"context"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/convintel/convintel/warehouse"
)

// MessagesSchema is the "messages" export: stored messages with their
// enrichment (masked text, intent and its source, topics, sentiment,
// question signature) and the reporting-zone date.
var MessagesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "event_id", Type: arrow.BinaryTypes.String},
	{Name: "date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "ts", Type: tsType},
	{Name: "shop_id", Type: arrow.BinaryTypes.String},
	{Name: "customer_id", Type: arrow.BinaryTypes.String},
	{Name: "channel", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "conversation_id", Type: arrow.BinaryTypes.String},
	{Name: "message_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "sender", Type: arrow.BinaryTypes.String},
	{Name: "agent_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "text", Type: arrow.BinaryTypes.String},
	{Name: "product_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "order_id", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "intent", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "intent_source", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "intent_confidence", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "bot_fallback", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "topics", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "sentiment_score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "sentiment_label", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "signature", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// date32 is the day of t in loc.
func date32(t time.Time, loc *time.Location) arrow.Date32 {
	y, m, d := t.In(loc).Date()
	return arrow.Date32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// writeMessages streams every stored message of each day window into out.
// Enrichment columns are null on messages that were not enriched (bot and
// agent messages, or NLP off).
func writeMessages(ctx context.Context, conn warehouse.Conn, ws []window, loc *time.Location, out recordWriter, tick func()) (int64, error) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, MessagesSchema)
	defer b.Release()
	f := b.Fields()
	var n int
	var all int64
	flush := func() error {
		if n == 0 {
			return nil
		}
		rec := b.NewRecord()
		defer rec.Release()
		all += int64(n)
		n = 0
		return out.Write(rec)
	}
	var m messageRow
	for _, w := range ws {
		err := query(ctx, conn, "events_messages.sql", w, func(rows interface{ Scan(...any) error }) error {
			if err := m.scan(rows); err != nil {
				return err
			}
			enriched := m.intentSource != ""
			f[0].(*array.StringBuilder).Append(m.eventID)
			f[1].(*array.Date32Builder).Append(date32(time.UnixMilli(m.tsMs), loc))
			f[2].(*array.TimestampBuilder).Append(arrow.Timestamp(m.tsMs))
			f[3].(*array.StringBuilder).Append(m.shopID)
			f[4].(*array.StringBuilder).Append(m.customerID)
			str(f[5], m.channel)
			f[6].(*array.StringBuilder).Append(m.conversationID)
			str(f[7], m.messageID)
			f[8].(*array.StringBuilder).Append(m.sender)
			str(f[9], m.agentID)
			f[10].(*array.StringBuilder).Append(m.text)
			str(f[11], m.productID)
			str(f[12], m.orderID)
			str(f[13], m.intent)
			str(f[14], m.intentSource)
			if m.intent != "" {
				f[15].(*array.Float64Builder).Append(round6(float64(m.conf)))
			} else {
				f[15].AppendNull()
			}
			f[16].(*array.BooleanBuilder).Append(m.fallback == 1)
			lb := f[17].(*array.ListBuilder)
			lb.Append(true)
			for _, t := range m.topics {
				lb.ValueBuilder().(*array.StringBuilder).Append(t)
			}
			if enriched {
				f[18].(*array.Float64Builder).Append(round6(float64(m.sentimentScore)))
			} else {
				f[18].AppendNull()
			}
			str(f[19], m.sentimentLabel)
			str(f[20], m.signature)
			n++
			if n >= batchRows {
				return flush()
			}
			return nil
		})
		if err != nil {
			return all, err
		}
		tick()
	}
	err := flush()
	return all, err
}

// round6 drops the float32 noise a widening to float64 shows
// (0.8700000047683716 is 0.87).
func round6(f float64) float64 {
	const k = 1e6
	if f >= 0 {
		return float64(int64(f*k+0.5)) / k
	}
	return -float64(int64(-f*k+0.5)) / k
}
