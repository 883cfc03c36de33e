package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzNow is the decoder's clock in FuzzDecode, so verdicts on timestamps
// do not depend on when the fuzzer runs.
var fuzzNow = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

var knownReasons = []string{ReasonTooLarge, ReasonInvalidUTF8, ReasonInvalidJSON, ReasonNotObject, ReasonMissingField,
	ReasonWrongType, ReasonInvalidValue, ReasonUnknownType, ReasonBadTimestamp}

// FuzzDecode feeds the decoder arbitrary bytes: it never panics, every
// rejection carries a known reason, and every accepted event satisfies the
// contract and decodes to the same event once written back as contract JSON
// (so what is stored could have been sent as is).
//
//	go test ./ingest -run '^$' -fuzz FuzzDecode -fuzztime 20s
func FuzzDecode(f *testing.F) {
	addDecodeSeeds(f)
	d := NewDecoder()
	d.now = func() time.Time { return fuzzNow }
	f.Fuzz(func(t *testing.T, raw []byte) {
		// Decoding one event must not take seconds: a hang becomes a crasher.
		wd := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("decode hangs on %q", raw)) })
		defer wd.Stop()
		var e Event
		err := d.Decode(raw, &e)
		if err != nil {
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			if !slices.Contains(knownReasons, de.Reason) {
				t.Fatalf("unknown reason %q (%v)", de.Reason, err)
			}
			return
		}
		if !json.Valid(raw) {
			t.Fatalf("accepted %q, which is not strict JSON", raw)
		}
		checkContract(t, &e)
		again := encodeContract(&e)
		var e2 Event
		if err := d.Decode(again, &e2); err != nil {
			t.Fatalf("accepted %q, but its contract form %q is rejected: %v", raw, again, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("accepted %q as\n%+v\nbut its contract form %q decodes to\n%+v", raw, e, again, e2)
		}
	})
}

// checkContract fails t when an accepted event breaks the event contract.
func checkContract(t *testing.T, e *Event) {
	t.Helper()
	if e.EventID == "" || len(e.EventID) > MaxEventIDBytes {
		t.Fatalf("accepted event_id of %d bytes", len(e.EventID))
	}
	if !slices.Contains(EventTypes, e.Type) {
		t.Fatalf("accepted type %q", e.Type)
	}
	if e.TsMs < minTsMs || e.TsMs > fuzzNow.Add(MaxFutureSkew).UnixMilli() {
		t.Fatalf("accepted ts %d", e.TsMs)
	}
	if e.ShopID == "" || e.CustomerID == "" {
		t.Fatalf("accepted an event without shop_id or customer_id")
	}
	if e.Type != TypeOrder && e.ConversationID == "" {
		t.Fatalf("accepted a %s without conversation_id", e.Type)
	}
	for _, s := range []string{e.EventID, e.Type, e.ShopID, e.CustomerID, e.Channel, e.ConversationID, e.Text, e.Extra} {
		if !utf8.ValidString(s) {
			t.Fatalf("accepted a string that is not UTF-8: %q", s)
		}
	}
	if e.Extra != "" && !json.Valid([]byte(e.Extra)) {
		t.Fatalf("extra %q is not valid JSON", e.Extra)
	}
	switch e.Type {
	case TypeMessage:
		if len(e.Text) > MaxTextBytes || e.IntentConfidence < 0 || e.IntentConfidence > 1 {
			t.Fatalf("accepted message text of %d bytes, confidence %v", len(e.Text), e.IntentConfidence)
		}
		if e.Sender != SenderCustomer && e.Sender != SenderBot && (e.Sender != SenderAgent || e.AgentID == "") {
			t.Fatalf("accepted sender %q agent %q", e.Sender, e.AgentID)
		}
	case TypeRating:
		if e.Score < 1 || e.Score > 5 {
			t.Fatalf("accepted score %d", e.Score)
		}
	case TypeOrder:
		if e.OrderID == "" || e.AmountCents < 0 || e.AmountCents > maxMoneyCents || len(e.Currency) != 3 {
			t.Fatalf("accepted order %q amount %d currency %q", e.OrderID, e.AmountCents, e.Currency)
		}
		for _, it := range e.Items {
			if it.ProductID == "" || it.Qty < 1 || it.PriceCents < 0 {
				t.Fatalf("accepted item %+v", it)
			}
		}
	}
}

