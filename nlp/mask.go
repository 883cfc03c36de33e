package nlp

import (
	"strings"
	"unicode/utf8"
)

// Placeholders that replace personal data in stored text.
const (
	MaskPhone   = "[PHONE]"
	MaskIDCard  = "[IDCARD]"
	MaskEmail   = "[EMAIL]"
	MaskCard    = "[CARD]"
	MaskAddress = "[ADDRESS]"
)

type span struct {
	start, end int
	repl       string
}

// Mask replaces personal data in text with placeholders: mainland mobile
// numbers (also with spaces, dashes or +86), 18-character resident ID
// numbers with a valid check digit, e-mail addresses, bank-card numbers
// (16-19 digits passing the Luhn check, not next to words like 订单/order)
// and street addresses (…路…号, No. 12 Xyz Road). It is a hand scan rather
// than regular expressions because it runs on every stored message; text
// without a digit or '@' is returned as is without allocating.
func Mask(text string) string {
	if !maybePII(text) {
		return text
	}
	if hasFullwidthDigit(text) {
		// １３８… is typed on Chinese keyboards; scan it as ASCII digits.
		text = fullwidthDigitsToASCII(text)
	}
	var spans [8]span
	ss := findPII(spans[:0], text)
	if len(ss) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range ss {
		if s.start < last {
			continue // overlaps an earlier span
		}
		b.WriteString(text[last:s.start])
		b.WriteString(s.repl)
		last = s.end
	}
	b.WriteString(text[last:])
	return b.String()
}

func maybePII(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c >= '0' && c <= '9' || c == '@' || c == 0xEF {
			return true
		}
	}
	return false
}

// Full-width digits ０..９ are U+FF10..U+FF19: EF BC 90..99 in UTF-8.
func hasFullwidthDigit(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if text[i] == 0xEF && text[i+1] == 0xBC && text[i+2] >= 0x90 && text[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

func fullwidthDigitsToASCII(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); i++ {
		if i+2 < len(text) && text[i] == 0xEF && text[i+1] == 0xBC && text[i+2] >= 0x90 && text[i+2] <= 0x99 {
			b.WriteByte('0' + text[i+2] - 0x90)
			i += 2
			continue
		}
		b.WriteByte(text[i])
	}
	return b.String()
}

// findPII appends the PII spans of text, in order and non-overlapping.
func findPII(dst []span, text string) []span {
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '@':
			if s, ok := emailAt(text, i); ok {
				dst = trimOverlap(dst, s.start)
				dst = append(dst, s)
				i = s.end
				continue
			}
			i++
		case isDigit(c):
			if i > 0 && isDigit(text[i-1]) {
				i++
				continue
			}
			s, ok, next := digitsAt(text, i)
			if ok {
				dst = trimOverlap(dst, s.start)
				dst = append(dst, s)
				i = s.end
				continue
			}
			i = next
		default:
			i++
		}
	}
	return dst
}

// trimOverlap drops spans that a new span starting at start would overlap.
func trimOverlap(dst []span, start int) []span {
	for len(dst) > 0 && dst[len(dst)-1].end > start {
		dst = dst[:len(dst)-1]
	}
	return dst
}

func isEmailLocal(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func emailAt(text string, at int) (span, bool) {
	s := at
	for s > 0 && isEmailLocal(text[s-1]) {
		s--
	}
	for s < at && text[s] == '.' {
		s++
	}
	if s == at {
		return span{}, false
	}
	e := at + 1
	for e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '.' || text[e] == '-') {
		e++
	}
	for e > at+1 && (text[e-1] == '.' || text[e-1] == '-') {
		e--
	}
	dot := strings.LastIndexByte(text[at+1:e], '.')
	if dot <= 0 {
		return span{}, false
	}
	tld := text[at+1+dot+1 : e]
	if len(tld) < 2 {
		return span{}, false
	}
	for i := 0; i < len(tld); i++ {
		if !isASCIILetter(tld[i]) {
			return span{}, false
		}
	}
	return span{s, e, MaskEmail}, true
}

// digitGroup is a run of digits, possibly split by single spaces or dashes
// as people write phone and card numbers.
type digitGroup struct {
	digits [24]byte
	n      int
	parts  [8][2]int // byte ranges of the contiguous pieces
	np     int
	end    int
	tooBig bool
}

