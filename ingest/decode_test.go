package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeValid(t *testing.T) {
	d := NewDecoder()
	f := func(raw string, check func(e *Event) string) {
		t.Helper()
		var e Event
		if err := d.Decode([]byte(raw), &e); err != nil {
			t.Fatalf("Decode(%s): %v", raw, err)
		}
		if msg := check(&e); msg != "" {
			t.Fatalf("Decode(%s): %s (got %+v)", raw, msg, e)
		}
	}
	f(`{"event_id":"e1","type":"message","ts":"2026-11-11T00:00:03.120+08:00","shop_id":"s","customer_id":"c","channel":" TaoBao ","conversation_id":"k","sender":"customer","text":"包邮吗","intent":"shipping_fee","intent_confidence":0.9}`,
		func(e *Event) string {
			want := time.Date(2026, 11, 10, 16, 0, 3, 120e6, time.UTC).UnixMilli()
			switch {
			case e.TsMs != want:
				return "ts not parsed to epoch ms"
			case e.Channel != "taobao":
				return "channel not lower-cased and trimmed"
			case e.Intent != "shipping_fee" || e.IntentConfidence < 0.89:
				return "intent fields lost"
			case e.Resolved != -1:
				return "resolved should be unknown"
			}
			return ""
		})
	f(`{"event_id":"e2","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o1","status":"paid","amount":"199.9","items":[{"product_id":"p","qty":2,"price":99.95}],"coupon":"X1","nested":{"a":[1,2]}}`,
		func(e *Event) string {
			switch {
			case e.TsMs != 1762790403120:
				return "epoch ms ts"
			case e.AmountCents != 19990:
				return "amount cents"
			case e.Currency != "CNY":
				return "default currency"
			case len(e.Items) != 1 || e.Items[0].PriceCents != 9995 || e.Items[0].Qty != 2:
				return "items"
			case e.Extra != `{"coupon":"X1","nested":{"a":[1,2]}}`:
				return "unknown fields must be kept in extra, got " + e.Extra
			}
			return ""
		})
	f(`{"event_id":"e3","type":"conversation_ended","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","resolved":true}`,
		func(e *Event) string {
			if e.Resolved != 1 {
				return "resolved"
			}
			return ""
		})
	f(`{"event_id":"e4","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":5}`,
		func(e *Event) string {
			if e.Score != 5 {
				return "score"
			}
			return ""
		})
	f(`{"event_id":"e5","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"agent","agent_id":"a1","text":""}`,
		func(e *Event) string { return "" })
	f(`{"event_id":"e6","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"refunded","amount":0}`,
		func(e *Event) string {
			if e.AmountCents != 0 {
				return "zero amount"
			}
			return ""
		})
	// v1.1: experiment and variant on conversation_started and bot messages.
	f(`{"event_id":"e7","type":"conversation_started","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","experiment":"ship-2026-11","variant":" free-shipping-hint "}`,
		func(e *Event) string {
			if e.Experiment != "ship-2026-11" || e.Variant != "free-shipping-hint" || e.Extra != "" {
				return "experiment/variant not decoded (trimmed) into their fields"
			}
			return ""
		})
	f(`{"event_id":"e8","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"bot","text":"限时包邮","experiment":"ship","variant":"limited"}`,
		func(e *Event) string {
			if e.Experiment != "ship" || e.Variant != "limited" {
				return "experiment on a bot message"
			}
			return ""
		})
	// On a type without the columns they are unknown fields, kept in extra;
	// a variant alone (a v1 source's own field) is kept too.
	f(`{"event_id":"e9","type":"order","ts":1762790403120,"shop_id":"s","customer_id":"c","order_id":"o","status":"paid","amount":1,"experiment":"ship","variant":"limited"}`,
		func(e *Event) string {
			if e.Extra != `{"experiment":"ship","variant":"limited"}` {
				return "experiment on an order must stay in extra, got " + e.Extra
			}
			return ""
		})
	f(`{"event_id":"e10","type":"message","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","sender":"bot","text":"x","variant":"red"}`,
		func(e *Event) string {
			if e.Experiment != "" || e.Variant != "red" {
				return "a variant alone is kept"
			}
			return ""
		})
}

