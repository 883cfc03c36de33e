package simulate

import (
	"strconv"
	"time"
	"unicode/utf8"
)

type eventType uint8

const (
	evStarted eventType = iota
	evMessage
	evHandoff
	evEnded
	evRating
	evOrder
)

var typeNames = [...]string{"conversation_started", "message", "handoff", "conversation_ended", "rating", "order"}

// event is one generated event before serialisation. Fields that do not
// apply to its type are zero.
type event struct {
	ts    int64 // epoch ms
	seq   uint64
	typ   eventType
	epoch bool // write ts as epoch millis
	dup   bool // emit twice with the same event_id

	shop     string
	customer string
	channel  string
	conv     string
	product  string

	sender    string
	agent     string
	text      string
	messageID string
	orderID   string
	intent    string
	conf      float32
	fallback  bool
	topic     string // generator bookkeeping, not emitted
	// qaCategory: a forbidden phrase the QA plan planted (not emitted).
	qaCategory string

	reason   string
	resolved int8 // -1 absent
	score    uint8

	status string
	amount int64
	items  []item

	// experiment arm (v1.1), written on conversation_started or, with
	// expOnMessages, on bot messages (see emitsExperiment)
	experiment, variant string
	expOnMessages       bool
}

// emitsExperiment reports whether e is written with its experiment.
func (e *event) emitsExperiment() bool {
	if e.experiment == "" {
		return false
	}
	if e.expOnMessages {
		return e.typ == evMessage && e.sender == "bot"
	}
	return e.typ == evStarted
}

type item struct {
	product string
	sku     string
	qty     int
	cents   int64
}

var shanghaiOffset = "+08:00"

// appendJSON writes e as one JSON object with event id id.
func appendJSON(b []byte, e *event, id []byte) []byte {
	b = append(b, `{"event_id":"`...)
	b = append(b, id...)
	b = append(b, `","type":"`...)
	b = append(b, typeNames[e.typ]...)
	b = append(b, `","ts":`...)
	if e.epoch {
		b = strconv.AppendInt(b, e.ts, 10)
	} else {
		b = append(b, '"')
		b = appendTs(b, e.ts)
		b = append(b, '"')
	}
	b = appendField(b, "shop_id", e.shop)
	b = appendField(b, "customer_id", e.customer)
	if e.channel != "" {
		b = appendField(b, "channel", e.channel)
	}
	if e.conv != "" {
		b = appendField(b, "conversation_id", e.conv)
	}
	if e.emitsExperiment() {
		b = appendField(b, "experiment", e.experiment)
		b = appendField(b, "variant", e.variant)
	}
	switch e.typ {
	case evStarted:
		if e.product != "" {
			b = appendField(b, "product_id", e.product)
		}
	case evMessage:
		if e.messageID != "" {
			b = appendField(b, "message_id", e.messageID)
		}
		b = appendField(b, "sender", e.sender)
		if e.agent != "" {
			b = appendField(b, "agent_id", e.agent)
		}
		b = appendField(b, "text", e.text)
		if e.product != "" {
			b = appendField(b, "product_id", e.product)
		}
		if e.orderID != "" {
			b = appendField(b, "order_id", e.orderID)
		}
		if e.intent != "" {
			b = appendField(b, "intent", e.intent)
			if e.conf > 0 {
				b = append(b, `,"intent_confidence":`...)
				b = strconv.AppendFloat(b, float64(e.conf), 'f', 2, 32)
			}
		}
		if e.sender == "bot" {
			if e.fallback {
				b = append(b, `,"bot_fallback":true`...)
			} else {
				b = append(b, `,"bot_fallback":false`...)
			}
		}
	case evHandoff:
		b = appendField(b, "reason", e.reason)
		if e.agent != "" {
			b = appendField(b, "agent_id", e.agent)
		}
	case evEnded:
		if e.resolved >= 0 {
			b = append(b, `,"resolved":`...)
			b = strconv.AppendBool(b, e.resolved == 1)
		}
	case evRating:
		b = append(b, `,"score":`...)
		b = strconv.AppendUint(b, uint64(e.score), 10)
	case evOrder:
		b = appendField(b, "order_id", e.orderID)
		b = appendField(b, "status", e.status)
		b = append(b, `,"amount":"`...)
		b = appendCents(b, e.amount)
		b = append(b, `","currency":"CNY"`...)
		if len(e.items) > 0 {
			b = append(b, `,"items":[`...)
			for i, it := range e.items {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"product_id":`...)
				b = appendString(b, it.product)
				if it.sku != "" {
					b = append(b, `,"sku":`...)
					b = appendString(b, it.sku)
				}
				b = append(b, `,"qty":`...)
				b = strconv.AppendInt(b, int64(it.qty), 10)
				b = append(b, `,"price":"`...)
				b = appendCents(b, it.cents)
				b = append(b, `"}`...)
			}
			b = append(b, ']')
		}
	}
	return append(b, '}')
}

func appendField(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string: UTF-8 passes through, quotes,
// backslashes and control characters are escaped the JSON way (strconv's
// Go escapes such as \x00 are not JSON).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, `\ufffd`...)
				i++
				start = i
				continue
			}
			if r == '\u2028' || r == '\u2029' {
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, hexDigits[r&0xf])
				i += size
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendCents writes cents as a decimal with two places: 12345 → 123.45.
func appendCents(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	b = append(b, '.')
	f := cents % 100
	return append(b, byte('0'+f/10), byte('0'+f%10))
}

// appendTs writes ms as RFC 3339 in UTC+8 with milliseconds.
func appendTs(b []byte, ms int64) []byte {
	t := time.UnixMilli(ms).In(Shanghai)
	b = t.AppendFormat(b, "2006-01-02T15:04:05.000")
	return append(b, shanghaiOffset...)
}
