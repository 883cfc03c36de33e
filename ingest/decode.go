package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Limits of the event contract.
const (
	MaxEventBytes   = 1 << 20  // an event over 1 MiB is dead-lettered
	MaxTextBytes    = 16 << 10 // message text
	MaxEventIDBytes = 128
	maxItems        = 1000
)

// Timestamps outside [minTsMs, maxTsMs] are rejected: before 2000 or more
// than a day into the future of the wall clock are clock bugs at the source,
// and would land in partitions nobody queries.
var minTsMs = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

// MaxFutureSkew is how far past now a source timestamp may be.
const MaxFutureSkew = 24 * time.Hour

// DecodeError says why an event was rejected. Reason is a short stable
// code (for counting dead letters); Detail is for the person reading it.
type DecodeError struct {
	Reason string
	Detail string
}

func (e *DecodeError) Error() string {
	if e.Detail == "" {
		return e.Reason
	}
	return e.Reason + ": " + e.Detail
}

// Reason codes for dead letters.
const (
	ReasonTooLarge      = "too_large"
	ReasonInvalidUTF8   = "invalid_utf8"
	ReasonInvalidJSON   = "invalid_json"
	ReasonNotObject     = "not_an_object"
	ReasonMissingField  = "missing_field"
	ReasonWrongType     = "wrong_type"
	ReasonInvalidValue  = "invalid_value"
	ReasonUnknownType   = "unknown_type"
	ReasonBadTimestamp  = "bad_timestamp"
	ReasonInsertFailure = "insert_rejected"
)