func TestDecodeRejects(t *testing.T) {
	d := NewDecoder()
	ok := `"event_id":"e","ts":1762790403120,"shop_id":"s","customer_id":"c"`
	f := func(raw, reason, detailPart string) {
		t.Helper()
		var e Event
		err := d.Decode([]byte(raw), &e)
		if err == nil {
			t.Fatalf("Decode(%.80s) accepted, want %s", raw, reason)
		}
		if got := ReasonOf(err); got != reason {
			t.Fatalf("Decode(%.80s) reason %q (%v), want %q", raw, got, err, reason)
		}
		if !strings.Contains(err.Error(), detailPart) {
			t.Fatalf("Decode(%.80s) error %q does not mention %q", raw, err, detailPart)
		}
	}
	f(`{"event_id":`, ReasonInvalidJSON, "")
	f(`{`+ok+`,"type":"conversation_started","conversation_id":"k","experiment":"ship"}`, ReasonMissingField, "variant")
	f(`{`+ok+`,"type":"message","conversation_id":"k","sender":"bot","text":"x","experiment":"ship","variant":" "}`, ReasonMissingField, "variant")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":1,"experiment":"ship"}`, ReasonMissingField, "variant")
	f(`{`+ok+`,"type":"conversation_started","conversation_id":"k","experiment":1,"variant":"a"}`, ReasonWrongType, "experiment")
	f(`[1,2]`, ReasonNotObject, "object")
	f("{\"event_id\":\"\xff\"}", ReasonInvalidUTF8, "UTF-8")
	f(`{"type":"rating","ts":1,"shop_id":"s","customer_id":"c"}`, ReasonMissingField, "event_id")
	f(`{`+ok+`,"type":"tweet"}`, ReasonUnknownType, "tweet")
	f(`{`+ok+`}`, ReasonMissingField, "type")
	f(`{"event_id":"e","type":"rating","shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ReasonMissingField, "ts")
	f(`{"event_id":"e","type":"rating","ts":"yesterday","shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ReasonBadTimestamp, "RFC 3339")
	f(`{"event_id":"e","type":"rating","ts":-5,"shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ReasonBadTimestamp, "outside")
	f(`{"event_id":"e","type":"rating","ts":"2999-01-01T00:00:00Z","shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ReasonBadTimestamp, "outside")
	f(`{"event_id":7,"type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c"}`, ReasonWrongType, "event_id must be a string")
	f(`{`+ok+`,"type":"rating","conversation_id":"k","score":"5"}`, ReasonWrongType, "score")
	f(`{`+ok+`,"type":"rating","conversation_id":"k","score":6}`, ReasonInvalidValue, "1..5")
	f(`{`+ok+`,"type":"rating","conversation_id":"k","score":4.5}`, ReasonInvalidValue, "1..5")
	f(`{`+ok+`,"type":"message","conversation_id":"k","sender":"robot","text":"x"}`, ReasonInvalidValue, "sender")
	f(`{`+ok+`,"type":"message","conversation_id":"k","sender":"agent","text":"x"}`, ReasonMissingField, "agent_id")
	f(`{`+ok+`,"type":"message","sender":"bot","text":"x"}`, ReasonMissingField, "conversation_id")
	f(`{`+ok+`,"type":"message","conversation_id":"k","sender":"bot","text":"x","bot_fallback":"yes"}`, ReasonWrongType, "bot_fallback")
	f(`{`+ok+`,"type":"message","conversation_id":"k","sender":"bot","text":"`+strings.Repeat("x", MaxTextBytes+1)+`"}`, ReasonInvalidValue, "text")
	f(`{`+ok+`,"type":"handoff","conversation_id":"k","reason":"bored"}`, ReasonInvalidValue, "reason")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":-1}`, ReasonInvalidValue, "amount")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":"1.234"}`, ReasonInvalidValue, "amount")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":"NaN"}`, ReasonInvalidValue, "amount")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid"}`, ReasonMissingField, "amount")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"shipped","amount":1}`, ReasonInvalidValue, "status")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":1,"items":[{"product_id":"p","qty":0,"price":1}]}`, ReasonInvalidValue, "qty")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":1,"items":"p1"}`, ReasonWrongType, "items")
	f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":1,"currency":"YUAN"}`, ReasonInvalidValue, "currency")
	f(`{"event_id":"`+strings.Repeat("x", 129)+`","type":"rating","ts":1762790403120,"shop_id":"s","customer_id":"c","conversation_id":"k","score":3}`, ReasonInvalidValue, "128")
	f(strings.Repeat("[", 400)+strings.Repeat("]", 400), ReasonInvalidJSON, "")
	f(`{"x":"`+strings.Repeat("y", MaxEventBytes)+`"}`, ReasonTooLarge, "limit")
	// Numbers a lenient parser takes but JSON does not, in every place a
	// number can be, with and without an escape elsewhere in the event.
	for _, n := range []string{"NaN", "-Inf", "01", "1.", ".5", "+1", "1.2.3", "1e", "--1", "1e+"} {
		for _, tail := range []string{``, `,"t":"a\\b"`} {
			f(`{`+ok+`,"type":"rating","conversation_id":"k","score":`+n+tail+`}`, ReasonInvalidJSON, "")
			f(`{`+ok+`,"type":"rating","conversation_id":"k","score":5,"x":{"y":[1,`+n+`]}`+tail+`}`, ReasonInvalidJSON, "")
			f(`{`+ok+`,"type":"order","order_id":"o","status":"paid","amount":1,"items":[{"product_id":"p","qty":1,"price":1,"z":`+n+`}]`+tail+`}`, ReasonInvalidJSON, "")
		}
	}
	// Raw control characters and bad escapes inside strings.
	f("{"+ok+",\"type\":\"rating\",\"conversation_id\":\"k\tk\",\"score\":5}", ReasonInvalidJSON, "")
	f(`{`+ok+`,"type":"rating","conversation_id":"k\q","score":5}`, ReasonInvalidJSON, "")
	f(`{`+ok+`,"type":"rating","conversation_id":"k","score":5,"x":"\x"}`, ReasonInvalidJSON, "")
}

