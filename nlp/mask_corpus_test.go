package nlp

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// piiCase is one line of nlp/testdata/pii: text, what it must become and the
// raw value that must not survive.
type piiCase struct{ kind, text, raw string }

func readPIIFile(t testing.TB, name string, cols int) []piiCase {
	t.Helper()
	f, err := os.Open("testdata/pii/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []piiCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			t.Fatalf("%s:%d: %d columns, want %d", name, n, len(f), cols)
		}
		c := piiCase{kind: f[0]}
		if c.text, err = strconv.Unquote(f[1]); err != nil {
			t.Fatalf("%s:%d: text: %v", name, n, err)
		}
		if cols > 2 {
			if c.raw, err = strconv.Unquote(f[2]); err != nil {
				t.Fatalf("%s:%d: raw: %v", name, n, err)
			}
		}
		out = append(out, c)
	}
	return out
}

// viewDigits returns the digits of s as the masking scan reads them
// (full-width digits as ASCII, invisible characters dropped).
func viewDigits(s string) string {
	v := newMaskView(s)
	var b strings.Builder
	for i := 0; i < len(v.text); i++ {
		if isDigit(v.text[i]) {
			b.WriteByte(v.text[i])
		}
	}
	return b.String()
}

func TestMaskPIICorpus(t *testing.T) {
	cases := readPIIFile(t, "corpus.tsv", 3)
	if len(cases) < 40 {
		t.Fatalf("only %d corpus lines", len(cases))
	}
	for _, c := range cases {
		got := Mask(c.text)
		if !strings.Contains(got, "["+c.kind+"]") {
			t.Errorf("Mask(%q) = %q, want a [%s]", c.text, got, c.kind)
		}
		if strings.Contains(got, c.raw) {
			t.Errorf("Mask(%q) = %q keeps %q", c.text, got, c.raw)
		}
		if d := viewDigits(c.raw); len(d) >= 7 && strings.Contains(viewDigits(got), d) {
			t.Errorf("Mask(%q) = %q keeps the digits %s", c.text, got, d)
		}
		// Masking is idempotent and survives being written into JSON.
		if again := Mask(got); again != got {
			t.Errorf("Mask(Mask(%q)) = %q, not %q", c.text, again, got)
		}
		esc := strconv.QuoteToASCII(c.text) // \u escapes, as a JSON encoder may send them
		if m := Mask(esc); strings.Contains(viewDigits(m), viewDigits(c.raw)) && len(viewDigits(c.raw)) >= 7 {
			t.Errorf("Mask(%s) = %s keeps the digits of %q", esc, m, c.raw)
		}
	}
}

func TestMaskLeavesOrdinaryNumbers(t *testing.T) {
	cases := readPIIFile(t, "clean.tsv", 2)
	if len(cases) < 30 {
		t.Fatalf("only %d clean lines", len(cases))
	}
	for _, c := range cases {
		if got := Mask(c.text); got != c.text {
			t.Errorf("%s: Mask(%q) = %q, want it unchanged", c.kind, c.text, got)
		}
	}
}

// BenchmarkMaskMix is the mix of BenchmarkMask plus messages with the
// characters that need the normalised view, the rare slow path.
func BenchmarkMaskMix(b *testing.B) {
	msgs := []string{"亲，这个有货吗？什么时候发货", "电话13812345678 地址浙江省杭州市西湖区文三路90号", "订单号 2012345678901234567 到哪了", "hey is this in stock??",
		"好的，买２件，３天能到吗？", "我的身份证 110105 19491231 002X 能开发票吗", "价格 199 元，买 2 件，尺码 170"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Mask(msgs[i%len(msgs)])
	}
}
