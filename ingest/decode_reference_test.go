package ingest

// The event decoder before the single-pass scanner, built on fastjson (a
// full parse, then the strict validator): the oracle of
// FuzzDecodeSameAsReference, which holds the scanner to the same verdicts
// and the same events.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/valyala/fastjson"
)

var refParsers fastjson.ParserPool

func refDecode(d *Decoder, raw []byte, e *Event) error {
	*e = Event{Resolved: -1}
	if len(raw) > MaxEventBytes {
		return derr(ReasonTooLarge, "event is %d bytes, the limit is %d", len(raw), MaxEventBytes)
	}
	if !utf8.Valid(raw) {
		return derr(ReasonInvalidUTF8, "event is not valid UTF-8")
	}
	p := refParsers.Get()
	defer refParsers.Put(p)
	v, err := p.ParseBytes(raw)
	if err != nil {
		return derr(ReasonInvalidJSON, "%s", truncate(err.Error(), 200))
	}
	// The parser is lenient (NaN, Inf and "1.2.3" pass as numbers, raw
	// control characters in strings) and unknown fields are stored as they
	// came, in extra: check strict JSON too. Only after parsing, whose
	// depth limit keeps the validator's recursion short.
	if err := fastjson.ValidateBytes(raw); err != nil {
		return derr(ReasonInvalidJSON, "%s", truncate(err.Error(), 200))
	}
	o, err := v.Object()
	if err != nil {
		return derr(ReasonNotObject, "an event must be a JSON object, got %s", v.Type())
	}
	var (
		firstErr *DecodeError
		extra    []byte
		tsVal    *fastjson.Value
		amount   *fastjson.Value
		items    *fastjson.Value
		resolved *fastjson.Value
		score    *fastjson.Value
		conf     *fastjson.Value
		fallback *fastjson.Value
	)
	str := func(key string, v *fastjson.Value, dst *string) {
		if firstErr != nil {
			return
		}
		if v.Type() == fastjson.TypeNull {
			return
		}
		b, err := v.StringBytes()
		if err != nil {
			firstErr = derr(ReasonWrongType, "%s must be a string, got %s", key, v.Type())
			return
		}
		*dst = string(b)
	}
	// interned: low-cardinality fields share one string per distinct value.
	interned := func(key string, v *fastjson.Value, dst *string) {
		if firstErr != nil || v.Type() == fastjson.TypeNull {
			return
		}
		b, err := v.StringBytes()
		if err != nil {
			firstErr = derr(ReasonWrongType, "%s must be a string, got %s", key, v.Type())
			return
		}
		*dst = d.intern(b)
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "event_id":
			str("event_id", v, &e.EventID)
		case "type":
			interned("type", v, &e.Type)
		case "ts":
			tsVal = v
		case "shop_id":
			interned("shop_id", v, &e.ShopID)
		case "customer_id":
			str("customer_id", v, &e.CustomerID)
		case "channel":
			interned("channel", v, &e.Channel)
		case "conversation_id":
			str("conversation_id", v, &e.ConversationID)
		case "product_id":
			str("product_id", v, &e.ProductID)
		case "message_id":
			str("message_id", v, &e.MessageID)
		case "sender":
			interned("sender", v, &e.Sender)
		case "agent_id":
			interned("agent_id", v, &e.AgentID)
		case "text":
			str("text", v, &e.Text)
		case "order_id":
			str("order_id", v, &e.OrderID)
		case "intent":
			interned("intent", v, &e.Intent)
		case "intent_confidence":
			conf = v
		case "bot_fallback":
			fallback = v
		case "reason":
			interned("reason", v, &e.Reason)
		case "resolved":
			resolved = v
		case "score":
			score = v
		case "status":
			interned("status", v, &e.Status)
		case "amount":
			amount = v
		case "currency":
			interned("currency", v, &e.Currency)
		case "items":
			items = v
		case "experiment":
			interned("experiment", v, &e.Experiment)
		case "variant":
			interned("variant", v, &e.Variant)
		default:
			if extra == nil {
				extra = append(extra, '{')
			} else {
				extra = append(extra, ',')
			}
			extra = strconv.AppendQuote(extra, string(k))
			extra = append(extra, ':')
			extra = v.MarshalTo(extra)
		}
	})
	if firstErr != nil {
		return firstErr
	}
	if (e.Experiment != "" || e.Variant != "") && !carriesExperiment(e.Type) {
		extra = experimentToExtra(extra, e)
	}
	if extra != nil {
		e.Extra = string(append(extra, '}'))
	}
	if err := requireID("event_id", e.EventID); err != nil {
		return err
	}
	if len(e.EventID) > MaxEventIDBytes {
		return derr(ReasonInvalidValue, "event_id is %d bytes, the limit is %d", len(e.EventID), MaxEventIDBytes)
	}
	if e.Type == "" {
		return derr(ReasonMissingField, "type is required")
	}
	if tsVal == nil {
		return derr(ReasonMissingField, "ts is required")
	}
	ts, tsErr := refParseTs(tsVal)
	if tsErr != nil {
		return tsErr
	}
	if ts < minTsMs || ts > d.now().Add(MaxFutureSkew).UnixMilli() {
		return derr(ReasonBadTimestamp, "ts %s is outside 2000-01-01 .. now+24h", time.UnixMilli(ts).UTC().Format(time.RFC3339))
	}
	e.TsMs = ts
	if err := requireID("shop_id", e.ShopID); err != nil {
		return err
	}
	if err := requireID("customer_id", e.CustomerID); err != nil {
		return err
	}
	e.Channel = strings.ToLower(strings.TrimSpace(e.Channel))
	if err := checkExperiment(e); err != nil {
		return err
	}

	switch e.Type {
	case TypeConversationStarted:
		return requireID("conversation_id", e.ConversationID)
	case TypeMessage:
		return refFinishMessage(e, conf, fallback)
	case TypeHandoff:
		if err := requireID("conversation_id", e.ConversationID); err != nil {
			return err
		}
		switch e.Reason {
		case "customer_request", "repeated_question", "negative_sentiment", "low_confidence", "business_rule", "other":
			return nil
		case "":
			return derr(ReasonMissingField, "reason is required on a handoff")
		}
		return derr(ReasonInvalidValue, "reason %q is not one of customer_request, repeated_question, negative_sentiment, low_confidence, business_rule, other", truncate(e.Reason, 64))
	case TypeConversationEnded:
		if err := requireID("conversation_id", e.ConversationID); err != nil {
			return err
		}
		if resolved != nil && resolved.Type() != fastjson.TypeNull {
			b, err := resolved.Bool()
			if err != nil {
				return derr(ReasonWrongType, "resolved must be a boolean, got %s", resolved.Type())
			}
			e.Resolved = 0
			if b {
				e.Resolved = 1
			}
		}
		return nil
	case TypeRating:
		if err := requireID("conversation_id", e.ConversationID); err != nil {
			return err
		}
		if score == nil || score.Type() == fastjson.TypeNull {
			return derr(ReasonMissingField, "score is required on a rating")
		}
		if score.Type() != fastjson.TypeNumber {
			return derr(ReasonWrongType, "score must be an integer 1..5, got %s", score.Type())
		}
		f, _ := score.Float64()
		if f != math.Trunc(f) || f < 1 || f > 5 {
			return derr(ReasonInvalidValue, "score must be an integer 1..5, got %v", f)
		}
		e.Score = uint8(f)
		return nil
	case TypeOrder:
		return refFinishOrder(e, amount, items)
	}
	return derr(ReasonUnknownType, "type %q is not one of %s", truncate(e.Type, 64), strings.Join(EventTypes, ", "))
}

