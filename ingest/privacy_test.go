package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMaskExtra(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		got := MaskExtra(in)
		if got != want {
			t.Fatalf("MaskExtra(%s)\n got %s\nwant %s", in, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Fatalf("MaskExtra(%s) = %s is not JSON", in, got)
		}
	}
	// fields named as personal data: the whole value, whatever it is
	f(`{"buyer_phone":"13812345678"}`, `{"buyer_phone":"[PII]"}`)
	f(`{"id_card":"110105 19491231 002X","v":2}`, `{"id_card":"[PII]","v":2}`)
	f(`{"buyerTel":12345}`, `{"buyerTel":"[PII]"}`)
	f(`{"收货地址":{"city":"杭州","street":"文三路"}}`, `{"收货地址":"[PII]"}`)
	f(`{"Email":["a@b.cn"],"n":1}`, `{"Email":"[PII]","n":1}`)
	f(`{"x":{"receiver":{"name":"张三"}}}`, `{"x":{"receiver":"[PII]"}}`)
	// other fields: what Mask finds in strings and long numbers
	f(`{"note":"call 138 1234 5678"}`, `{"note":"call [PHONE]"}`)
	f(`{"note":"号码138\u200b1234\u200b5678"}`, `{"note":"号码[PHONE]"}`)
	f(`{"contact_no":1,"n":13812345678}`, `{"contact_no":"[PII]","n":"[PHONE]"}`)
	f(`{"list":["ok","13812345678abc"]}`, `{"list":["ok","[PHONE]abc"]}`)
	// nothing to mask: the same string back
	for _, s := range []string{`{"hotel_id":"h1","paid_note":"x","order_no":"2012345678901234567","v":1.5,"ok":true,"z":null}`, `{}`, `{"product_name":"有机坚果礼盒"}`} {
		if got := MaskExtra(s); got != s {
			t.Fatalf("MaskExtra(%s) = %s, want it unchanged", s, got)
		}
	}
	// not JSON (cannot come from the decoder): replaced whole
	f(`{"a":`, `{"extra":"[PII]"}`)
}

func TestMaskExtraNoAlloc(t *testing.T) {
	s := `{"campaign":"double11","v":2,"ab":"b"}`
	if n := testing.AllocsPerRun(100, func() { MaskExtra(s) }); n != 0 {
		t.Fatalf("MaskExtra allocated %v times with nothing to mask", n)
	}
}

func TestDeadLetterMasked(t *testing.T) {
	raw := []byte(`{"event_id":"e1","ts":"bad","text":"我的手机13812345678 身份证110105 19491231 002X \u2012 邮箱 zhangsan＠example.com"}`)
	big := append([]byte(strings.Repeat("x", MaxDeadLetterRaw)), " 13812345678"...)
	d := DeadLetter{Reason: ReasonBadTimestamp, Detail: `ts "13812345678" is out of range`, Raw: raw}.Masked()
	for _, leak := range []string{"13812345678", "19491231", "zhangsan"} {
		if strings.Contains(string(d.Raw), leak) || strings.Contains(d.Detail, leak) {
			t.Fatalf("masked dead letter keeps %s: raw %s detail %s", leak, d.Raw, d.Detail)
		}
	}
	if !strings.Contains(string(d.Raw), `"ts":"bad"`) {
		t.Fatalf("masking lost what was wrong: %s", d.Raw)
	}
	if d := (DeadLetter{Raw: big}).Masked(); len(d.Raw) != MaxDeadLetterRaw {
		t.Fatalf("raw head is %d bytes, want %d", len(d.Raw), MaxDeadLetterRaw)
	}
}

func TestPipelineMasksExtraAndReason(t *testing.T) {
	e := Event{Type: TypeHandoff, Reason: "other", Extra: `{"buyer_phone":"13812345678","memo":"电话 138.1234.5678"}`}
	maskEvent(&e)
	if strings.Contains(e.Extra, "1381") || !json.Valid([]byte(e.Extra)) {
		t.Fatalf("extra %s", e.Extra)
	}
	// Field names in traditional characters mark personal data too; the
	// values are not recognisable as such on their own.
	e = Event{Type: TypeHandoff, Reason: "other", Extra: `{"收貨人聯絡":"陳大文","護照":"K1234567X"}`}
	maskEvent(&e)
	if strings.Contains(e.Extra, "陳大文") || strings.Contains(e.Extra, "K1234567X") || !json.Valid([]byte(e.Extra)) {
		t.Fatalf("extra %s", e.Extra)
	}
}

// TestJSONLByteOrderMark: a file that starts with a UTF-8 BOM keeps its
// first event.
func TestJSONLByteOrderMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bom.jsonl")
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := make(chan Batch, 4)
	if err := (&JSONLSource{Path: path}).Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for b := range out {
		for _, r := range b.Records {
			got = append(got, string(r.Value))
		}
	}
	if len(got) != 2 || got[0] != `{"a":1}` {
		t.Fatalf("records %q, want the BOM dropped from the first", got)
	}
}

// TestMaxDeadLetters: a file of garbage stops at the cap instead of
// being copied into the dead letters whole.
func TestMaxDeadLetters(t *testing.T) {
	conn, _ := chtest.New(t)
	path := filepath.Join(t.TempDir(), "garbage.jsonl")
	if err := os.WriteFile(path, []byte(strings.Repeat("not an event 13812345678\n", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := NewPipeline(Options{Writer: NewWriter(conn, nil, nil), MaxDeadLetters: 25, Workers: 1})
	err := p.RunSource(context.Background(), &JSONLSource{Path: path, Rows: 10})
	var tm *TooManyDeadLettersError
	if !errors.As(err, &tm) || !strings.Contains(err.Error(), "limit is 25") {
		t.Fatalf("err %v, want a TooManyDeadLettersError", err)
	}
	var n uint64
	if err := conn.QueryRow(context.Background(), "SELECT count() FROM dead_letters WHERE position(raw, '13812345678') = 0").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 25 || n > 35 {
		t.Fatalf("%d dead letters stored, want 25..35 (the cap plus at most one batch)", n)
	}
}
