package ingest

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/convintel/convintel/nlp"
)

// Masked returns d as it may be kept: the raw head cut to MaxDeadLetterRaw
// bytes and, like the detail, PII-masked (nlp.Mask, which also sees through
// JSON \u escapes). A dead letter is for debugging the sender, not a copy
// of the customer's data; the masked head still shows what was wrong.
func (d DeadLetter) Masked() DeadLetter {
	raw := d.Raw
	if len(raw) > MaxDeadLetterRaw {
		raw = raw[:MaxDeadLetterRaw]
	}
	if m := nlp.Mask(string(raw)); len(m) != len(raw) || m != string(raw) {
		raw = []byte(m)
	}
	d.Raw = raw
	d.Detail = nlp.Mask(d.Detail)
	return d
}

// owned returns d with its raw bytes copied out of the record's value, which
// the source may reuse once the batch is decoded (Batch.Decoded).
func (d DeadLetter) owned() DeadLetter {
	d.Raw = bytes.Clone(d.Raw)
	return d
}

// maskEvent masks the free-form parts of a decoded event other than a
// message's text (which the enricher masks): the handoff reason and the
// unknown fields kept in extra. Events without them cost two compares.
func maskEvent(e *Event) {
	if e.Reason != "" {
		e.Reason = nlp.Mask(e.Reason)
	}
	if e.Extra != "" {
		e.Extra = MaskExtra(e.Extra)
	}
}

// MaskExtra masks the personal data in an event's extra JSON object (the
// fields the contract does not name, kept as sent): the value of a field
// whose name says it is personal data (buyer_phone, id_card, email,
// 收货地址 … see piiField), whatever it is, object or array included,
// becomes "[PII]"; every other string, and every long number, is masked
// with nlp.Mask (a phone in "note", 13812345678 as a JSON number).
// Without anything to mask it returns extra itself, without allocating.
// extra must be valid JSON, as the decoder guarantees; anything else is
// replaced whole, to be safe.
func MaskExtra(extra string) string {
	m := extraMasker{src: extra}
	end, ok := m.value(skipSpace(extra, 0))
	if !ok || skipSpace(extra, end) != len(extra) {
		return `{"extra":"` + nlp.MaskPII + `"}`
	}
	if m.out == nil {
		return extra
	}
	return string(append(m.out, extra[m.last:]...))
}

type extraMasker struct {
	src  string
	out  []byte // nil until the first replacement
	last int    // src[:last] is in out
}

