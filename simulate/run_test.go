package simulate

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
)

func smallConfig() Config {
	c := DefaultConfig()
	c.Days = 6
	c.Shops = 2
	c.ConsultationsPerShopDay = 120
	return c
}

// collect runs cfg and returns the emitted lines (copied) and the tally.
func collect(t testing.TB, cfg Config) ([][]byte, *Tally) {
	t.Helper()
	var lines [][]byte
	tl, err := Run(cfg, func(b []byte) error {
		lines = append(lines, bytes.Clone(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines, tl
}

func digest(lines [][]byte) [32]byte {
	h := sha256.New()
	for _, l := range lines {
		h.Write(l)
		h.Write([]byte{'\n'})
	}
	var d [32]byte
	copy(d[:], h.Sum(nil))
	return d
}

func TestDeterministic(t *testing.T) {
	cfg := smallConfig()
	cfg.DuplicateRate = 0.02
	cfg.Anomalies = DemoAnomalies(cfg)
	a, ta := collect(t, cfg)
	b, tb := collect(t, cfg)
	if digest(a) != digest(b) {
		t.Fatal("same config gave different output")
	}
	ja, _ := json.Marshal(ta)
	jb, _ := json.Marshal(tb)
	if !bytes.Equal(ja, jb) {
		t.Fatal("same config gave different tallies")
	}
	cfg.Seed++
	c, _ := collect(t, cfg)
	if digest(a) == digest(c) {
		t.Fatal("different seeds gave the same output")
	}
	if !strings.Contains(string(c[0]), `"event_id":"sim-2-1"`) {
		t.Fatalf("event ids do not carry the seed: %s", c[0])
	}
}

var (
	tsRFC     = regexp.MustCompile(`"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00"`)
	tsEpoch   = regexp.MustCompile(`"ts":\d{13},`)
	amountFmt = regexp.MustCompile(`"amount":"\d+\.\d\d"`)
)

// TestContract decodes every line with the ingest decoder and checks what
// the contract and the simulator promise beyond it.
func TestContract(t *testing.T) {
	cfg := smallConfig()
	cfg.DuplicateRate = 0.01
	cfg.EnglishShare = 0.2
	cfg.Anomalies = DemoAnomalies(cfg)
	lines, tl := collect(t, cfg)
	dec := ingest.NewDecoder()
	seen := map[string][]byte{}
	type convState struct{ decided bool }
	convs := map[string]*convState{}
	var lastTs int64
	var ev ingest.Event
	for i, l := range lines {
		if !json.Valid(l) {
			t.Fatalf("line %d is not valid JSON: %s", i, l)
		}
		if err := decode(dec, l, &ev); err != nil {
			t.Fatalf("line %d rejected: %v\n%s", i, err, l)
		}
		if prev, ok := seen[ev.EventID]; ok {
			if !bytes.Equal(prev, l) {
				t.Fatalf("event_id %s reused for a different event", ev.EventID)
			}
			continue
		}
		seen[ev.EventID] = l
		if ev.TsMs < lastTs {
			t.Fatalf("line %d goes back in time: %d < %d", i, ev.TsMs, lastTs)
		}
		lastTs = ev.TsMs
		if ev.TsMs < cfg.Start.UnixMilli() || ev.TsMs >= cfg.End().UnixMilli() {
			t.Fatalf("line %d outside the period: %s", i, l)
		}
		if !tsRFC.Match(l) && !tsEpoch.Match(l) {
			t.Fatalf("line %d: ts is neither RFC 3339 +08:00 with ms nor epoch ms: %s", i, l)
		}
		if ev.Channel == "" && ev.Type != ingest.TypeOrder {
			t.Fatalf("line %d: chat event without channel: %s", i, l)
		}
		switch ev.Type {
		case ingest.TypeMessage:
			if ev.Sender == ingest.SenderAgent && ev.AgentID == "" {
				t.Fatalf("agent message without agent_id: %s", l)
			}
			if ev.Text == "" {
				t.Fatalf("empty text: %s", l)
			}
			if ev.BotFallback && !strings.Contains(ev.Text, "抱歉") && !strings.Contains(ev.Text, "Sorry") && !strings.Contains(ev.Text, "暂时") && !strings.Contains(ev.Text, "不好意思") {
				t.Fatalf("fallback without a fallback text: %s", l)
			}
			if ev.Sender == ingest.SenderCustomer {
				cs := convs[ev.ConversationID]
				if cs == nil {
					cs = &convState{}
					convs[ev.ConversationID] = cs
				}
				if !cs.decided && ev.Intent == "" {
					t.Fatalf("customer message before the first substantive one lacks an intent: %s", l)
				}
				if ev.Intent != "" && substantive(ev.Intent) {
					cs.decided = true
				}
				if ev.OrderID != "" && !strings.Contains(ev.Text, ev.OrderID) {
					t.Fatalf("order_id not in the text: %s", l)
				}
			}
		case ingest.TypeOrder:
			if !amountFmt.Match(l) {
				t.Fatalf("amount is not a 2-decimal string: %s", l)
			}
			if len(ev.Items) == 0 {
				t.Fatalf("order without items: %s", l)
			}
		}
	}
	if int64(len(lines)) != tl.LinesEmitted || int64(len(seen)) != tl.Events {
		t.Fatalf("tally says %d lines / %d events, got %d / %d", tl.LinesEmitted, tl.Events, len(lines), len(seen))
	}
	if tl.Duplicates == 0 {
		t.Fatal("duplicate_rate 0.01 produced no duplicates")
	}
}

// decode wraps ingest.Decoder.Decode, which can return a typed nil
// *DecodeError inside a non-nil error.
func decode(dec *ingest.Decoder, l []byte, ev *ingest.Event) error {
	err := dec.Decode(l, ev)
	var de *ingest.DecodeError
	if errors.As(err, &de) && de == nil {
		return nil
	}
	return err
}

func TestAppendString(t *testing.T) {
	f := func(in string) {
		t.Helper()
		b := appendString(nil, in)
		if !json.Valid(b) {
			t.Fatalf("%q → invalid JSON %s", in, b)
		}
		var out string
		if err := json.Unmarshal(b, &out); err != nil || out != in {
			t.Fatalf("%q → %s → %q (%v)", in, b, out, err)
		}
	}
	f("")
	f("亲，在吗")
	f(`a "quoted" \ back`)
	f("tab\tnew\nline\r\x00\x01\x1f\x7f")
	f("line\u2028sep\u2029")
	f("emoji 😀 ok")
}

func TestMoneyJSON(t *testing.T) {
	f := func(cents int64, want string) {
		t.Helper()
		b, _ := Money(cents).MarshalJSON()
		if string(b) != want {
			t.Fatalf("%d → %s, want %s", cents, b, want)
		}
		var m Money
		if err := m.UnmarshalJSON(b); err != nil || int64(m) != cents {
			t.Fatalf("%s → %d (%v)", b, m, err)
		}
	}
	f(0, `"0.00"`)
	f(5, `"0.05"`)
	f(12345, `"123.45"`)
	f(100, `"1.00"`)
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := func(mut func(*Config), want string) {
		t.Helper()
		c := DefaultConfig()
		mut(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("want an error containing %q, got %v", want, err)
		}
	}
	bad(func(c *Config) { c.Days = 0 }, "days")
	bad(func(c *Config) { c.Start = c.Start.Add(time.Hour) }, "midnight")
	bad(func(c *Config) { c.Start = time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC) }, "midnight")
	bad(func(c *Config) { c.PayRate = 1.5 }, "pay_rate")
	bad(func(c *Config) {
		c.Anomalies = []Anomaly{TopicSurge{Shop: "shop-09", Product: "x", Topic: "size", Day: 1, Factor: 3}}
	}, "shop")
	bad(func(c *Config) {
		c.Anomalies = []Anomaly{TopicSurge{Shop: "shop-01", Product: "p01-dress", Topic: "size", Day: 1, Factor: 3}}
	}, "not sold")
	bad(func(c *Config) {
		c.Anomalies = []Anomaly{TopicSurge{Shop: "shop-01", Product: "p01-nuts", Topic: "smell", Day: 1, Factor: 3}}
	}, "topic")
	bad(func(c *Config) {
		c.Anomalies = []Anomaly{DropoffSpike{Shop: "shop-01", Stage: "checkout", Week: 1, ExtraAbandon: 0.3}}
	}, "stage")
	bad(func(c *Config) {
		c.Anomalies = []Anomaly{DropoffSpike{Shop: "shop-01", Stage: "price", Week: 9, ExtraAbandon: 0.3}}
	}, "week")
	bad(func(c *Config) { c.Anomalies = []Anomaly{FallbackSpike{Shop: "shop-01", Day: 99, Rate: 0.3}} }, "day")
	c := DefaultConfig()
	c.Anomalies = DemoAnomalies(c)
	if err := c.Validate(); err != nil {
		t.Fatalf("demo anomalies: %v", err)
	}
}

func TestParseAnomaly(t *testing.T) {
	f := func(in string, want Anomaly) {
		t.Helper()
		got, err := ParseAnomaly(in)
		if err != nil || got != want {
			t.Fatalf("%q → %#v, %v; want %#v", in, got, err, want)
		}
	}
	f("topic_surge:shop=shop-01,product=p01-milk-powder,topic=shelf_life,day=30,factor=5",
		TopicSurge{Shop: "shop-01", Product: "p01-milk-powder", Topic: "shelf_life", Day: 30, Factor: 5})
	f("dropoff_spike:shop=shop-02,stage=shipping,week=4,extra=0.4", DropoffSpike{Shop: "shop-02", Stage: "shipping", Week: 4, ExtraAbandon: 0.4})
	f("fallback_spike:shop=shop-03,day=20,rate=0.5", FallbackSpike{Shop: "shop-03", Day: 20, Rate: 0.5})
	for _, in := range []string{"nope:shop=1", "fallback_spike:shop=shop-01,day=x,rate=1", "topic_surge:shop"} {
		if _, err := ParseAnomaly(in); err == nil {
			t.Fatalf("%q: want an error", in)
		}
	}
}

func BenchmarkRun(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Days = 7
	cfg.Anomalies = DemoAnomalies(cfg)
	var events int64
	b.ReportAllocs()
	for b.Loop() {
		tl, err := Run(cfg, func([]byte) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		events += tl.LinesEmitted
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