func refFinishMessage(e *Event, conf, fallback *fastjson.Value) error {
	if err := requireID("conversation_id", e.ConversationID); err != nil {
		return err
	}
	switch e.Sender {
	case SenderCustomer, SenderBot:
	case SenderAgent:
		if e.AgentID == "" {
			return derr(ReasonMissingField, "agent_id is required when sender is agent")
		}
	case "":
		return derr(ReasonMissingField, "sender is required on a message")
	default:
		return derr(ReasonInvalidValue, "sender %q is not one of customer, bot, agent", truncate(e.Sender, 64))
	}
	// A blank upstream label is no label: the model predicts the intent.
	e.Intent = strings.TrimSpace(e.Intent)
	if len(e.Text) > MaxTextBytes {
		return derr(ReasonInvalidValue, "text is %d bytes, the limit is %d", len(e.Text), MaxTextBytes)
	}
	if conf != nil && conf.Type() != fastjson.TypeNull {
		if conf.Type() != fastjson.TypeNumber {
			return derr(ReasonWrongType, "intent_confidence must be a number 0..1, got %s", conf.Type())
		}
		f, _ := conf.Float64()
		if math.IsNaN(f) || f < 0 || f > 1 {
			return derr(ReasonInvalidValue, "intent_confidence must be within 0..1, got %v", f)
		}
		e.IntentConfidence = float32(f)
	}
	if fallback != nil && fallback.Type() != fastjson.TypeNull {
		b, err := fallback.Bool()
		if err != nil {
			return derr(ReasonWrongType, "bot_fallback must be a boolean, got %s", fallback.Type())
		}
		e.BotFallback = b
	}
	return nil
}

