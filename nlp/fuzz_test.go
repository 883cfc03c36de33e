package nlp_test

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/convintel/convintel/nlp"
)

// standalonePhones returns the mainland mobile numbers written in s as
// Mask promises to find them: 11 digits 1[3-9]… as the scan reads them
// (full-width digits as ASCII, invisible characters left out), not part of
// a longer digit run. Letters, spaces, dashes or dots around do not matter.
func standalonePhones(s string) []string {
	s = nlp.MaskView(s)
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var out []string
	for i := 0; i < len(s); {
		if !isDigit(i) {
			i++
			continue
		}
		j := i
		for isDigit(j) {
			j++
		}
		run := s[i:j]
		if len(run) == 11 && run[0] == '1' && run[1] >= '3' && run[1] <= '9' && !namedNotAPhone(s, i, j) {
			out = append(out, run)
		}
		i = j
	}
	return out
}

// namedNotAPhone reports the contexts in which Mask reads an 11-digit
// number as no phone by design (session 20): glued to a slash (a URL
// path), to three capital letters (a waybill, JDVC18374562091), or named an
// order or waybill number right before it (订单号17835420961).
func namedNotAPhone(s string, i, j int) bool {
	if i > 0 && s[i-1] == '/' || j < len(s) && s[j] == '/' {
		return true
	}
	if i >= 3 && s[i-1] >= 'A' && s[i-1] <= 'Z' && s[i-2] >= 'A' && s[i-2] <= 'Z' && s[i-3] >= 'A' && s[i-3] <= 'Z' {
		return true
	}
	h := strings.TrimRight(s[:i], " :")
	h = strings.TrimSuffix(h, "：")
	for _, w := range nlp.OrderNumberWords {
		if strings.HasSuffix(h, w) {
			return true
		}
	}
	return false
}

// FuzzAnalyze feeds the NLP arbitrary text: it never panics, scores stay
// in range, and neither the masked text nor the question signature keeps a
// mobile number that Mask is meant to find.
//
//	go test ./nlp -run '^$' -fuzz FuzzAnalyze -fuzztime 20s
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"我电话13812345678，到了打给我", "call me 138 1234 5678 pls", "+86 139 0000 1111", "数量2 15900001111",
		"身份证11010519491231002X", "发我邮箱 zhang.san+shop@example.com.cn 谢谢", "卡号6222 0212 3456 7894",
		"地址是浙江省杭州市西湖区文三路90号东部软件园3号楼502室，收件人张三", "ship to No. 12 Baker Road, London",
		"订单号 2012345678901234567 到哪了", "太差了!!! 再也不买了 13812345678", "<script>alert('13812345678')</script>",
		"'; DROP TABLE messages; --", "13812345678,13912345678", "1381234567813812345678", "\xff\xfe13812345678",
		"😀😀😀 保质期多久？", "", " ", "@@@@", "13812345678@qq.com", "tel:13812345678 ", "a\u0000b13812345678",
		"一三八一二三四五六七八", "电话（021）5432 1234", "寄到北京市朝阳区望京西园三区5栋2单元301", "市区", "区市省县",
	} {
		f.Add(s, "")
		f.Add(s, "product_info")
	}
	m, err := nlp.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text, intent string) {
		a := m.Analyze(text, intent, 0.5)
		masked := nlp.Mask(text)
		if a.MaskedText != masked {
			t.Fatalf("Analyze masked %q as %q, Mask as %q", text, a.MaskedText, masked)
		}
		if p := standalonePhones(masked); len(p) > 0 {
			t.Fatalf("Mask(%q) = %q keeps the phone number %s", text, masked, p[0])
		}
		for _, p := range standalonePhones(text) {
			if strings.Contains(a.Signature, p) {
				t.Fatalf("signature %q of %q keeps the phone number %s", a.Signature, text, p)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(masked) {
			t.Fatalf("Mask(%q) = %q is not valid UTF-8", text, masked)
		}
		s := float64(a.SentimentScore)
		if math.IsNaN(s) || s < -1.0001 || s > 1.0001 {
			t.Fatalf("sentiment score %v of %q is outside [-1, 1]", s, text)
		}
		c := float64(a.IntentConfidence)
		if math.IsNaN(c) || c < 0 || c > 1.0001 {
			t.Fatalf("intent confidence %v of %q is outside [0, 1]", c, text)
		}
		switch a.SentimentLabel {
		case "negative", "neutral", "positive":
		default:
			t.Fatalf("sentiment label %q", a.SentimentLabel)
		}
		if intent == "" && (a.Intent == "" || a.IntentSource != nlp.SourceModel) ||
			intent != "" && (a.Intent != nlp.CanonicalIntent(intent) || a.IntentSource != nlp.SourceUpstream) {
			t.Fatalf("intent %q from %q for upstream %q", a.Intent, a.IntentSource, intent)
		}
	})
}