func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "-12", "1.5", "0.25", "1e9", "1E+9", "2.5e-3", "1762790403120"} {
		if !validNumber([]byte(s)) {
			t.Errorf("validNumber(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "1.2.3", "NaN", "Inf", "0x10", "1_000"} {
		if validNumber([]byte(s)) {
			t.Errorf("validNumber(%q) = true", s)
		}
	}
}

// TestArenaStrings: strings handed out by the arena keep their bytes until
// reset, across chunk boundaries and for oversized strings, and a reset
// reuses the chunks instead of allocating.
func TestArenaStrings(t *testing.T) {
	var a strArena
	var got, want []string
	for i := 0; i < 5000; i++ {
		s := strings.Repeat(string(rune('a'+i%26)), i%300)
		if i%1000 == 999 {
			s = strings.Repeat("z", arenaMaxStr+1)
		}
		got = append(got, a.str([]byte(s)))
		want = append(want, s)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d changed: %.20q…, want %.20q…", i, got[i], want[i])
		}
	}
	chunks := len(a.chunks)
	if chunks < 2 {
		t.Fatalf("%d chunks for %d KiB of strings", chunks, 5000*150/1024)
	}
	a.reset()
	for i := 0; i < 5000; i++ {
		a.str([]byte(want[i%len(want)][:min(len(want[i%len(want)]), 299)]))
	}
	if len(a.chunks) != chunks {
		t.Fatalf("reset arena grew from %d to %d chunks", chunks, len(a.chunks))
	}
	if allocs := testing.AllocsPerRun(100, func() { a.reset(); a.str([]byte("abc")) }); allocs != 0 {
		t.Fatalf("arena string allocates %v times", allocs)
	}
	var nilArena *strArena
	if s := nilArena.str([]byte("x")); s != "x" {
		t.Fatalf("nil arena gave %q", s)
	}
}