func scanDigitGroup(text string, i int) digitGroup {
	var g digitGroup
	for {
		s := i
		for i < len(text) && isDigit(text[i]) {
			if g.n < len(g.digits) {
				g.digits[g.n] = text[i]
			}
			g.n++
			i++
		}
		if g.np < len(g.parts) {
			g.parts[g.np] = [2]int{s, i}
			g.np++
		} else {
			g.tooBig = true
		}
		g.end = i
		if i+1 < len(text) && (text[i] == ' ' || text[i] == '-') && isDigit(text[i+1]) && g.n < len(g.digits) {
			i++
			continue
		}
		break
	}
	if g.n > len(g.digits) {
		g.tooBig = true
	}
	return g
}

// digitsAt classifies the digit group starting at i. next is where the
// scan resumes when nothing was found.
func digitsAt(text string, i int) (span, bool, int) {
	g := scanDigitGroup(text, i)
	start := i
	if start > 0 && text[start-1] == '+' {
		start--
	}
	if !g.tooBig {
		if repl, ok := classifyDigits(text, string(g.digits[:g.n]), start, g.end); ok {
			return span{start, g.end, repl}, true, g.end
		}
	}
	// Groups joined by spaces or dashes may hold several numbers ("订单
	// 1234… 13812345678", "138 1234 5678 138 1234 5678"): try every run of
	// consecutive pieces up to 19 digits, longest first from each piece.
	if g.np > 1 {
		for p := 0; p < g.np; p++ {
			for q := g.np - 1; q >= p; q-- {
				s, e := g.parts[p][0], g.parts[q][1]
				d := digitsOnly(text[s:e])
				if len(d) > 19 || len(d) < 11 {
					continue
				}
				if repl, ok := classifyDigits(text, d, s, e); ok {
					return span{s, e, repl}, true, e
				}
			}
		}
	}
	if s, ok := idCardX(text, g, i); ok {
		return s, true, s.end
	}
	if s, ok := addressAt(text, i, g.end); ok {
		return s, true, s.end
	}
	return span{}, false, g.end
}

// classifyDigits decides what a digit string (separators removed) spanning
// text[start:end] is.
func classifyDigits(text, d string, start, end int) (string, bool) {
	if end < len(text) && isASCIIAlnum(text[end]) {
		return "", false
	}
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	}
	if len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' {
		return MaskPhone, true
	}
	if len(d) == 18 && validIDCard(d) {
		return MaskIDCard, true
	}
	if len(d) >= 16 && len(d) <= 19 && d[0] >= '3' && d[0] <= '6' && luhn(d) && !orderContext(text, start) {
		return MaskCard, true
	}
	return "", false
}

// idCardX handles ID numbers whose check character is X.
func idCardX(text string, g digitGroup, i int) (span, bool) {
	if g.np != 1 || g.n != 17 || g.end >= len(text) || text[g.end]|0x20 != 'x' {
		return span{}, false
	}
	if g.end+1 < len(text) && isASCIIAlnum(text[g.end+1]) {
		return span{}, false
	}
	var d [18]byte
	copy(d[:], g.digits[:17])
	d[17] = 'X'
	if !validIDCard(string(d[:])) {
		return span{}, false
	}
	return span{i, g.end + 1, MaskIDCard}, true
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// validIDCard checks the GB 11643 check character and a plausible birth
// date of an 18-character resident ID number.
func validIDCard(d string) bool {
	if d[0] == '0' {
		return false
	}
	sum := 0
	for k := 0; k < 17; k++ {
		sum += int(d[k]-'0') * idWeights[k]
	}
	check := "10X98765432"[sum%11]
	last := d[17]
	if last == 'x' {
		last = 'X'
	}
	if last != check {
		return false
	}
	y := (int(d[6]-'0')*10+int(d[7]-'0'))*100 + int(d[8]-'0')*10 + int(d[9]-'0')
	m := int(d[10]-'0')*10 + int(d[11]-'0')
	day := int(d[12]-'0')*10 + int(d[13]-'0')
	return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && day >= 1 && day <= 31
}

func luhn(d string) bool {
	sum := 0
	double := false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

var orderWords = []string{"订单", "单号", "运单", "快递", "物流", "order", "Order", "ORDER", "tracking", "Tracking"}

// orderContext reports whether the few bytes before start name an order or
// parcel, in which case a long number is an id, not a bank card.
func orderContext(text string, start int) bool {
	from := start - 18
	if from < 0 {
		from = 0
	}
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	before := text[from:start]
	for _, w := range orderWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// digitsOnly drops the separators of a digit group.
func digitsOnly(s string) string {
	if !strings.ContainsAny(s, " -") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b = append(b, s[i])
		}
	}
	return string(b)
}