func refFinishOrder(e *Event, amount, items *fastjson.Value) error {
	if err := requireID("order_id", e.OrderID); err != nil {
		return err
	}
	switch e.Status {
	case OrderCreated, OrderPaid, OrderCancelled, OrderRefunded:
	case "":
		return derr(ReasonMissingField, "status is required on an order")
	default:
		return derr(ReasonInvalidValue, "status %q is not one of created, paid, cancelled, refunded", truncate(e.Status, 64))
	}
	if amount == nil || amount.Type() == fastjson.TypeNull {
		return derr(ReasonMissingField, "amount is required on an order")
	}
	cents, merr := refParseMoney("amount", amount)
	if merr != nil {
		return merr
	}
	e.AmountCents = cents
	if e.Currency == "" {
		e.Currency = "CNY"
	} else if len(e.Currency) != 3 {
		return derr(ReasonInvalidValue, "currency %q is not an ISO 4217 code", truncate(e.Currency, 16))
	} else {
		e.Currency = strings.ToUpper(e.Currency)
	}
	if items == nil || items.Type() == fastjson.TypeNull {
		return nil
	}
	arr, aerr := items.Array()
	if aerr != nil {
		return derr(ReasonWrongType, "items must be an array, got %s", items.Type())
	}
	if len(arr) > maxItems {
		return derr(ReasonInvalidValue, "items has %d entries, the limit is %d", len(arr), maxItems)
	}
	e.Items = make([]OrderItem, 0, len(arr))
	for i, it := range arr {
		if it.Type() != fastjson.TypeObject {
			return derr(ReasonWrongType, "items[%d] must be an object", i)
		}
		var item OrderItem
		pid := it.Get("product_id")
		if pid == nil || pid.Type() != fastjson.TypeString {
			return derr(ReasonMissingField, "items[%d].product_id is required and must be a string", i)
		}
		item.ProductID = string(pid.GetStringBytes())
		if sku := it.Get("sku"); sku != nil && sku.Type() != fastjson.TypeNull {
			if sku.Type() != fastjson.TypeString {
				return derr(ReasonWrongType, "items[%d].sku must be a string", i)
			}
			item.SKU = string(sku.GetStringBytes())
		}
		qty := it.Get("qty")
		if qty == nil || qty.Type() != fastjson.TypeNumber {
			return derr(ReasonMissingField, "items[%d].qty is required and must be a positive integer", i)
		}
		q, _ := qty.Float64()
		if q != math.Trunc(q) || q < 1 || q > 1e6 {
			return derr(ReasonInvalidValue, "items[%d].qty must be a positive integer, got %v", i, q)
		}
		item.Qty = uint32(q)
		price := it.Get("price")
		if price == nil || price.Type() == fastjson.TypeNull {
			return derr(ReasonMissingField, "items[%d].price is required", i)
		}
		c, perr := refParseMoney(fmt.Sprintf("items[%d].price", i), price)
		if perr != nil {
			return perr
		}
		item.PriceCents = c
		e.Items = append(e.Items, item)
	}
	return nil
}

func refParseMoney(name string, v *fastjson.Value) (int64, *DecodeError) {
	var s string
	switch v.Type() {
	case fastjson.TypeString:
		s = strings.TrimSpace(string(v.GetStringBytes()))
	case fastjson.TypeNumber:
		s = v.String()
	default:
		return 0, derr(ReasonWrongType, "%s must be a decimal string or number, got %s", name, v.Type())
	}
	cents, ok := parseCents(s)
	if !ok {
		return 0, derr(ReasonInvalidValue, "%s %q must be a non-negative decimal with at most 2 decimals", name, truncate(s, 32))
	}
	return cents, nil
}

func refParseTs(v *fastjson.Value) (int64, *DecodeError) {
	switch v.Type() {
	case fastjson.TypeNumber:
		f, err := v.Float64()
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
			return 0, derr(ReasonBadTimestamp, "ts must be integer epoch milliseconds, got %s", truncate(v.String(), 32))
		}
		if math.Abs(f) > 1e15 {
			return 0, derr(ReasonBadTimestamp, "ts %s is out of range", truncate(v.String(), 32))
		}
		return int64(f), nil
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, derr(ReasonBadTimestamp, "ts %q is not RFC 3339 with an offset (2026-11-11T00:00:03.120+08:00) nor epoch milliseconds", truncate(s, 64))
		}
		return t.UnixMilli(), nil
	}
	return 0, derr(ReasonWrongType, "ts must be an RFC 3339 string or epoch milliseconds, got %s", v.Type())
}