func TestParseCents(t *testing.T) {
	f := func(s string, want int64, wantOK bool) {
		t.Helper()
		got, ok := parseCents(s)
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("parseCents(%q) = %d, %v; want %d, %v", s, got, ok, want, wantOK)
		}
	}
	f("0", 0, true)
	f("12", 1200, true)
	f("12.3", 1230, true)
	f("12.34", 1234, true)
	f("1.5e2", 15000, true)
	f("12.345", 0, false)
	f("-1", 0, false)
	f("1,000", 0, false)
	f("", 0, false)
	f(".5", 0, false)
	f("1e400", 0, false)
}

func BenchmarkDecode(b *testing.B) {
	d := NewDecoder()
	raw := []byte(`{"event_id":"sim-1-123456","type":"message","ts":"2026-11-11T10:00:03.120+08:00","shop_id":"shop-01","customer_id":"c-000123","channel":"taobao","conversation_id":"conv-1-99","message_id":"m-1","sender":"customer","text":"亲，这款奶粉保质期到什么时候？包邮吗","product_id":"p01-milk-powder","intent":"product_info"}`)
	var e Event
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Decode(raw, &e); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRFC3339Millis: the fast path agrees with time.Parse wherever it
// accepts, and accepts the forms sources send.
func TestRFC3339Millis(t *testing.T) {
	for _, s := range []string{"2026-11-11T00:00:03.120+08:00", "2026-11-11T00:00:03Z", "2024-02-29T23:59:59.999999999-05:30",
		"2000-01-01T00:00:00.1+00:00", "1969-12-31T23:59:59.5Z", "2026-03-01T00:00:00+14:00"} {
		ms, ok := rfc3339Millis(s)
		want, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil || ms != want.UnixMilli() {
			t.Errorf("rfc3339Millis(%q) = %d, %v; time.Parse: %d, %v", s, ms, ok, want.UnixMilli(), err)
		}
	}
	for _, s := range []string{"2026-02-29T00:00:00Z", "2026-11-11T24:00:00Z", "2026-11-11T00:00:60Z", "2026-11-11 00:00:00Z",
		"2026-11-11T00:00:00.Z", "2026-11-11T00:00:00+0800", "2026-11-11T00:00:00", "２０２６-11-11T00:00:00Z", "2026-13-01T00:00:00Z"} {
		if ms, ok := rfc3339Millis(s); ok {
			if want, err := time.Parse(time.RFC3339Nano, s); err != nil || want.UnixMilli() != ms {
				t.Errorf("rfc3339Millis(%q) accepted %d; time.Parse: %v", s, ms, err)
			}
		}
	}
}

func FuzzRFC3339Millis(f *testing.F) {
	f.Add("2026-11-11T00:00:03.120+08:00")
	f.Add("1999-12-31T23:59:59Z")
	f.Fuzz(func(t *testing.T, s string) {
		ms, ok := rfc3339Millis(s)
		if !ok {
			return
		}
		want, err := time.Parse(time.RFC3339Nano, s)
		if err != nil || want.UnixMilli() != ms {
			t.Fatalf("rfc3339Millis(%q) = %d; time.Parse: %d, %v", s, ms, want.UnixMilli(), err)
		}
	})
}

// BenchmarkDecodeArena is the decoder as the pipeline runs it: strings
// into a batch arena.
func BenchmarkDecodeArena(b *testing.B) {
	d := NewDecoder()
	raw := []byte(`{"event_id":"sim-1-123456","type":"message","ts":"2026-11-11T10:00:03.120+08:00","shop_id":"shop-01","customer_id":"c-000123","channel":"taobao","conversation_id":"conv-1-99","message_id":"m-1","sender":"customer","text":"亲，这款奶粉保质期到什么时候？包邮吗","product_id":"p01-milk-powder","intent":"product_info"}`)
	var e Event
	var a strArena
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%10000 == 0 {
			a.reset()
		}
		if err := d.decode(raw, &e, &a); err != nil {
			b.Fatal(err)
		}
	}
}