func (m *extraMasker) replace(start, end int, with string) {
	if m.out == nil {
		m.out = make([]byte, 0, len(m.src)+16)
	}
	m.out = append(m.out, m.src[m.last:start]...)
	m.out = append(m.out, with...)
	m.last = end
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// value walks the JSON value at i, masking as it goes, and returns its end.
func (m *extraMasker) value(i int) (int, bool) {
	s := m.src
	if i >= len(s) {
		return i, false
	}
	switch s[i] {
	case '{':
		i = skipSpace(s, i+1)
		if i < len(s) && s[i] == '}' {
			return i + 1, true
		}
		for {
			ke, ok := stringEnd(s, i)
			if !ok {
				return i, false
			}
			key := s[i+1 : ke-1]
			if strings.IndexByte(key, '\\') >= 0 {
				if key, ok = unquote(s[i:ke]); !ok {
					return i, false
				}
			}
			i = skipSpace(s, ke)
			if i >= len(s) || s[i] != ':' {
				return i, false
			}
			vs := skipSpace(s, i+1)
			if piiField(key) {
				ve, ok := skipValue(s, vs)
				if !ok {
					return i, false
				}
				m.replace(vs, ve, `"`+nlp.MaskPII+`"`)
				i = ve
			} else if i, ok = m.value(vs); !ok {
				return i, false
			}
			i = skipSpace(s, i)
			if i < len(s) && s[i] == ',' {
				i = skipSpace(s, i+1)
				continue
			}
			if i < len(s) && s[i] == '}' {
				return i + 1, true
			}
			return i, false
		}
	case '[':
		i = skipSpace(s, i+1)
		if i < len(s) && s[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = m.value(i); !ok {
				return i, false
			}
			i = skipSpace(s, i)
			if i < len(s) && s[i] == ',' {
				i = skipSpace(s, i+1)
				continue
			}
			if i < len(s) && s[i] == ']' {
				return i + 1, true
			}
			return i, false
		}
	case '"':
		e, ok := stringEnd(s, i)
		if !ok {
			return i, false
		}
		lit := s[i:e]
		if masked := nlp.Mask(lit); masked != lit {
			// Something in the literal (perhaps behind an escape) is PII:
			// mask the decoded string and encode it again.
			v, ok := unquote(lit)
			if !ok {
				return i, false
			}
			m.replace(i, e, quoteJSON(nlp.Mask(v)))
		}
		return e, true
	default:
		e := i
		for e < len(s) && !strings.ContainsRune(",}] \t\r\n", rune(s[e])) {
			e++
		}
		if e == i {
			return i, false
		}
		if lit := s[i:e]; len(lit) >= 11 {
			if masked := nlp.Mask(lit); masked != lit {
				m.replace(i, e, quoteJSON(masked)) // 13812345678 → "[PHONE]"
			}
		}
		return e, true
	}
}

// stringEnd returns the end of the JSON string literal at i.
func stringEnd(s string, i int) (int, bool) {
	if i >= len(s) || s[i] != '"' {
		return i, false
	}
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return i, false
}

// skipValue returns the end of the JSON value at i without masking.
func skipValue(s string, i int) (int, bool) {
	sub := extraMasker{src: s}
	return sub.value(i)
}

// unquote decodes a JSON string literal.
func unquote(lit string) (string, bool) {
	var v string
	err := json.Unmarshal([]byte(lit), &v)
	return v, err == nil
}

func quoteJSON(v string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// piiNameParts are field-name words that mark personal data: matched
// against the name with separators removed and lower-cased, so
// buyer_phone, buyerPhone and Buyer-Phone all match "phone".
var piiNameParts = []string{
	"phone", "mobile", "email", "idcard", "identity", "passport",
	"address", "street", "zipcode", "postcode", "cardno", "cardnum", "bankcard", "bankaccount",
	"wechat", "weixin", "realname", "fullname", "buyername", "receiver", "consignee", "contact",
	"手机", "电话", "身份证", "证件", "邮箱", "地址", "卡号", "银行卡", "账号", "姓名", "收件", "收货", "联系", "微信", "护照",
	// Traditional forms (HK/TW platforms name their fields so).
	"手機", "電話", "身份證", "身分證", "證件", "郵箱", "卡號", "銀行卡", "賬號", "帳號", "收貨", "聯繫", "聯絡", "護照",
}

// piiNameWords are short words that mark personal data only as a whole
// word of the name (tel, but not hotel_id; id_no, but not paid_note).
var piiNameWords = []string{"tel", "mail", "card", "addr", "qq", "wx", "vx", "ssn", "iban", "idno", "idnum", "idc", "sfz"}

// piiField reports whether a field name says its value is personal data.
// It does not allocate for names up to 64 bytes (it runs on every extra).
func piiField(name string) bool {
	var buf [64]byte
	flat := buf[:0]
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			flat = utf8.AppendRune(flat, unicode.ToLower(r))
		}
	}
	for _, p := range piiNameParts {
		if bytes.Contains(flat, []byte(p)) {
			return true
		}
	}
	// Words: split at separators and lower-to-upper case changes
	// (buyerTel → buyer, Tel).
	start, prevLower := -1, false
	for i, r := range name {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		if start >= 0 && (!word || unicode.IsUpper(r) && prevLower) {
			if isPIIWord(name[start:i]) {
				return true
			}
			start = -1
		}
		if word && start < 0 {
			start = i
		}
		prevLower = unicode.IsLower(r)
	}
	return start >= 0 && isPIIWord(name[start:])
}

func isPIIWord(w string) bool {
	for _, p := range piiNameWords {
		if strings.EqualFold(w, p) {
			return true
		}
	}
	return false
}