// encodeContract writes e back as contract JSON: every field the decoder
// filled, then the extra fields as they were kept.
func encodeContract(e *Event) []byte {
	b := []byte{'{'}
	str := func(k, v string) {
		if v == "" {
			return
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(v)
		b = append(append(append(b, kb...), ':'), vb...)
	}
	lit := func(k, v string) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(append(append(b, strconv.Quote(k)...), ':'), v...)
	}
	money := func(c int64) string {
		return strconv.Quote(strconv.FormatInt(c/100, 10) + "." + strconv.FormatInt(c%100+100, 10)[1:])
	}
	str("event_id", e.EventID)
	str("type", e.Type)
	lit("ts", strconv.FormatInt(e.TsMs, 10))
	str("shop_id", e.ShopID)
	str("customer_id", e.CustomerID)
	str("channel", e.Channel)
	str("conversation_id", e.ConversationID)
	str("product_id", e.ProductID)
	str("message_id", e.MessageID)
	str("sender", e.Sender)
	str("agent_id", e.AgentID)
	str("text", e.Text)
	str("order_id", e.OrderID)
	str("intent", e.Intent)
	str("reason", e.Reason)
	str("status", e.Status)
	str("currency", e.Currency)
	if carriesExperiment(e.Type) {
		str("experiment", e.Experiment)
		str("variant", e.Variant)
	}
	if e.IntentConfidence != 0 {
		lit("intent_confidence", strconv.FormatFloat(float64(e.IntentConfidence), 'g', -1, 32))
	}
	if e.BotFallback {
		lit("bot_fallback", "true")
	}
	if e.Resolved >= 0 {
		lit("resolved", strconv.FormatBool(e.Resolved == 1))
	}
	if e.Type == TypeRating {
		lit("score", strconv.Itoa(int(e.Score)))
	}
	if e.Type == TypeOrder {
		lit("amount", money(e.AmountCents))
		if e.Items != nil {
			items := []byte{'['}
			for i, it := range e.Items {
				if i > 0 {
					items = append(items, ',')
				}
				pid, _ := json.Marshal(it.ProductID)
				items = append(append(append(items, `{"product_id":`...), pid...), ',')
				if it.SKU != "" {
					sku, _ := json.Marshal(it.SKU)
					items = append(append(append(items, `"sku":`...), sku...), ',')
				}
				items = append(items, `"qty":`+strconv.FormatUint(uint64(it.Qty), 10)+`,"price":`+money(it.PriceCents)+`}`...)
			}
			lit("items", string(append(items, ']')))
		}
	}
	if len(e.Extra) > 2 {
		b = append(append(b, ','), e.Extra[1:len(e.Extra)-1]...)
	}
	return append(b, '}')
}

// FuzzDecodeSameAsReference holds the single-pass decoder to the verdicts
// of the previous fastjson-based one (decode_reference_test.go): the same
// reason for every rejected input, the same event for every accepted one
// (extra may differ in spelling, not in meaning: it keeps escapes as sent).
func FuzzDecodeSameAsReference(f *testing.F) {
	addDecodeSeeds(f)
	d := NewDecoder()
	d.now = func() time.Time { return fuzzNow }
	var arena strArena
	f.Fuzz(func(t *testing.T, raw []byte) {
		var got, want Event
		errGot := d.decode(raw, &got, &arena)
		errWant := refDecode(d, raw, &want)
		arena.reset()
		if len(raw) <= MaxEventBytes && utf8.Valid(raw) && !json.Valid(raw) {
			// The reference let some invalid JSON through (a raw control
			// character in a string that also has an escape); the scanner
			// must not.
			if ReasonOf(errGot) != ReasonInvalidJSON {
				t.Fatalf("%q is not JSON, but the reason is %q (%v)", raw, ReasonOf(errGot), errGot)
			}
			return
		}
		if ReasonOf(errGot) != ReasonOf(errWant) {
			t.Fatalf("%q: reason %q (%v), the reference says %q (%v)", raw, ReasonOf(errGot), errGot, ReasonOf(errWant), errWant)
		}
		if errGot != nil {
			return
		}
		if !sameJSON(got.Extra, want.Extra) {
			t.Fatalf("%q: extra %s, the reference has %s", raw, got.Extra, want.Extra)
		}
		got.Extra, want.Extra = "", ""
		if len(got.Items) == 0 && len(want.Items) == 0 {
			got.Items, want.Items = nil, nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q decodes to\n%+v\nthe reference to\n%+v", raw, got, want)
		}
	})
}

func sameJSON(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// addDecodeSeeds seeds a decoder fuzzer with every event type, malformed
// JSON and the hostile corpus (ingest/testdata/hostile).
func addDecodeSeeds(f *testing.F) {
	for _, s := range []string{
		`{"event_id":"e1","type":"conversation_started","ts":"2026-11-11T00:00:03.120+08:00","shop_id":"s","customer_id":"c","conversation_id":"k","product_id":"p"}`,
		`{"event_id":"e2","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","channel":" TMall ","conversation_id":"k","sender":"customer","text":"这个有货吗 13812345678","intent":"stock","intent_confidence":0.5}`,
		`{"event_id":"e3","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"agent","agent_id":"a1","text":"<script>alert(1)</script>","x":{"y":[1,2,{"z":null}]}}`,
		`{"event_id":"e4","type":"handoff","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","reason":"low_confidence"}`,
		`{"event_id":"e5","type":"conversation_ended","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","resolved":true}`,
		`{"event_id":"e6","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":5}`,
		`{"event_id":"e7","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"paid","amount":"12.30","currency":"usd","items":[{"product_id":"p","sku":"k","qty":2,"price":6.15}]}`,
		`{"event_id":"e8","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"refunded","amount":1.2e2,"items":[]}`,
		`{"event_id":"e9","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"bot","text":"\ud800 \u0000 \\q","bot_fallback":false,"note":NaN}`,
		`{"event_id":"e10","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":5,"n":1.2.3}`,
		`{"event_id":"e11","type":"conversation_started","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","experiment":"ship-2026-11","variant":" control "}`,
		`{"event_id":"e12","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"bot","text":"限时包邮","experiment":"ship","variant":"hint"}`,
		`{"event_id":"e13","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"bot","text":"x","experiment":"ship"}`,
		`{"event_id":"e14","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"paid","amount":"1","experiment":"ship","variant":"a\"b"}`,
		`{"event_id":"e15","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"paid","amount":"1","variant":"red"}`,
		`[1,2]`, `null`, `{}`, `{"event_id":"x"`, "\xff\xfe", `{"ts":-1e400}`,
	} {
		f.Add([]byte(s))
	}
	if files, err := filepath.Glob("testdata/hostile/*.json"); err == nil {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(bytes.TrimSuffix(b, []byte("\n")))
			}
		}
	}
}