func derr(reason, format string, args ...any) *DecodeError {
	return &DecodeError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the reason code of a decode error ("" for nil).
func ReasonOf(err error) string {
	var de *DecodeError
	if errors.As(err, &de) {
		return de.Reason
	}
	if err == nil {
		return ""
	}
	return "error"
}

// Decoder parses contract events. It is safe for concurrent use.
type Decoder struct {
	states sync.Pool // *decodeState
	now    func() time.Time
	// maxTsMs caches now+MaxFutureSkew: a ts at or below a past value of
	// the bound is below the current one too, so the clock is read only
	// for a ts above the cached bound (rarely: the bound moves with time).
	maxTsMs atomic.Int64
	// interned holds low-cardinality values (shop, channel, sender, intent…)
	// as an immutable map replaced on write: reads take no lock and, with
	// m[string(b)], allocate nothing.
	interned atomic.Pointer[map[string]string]
	internMu sync.Mutex
}

// maxInterned bounds the intern table: a stream of ever-new values (many
// shops, hostile input) stops being interned and is just copied.
const maxInterned = 4096

func (d *Decoder) intern(b []byte) string {
	if m := d.interned.Load(); m != nil {
		if v, ok := (*m)[string(b)]; ok {
			return v
		}
	}
	s := string(b)
	if len(s) > 64 {
		return s
	}
	d.internMu.Lock()
	defer d.internMu.Unlock()
	old := d.interned.Load()
	if old != nil && len(*old) >= maxInterned {
		return s
	}
	next := make(map[string]string, 1+len(mapOrNil(old)))
	for k, v := range mapOrNil(old) {
		next[k] = v
	}
	next[s] = s
	d.interned.Store(&next)
	return s
}

func mapOrNil(m *map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	return *m
}

// decodeState is one decode's reusable scratch.
type decodeState struct {
	sc    scanner
	extra []byte
	items []itemCapture
}

// capture is a value kept for validation after the scan: its kind and,
// for a string its content, for a number its text.
type capture struct {
	kind jsonKind
	b    []byte
}

func (c capture) present() bool { return c.kind != kindInvalid && c.kind != kindNull }

// float is the number's value; ok is false for out-of-range numbers.
func (c capture) float() (float64, bool) {
	f, err := strconv.ParseFloat(bstr(c.b), 64)
	return f, err == nil
}

// itemCapture is one element of an order's items.
type itemCapture struct {
	kind                 jsonKind
	pid, sku, qty, price capture
}

// bstr views b as a string without copying, for a call that does not
// keep it.
func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// maxTs returns an upper bound for ts that is at least ts when the wall
// clock allows ts, reading the clock only when ts passes the cached bound.
func (d *Decoder) maxTs(ts int64) int64 {
	if bound := d.maxTsMs.Load(); ts <= bound {
		return bound
	}
	bound := d.now().Add(MaxFutureSkew).UnixMilli()
	d.maxTsMs.Store(bound)
	return bound
}

// NewDecoder returns a Decoder that checks timestamps against the wall clock.
func NewDecoder() *Decoder { return &Decoder{now: time.Now} }

// Decode parses and validates one raw event into e (which it resets).
// On error e is unspecified and the error is a *DecodeError. The strings
// of e are its own.
func (d *Decoder) Decode(raw []byte, e *Event) error { return d.decode(raw, e, nil) }

// decode is Decode with the high-cardinality strings of e copied into
// arena (nil: ordinary heap strings), so they live until the arena resets.
//
// One pass of the scanner both checks that the event is strict JSON and
// fills e: unknown fields are copied into extra in compact form, values
// that need checks after the scan (ts, amount, items…) are captured. The
// first problem found decides the reason, in this order: too large,
// invalid UTF-8, invalid JSON, not an object, then the fields.
func (d *Decoder) decode(raw []byte, e *Event, arena *strArena) error {
	*e = Event{Resolved: -1}
	if len(raw) > MaxEventBytes {
		return derr(ReasonTooLarge, "event is %d bytes, the limit is %d", len(raw), MaxEventBytes)
	}
	st, _ := d.states.Get().(*decodeState)
	if st == nil {
		st = new(decodeState)
	}
	defer d.states.Put(st)
	sc := &st.sc
	sc.reset(raw)
	syntax := func() error {
		if sc.badUTF8 || (sc.failed() && !utf8.Valid(raw)) {
			return derr(ReasonInvalidUTF8, "event is not valid UTF-8")
		}
		if sc.failed() {
			return derr(ReasonInvalidJSON, "%s", sc.synErr)
		}
		return nil
	}
	if k := sc.kind(); k != kindObject {
		sc.skip(nil)
		if !sc.atEnd() {
			sc.fail("unexpected data after the value")
		}
		if err := syntax(); err != nil {
			return err
		}
		return derr(ReasonNotObject, "an event must be a JSON object, got %s", k)
	}
	var (
		firstErr *DecodeError
		extra    = st.extra[:0]
		c        captured
	)
	st.items = st.items[:0]
	// str reads a string field; null leaves it as it was.
	str := func(key string, dst *string, intern bool) {
		k := sc.kind()
		if firstErr != nil || k != kindString {
			if firstErr == nil && k != kindNull && k != kindInvalid {
				firstErr = derr(ReasonWrongType, "%s must be a string, got %s", key, k)
			}
			sc.skip(nil)
			return
		}
		b := sc.str()
		if sc.failed() {
			return
		}
		if intern { // low-cardinality fields share one string per value
			*dst = d.intern(b)
		} else {
			*dst = arena.str(b)
		}
	}
	sc.members(func(rawKey, key []byte) {
		switch string(key) {
		case "event_id":
			str("event_id", &e.EventID, false)
		case "type":
			str("type", &e.Type, true)
		case "ts":
			c.ts = sc.capture()
		case "shop_id":
			str("shop_id", &e.ShopID, true)
		case "customer_id":
			str("customer_id", &e.CustomerID, false)
		case "channel":
			str("channel", &e.Channel, true)
		case "conversation_id":
			str("conversation_id", &e.ConversationID, false)
		case "product_id":
			str("product_id", &e.ProductID, false)
		case "message_id":
			str("message_id", &e.MessageID, false)
		case "sender":
			str("sender", &e.Sender, true)
		case "agent_id":
			str("agent_id", &e.AgentID, true)
		case "text":
			str("text", &e.Text, false)
		case "order_id":
			str("order_id", &e.OrderID, false)
		case "intent":
			str("intent", &e.Intent, true)
		case "intent_confidence":
			c.conf = sc.capture()
		case "bot_fallback":
			c.fallback = sc.capture()
		case "reason":
			str("reason", &e.Reason, true)
		case "resolved":
			c.resolved = sc.capture()
		case "score":
			c.score = sc.capture()
		case "status":
			str("status", &e.Status, true)
		case "amount":
			c.amount = sc.capture()
		case "currency":
			str("currency", &e.Currency, true)
		case "experiment":
			str("experiment", &e.Experiment, true)
		case "variant":
			str("variant", &e.Variant, true)
		case "items":
			c.items = capture{kind: sc.kind()}
			st.items, c.nItems = sc.items(st.items[:0])
		default:
			if len(extra) == 0 {
				extra = append(extra, '{')
			} else {
				extra = append(extra, ',')
			}
			extra = append(extra, rawKey...)
			extra = append(extra, ':')
			extra = sc.skip(extra)
		}
	})
	if !sc.failed() && !sc.atEnd() {
		sc.fail("unexpected data after the object")
	}
	st.extra = extra
	if err := syntax(); err != nil {
		return err
	}
	if firstErr != nil {
		return firstErr
	}
	if (e.Experiment != "" || e.Variant != "") && !carriesExperiment(e.Type) {
		extra = experimentToExtra(extra, e)
		st.extra = extra
	}
	if len(extra) > 0 {
		e.Extra = arena.str(append(extra, '}'))
	}
	if err := d.checkCommon(e, c.ts); err != nil {
		return err
	}
	return d.finish(e, &c, st.items, arena)
}

// captured are the fields the scan keeps raw, to be checked once the
// event's type is known.
type captured struct {
	ts, amount, resolved, score, conf, fallback, items capture
	nItems                                             int
}

// checkCommon checks the fields every event has: its id, type, time,
// shop and buyer.
func (d *Decoder) checkCommon(e *Event, tsVal capture) error {
	if err := requireID("event_id", e.EventID); err != nil {
		return err
	}
	if len(e.EventID) > MaxEventIDBytes {
		return derr(ReasonInvalidValue, "event_id is %d bytes, the limit is %d", len(e.EventID), MaxEventIDBytes)
	}
	if e.Type == "" {
		return derr(ReasonMissingField, "type is required")
	}
	if tsVal.kind == kindInvalid {
		return derr(ReasonMissingField, "ts is required")
	}
	ts, tsErr := parseTs(tsVal)
	if tsErr != nil {
		return tsErr
	}
	if ts < minTsMs || ts > d.maxTs(ts) {
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
	return nil
}

// finish checks and completes the fields of e's type.
func (d *Decoder) finish(e *Event, c *captured, items []itemCapture, arena *strArena) error {
	switch e.Type {
	case TypeConversationStarted:
		return requireID("conversation_id", e.ConversationID)
	case TypeMessage:
		return d.finishMessage(e, c.conf, c.fallback)
	case TypeHandoff:
		return finishHandoff(e)
	case TypeConversationEnded:
		return finishEnded(e, c.resolved)
	case TypeRating:
		return finishRating(e, c.score)
	case TypeOrder:
		return finishOrder(e, c.amount, c.items, items, c.nItems, arena)
	}
	return derr(ReasonUnknownType, "type %q is not one of %s", truncate(e.Type, 64), strings.Join(EventTypes, ", "))
}

func finishHandoff(e *Event) error {
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
}

func finishEnded(e *Event, resolved capture) error {
	if err := requireID("conversation_id", e.ConversationID); err != nil {
		return err
	}
	if resolved.present() {
		switch resolved.kind {
		case kindTrue:
			e.Resolved = 1
		case kindFalse:
			e.Resolved = 0
		default:
			return derr(ReasonWrongType, "resolved must be a boolean, got %s", resolved.kind)
		}
	}
	return nil
}

func finishRating(e *Event, score capture) error {
	if err := requireID("conversation_id", e.ConversationID); err != nil {
		return err
	}
	if !score.present() {
		return derr(ReasonMissingField, "score is required on a rating")
	}
	if score.kind != kindNumber {
		return derr(ReasonWrongType, "score must be an integer 1..5, got %s", score.kind)
	}
	f, _ := score.float()
	if f != math.Trunc(f) || f < 1 || f > 5 {
		return derr(ReasonInvalidValue, "score must be an integer 1..5, got %v", f)
	}
	e.Score = uint8(f)
	return nil
}

// capture reads a value kept for checks after the scan. A string's
// content is cloned when it sits in the scanner's unescape buffer.
func (s *scanner) capture() capture {
	c := capture{kind: s.kind()}
	switch c.kind {
	case kindString:
		c.b = s.str()
		if s.escaped {
			c.b = append([]byte(nil), c.b...)
		}
	case kindNumber:
		c.b = s.number()
	default:
		s.skip(nil)
	}
	return c
}

// items reads an order's items value: for an array, one itemCapture per
// element (the first maxItems; the rest are only checked and counted),
// with the first product_id, sku, qty and price of an object element.
func (s *scanner) items(dst []itemCapture) ([]itemCapture, int) {
	n := 0
	if s.kind() != kindArray {
		s.skip(nil)
		return dst, n
	}
	if s.depth++; s.depth > maxDepth {
		s.fail("nested too deep")
		return dst, n
	}
	defer func() { s.depth-- }()
	s.elements(func() {
		n++
		it := itemCapture{kind: s.kind()}
		if it.kind != kindObject {
			s.skip(nil)
		} else {
			s.members(func(_, key []byte) {
				var c *capture
				switch string(key) {
				case "product_id":
					c = &it.pid
				case "sku":
					c = &it.sku
				case "qty":
					c = &it.qty
				case "price":
					c = &it.price
				}
				if c != nil && c.kind == kindInvalid { // the first of duplicates counts
					*c = s.capture()
				} else {
					s.skip(nil)
				}
			})
		}
		if len(dst) < maxItems {
			dst = append(dst, it)
		}
	})
	return dst, n
}

func (d *Decoder) finishMessage(e *Event, conf, fallback capture) error {
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
	if conf.present() {
		if conf.kind != kindNumber {
			return derr(ReasonWrongType, "intent_confidence must be a number 0..1, got %s", conf.kind)
		}
		f, ok := conf.float()
		if !ok || math.IsNaN(f) || f < 0 || f > 1 {
			return derr(ReasonInvalidValue, "intent_confidence must be within 0..1, got %s", truncate(string(conf.b), 32))
		}
		e.IntentConfidence = float32(f)
	}
	if fallback.present() {
		switch fallback.kind {
		case kindTrue:
			e.BotFallback = true
		case kindFalse:
		default:
			return derr(ReasonWrongType, "bot_fallback must be a boolean, got %s", fallback.kind)
		}
	}
	return nil
}

func finishOrder(e *Event, amount, items capture, list []itemCapture, n int, arena *strArena) error {
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
	if !amount.present() {
		return derr(ReasonMissingField, "amount is required on an order")
	}
	cents, merr := parseMoney("amount", amount)
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
	if !items.present() {
		return nil
	}
	if items.kind != kindArray {
		return derr(ReasonWrongType, "items must be an array, got %s", items.kind)
	}
	if n > maxItems {
		return derr(ReasonInvalidValue, "items has %d entries, the limit is %d", n, maxItems)
	}
	e.Items = make([]OrderItem, 0, len(list))
	for i, it := range list {
		if it.kind != kindObject {
			return derr(ReasonWrongType, "items[%d] must be an object", i)
		}
		var item OrderItem
		if it.pid.kind != kindString {
			return derr(ReasonMissingField, "items[%d].product_id is required and must be a string", i)
		}
		item.ProductID = arena.str(it.pid.b)
		if it.sku.present() {
			if it.sku.kind != kindString {
				return derr(ReasonWrongType, "items[%d].sku must be a string", i)
			}
			item.SKU = arena.str(it.sku.b)
		}
		if it.qty.kind != kindNumber {
			return derr(ReasonMissingField, "items[%d].qty is required and must be a positive integer", i)
		}
		q, _ := it.qty.float()
		if q != math.Trunc(q) || q < 1 || q > 1e6 {
			return derr(ReasonInvalidValue, "items[%d].qty must be a positive integer, got %v", i, q)
		}
		item.Qty = uint32(q)
		if !it.price.present() {
			return derr(ReasonMissingField, "items[%d].price is required", i)
		}
		c, perr := parseMoney(fmt.Sprintf("items[%d].price", i), it.price)
		if perr != nil {
			return perr
		}
		item.PriceCents = c
		e.Items = append(e.Items, item)
	}
	return nil
}

// carriesExperiment reports whether events of type typ store experiment
// and variant in columns (contract v1.1); on other types they are unknown
// fields, kept in extra.
func carriesExperiment(typ string) bool {
	return typ == TypeConversationStarted || typ == TypeMessage
}

// experimentToExtra moves experiment and variant of an event whose type
// has no such columns into the extra object being built (a rare path: it
// may allocate).
func experimentToExtra(extra []byte, e *Event) []byte {
	for _, f := range [2]struct{ k, v string }{{"experiment", e.Experiment}, {"variant", e.Variant}} {
		if f.v == "" {
			continue
		}
		if len(extra) == 0 {
			extra = append(extra, '{')
		} else {
			extra = append(extra, ',')
		}
		v, _ := json.Marshal(f.v) // a string always marshals
		extra = append(append(append(append(extra, '"'), f.k...), '"', ':'), v...)
	}
	return extra
}

// checkExperiment enforces v1.1: an experiment needs its variant (an
// exposure without an arm cannot be counted anywhere). Surrounding blanks
// are dropped; a blank experiment is no experiment. A variant alone is
// kept: v1 sources may have sent a "variant" field of their own.
func checkExperiment(e *Event) error {
	e.Experiment = strings.TrimSpace(e.Experiment)
	e.Variant = strings.TrimSpace(e.Variant)
	if e.Experiment != "" && e.Variant == "" {
		return derr(ReasonMissingField, "variant is required with experiment %q (contract v1.1)", truncate(e.Experiment, 64))
	}
	return nil
}

// requireID returns an error (never a typed nil) when v is empty.
func requireID(name, v string) error {
	if v == "" {
		return derr(ReasonMissingField, "%s is required and must be a non-empty string", name)
	}
	return nil
}

// maxMoneyCents keeps amounts inside Decimal(18,2).
const maxMoneyCents = 1e17

// parseMoney reads a non-negative amount with at most 2 decimals, as a
// decimal string or a JSON number, into cents without float rounding.
func parseMoney(name string, v capture) (int64, *DecodeError) {
	var s string
	switch v.kind {
	case kindString:
		s = strings.TrimSpace(bstr(v.b))
	case kindNumber:
		s = bstr(v.b)
	default:
		return 0, derr(ReasonWrongType, "%s must be a decimal string or number, got %s", name, v.kind)
	}
	cents, ok := parseCents(s)
	if !ok {
		return 0, derr(ReasonInvalidValue, "%s %q must be a non-negative decimal with at most 2 decimals", name, truncate(s, 32))
	}
	return cents, nil
}

// parseCents parses "123", "123.4", "123.45" (also "1.2e2") into cents.
func parseCents(s string) (int64, bool) {
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return 0, false
		}
		c := math.Round(f * 100)
		if math.Abs(c-f*100) > 1e-6 || c > maxMoneyCents {
			return 0, false
		}
		return int64(c), true
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || len(frac) > 2 || len(intPart) > 15 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	var n int64
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int64(c-'0')
		}
	}
	return n, true
}

func parseTs(v capture) (int64, *DecodeError) {
	switch v.kind {
	case kindNumber:
		f, ok := v.float()
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
			return 0, derr(ReasonBadTimestamp, "ts must be integer epoch milliseconds, got %s", truncate(string(v.b), 32))
		}
		if math.Abs(f) > 1e15 {
			return 0, derr(ReasonBadTimestamp, "ts %s is out of range", truncate(string(v.b), 32))
		}
		return int64(f), nil
	case kindString:
		if ms, ok := rfc3339Millis(bstr(v.b)); ok {
			return ms, nil
		}
		s := string(v.b)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, derr(ReasonBadTimestamp, "ts %q is not RFC 3339 with an offset (2026-11-11T00:00:03.120+08:00) nor epoch milliseconds", truncate(s, 64))
		}
		return t.UnixMilli(), nil
	}
	return 0, derr(ReasonWrongType, "ts must be an RFC 3339 string or epoch milliseconds, got %s", v.kind)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
