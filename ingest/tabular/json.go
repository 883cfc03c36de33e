package tabular

import (
	"strings"

	"github.com/valyala/fastjson"
)

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Only what JSON requires is
// escaped; invalid UTF-8 is passed through so the decoder rejects it the
// same way it rejects it in JSONL.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// textEncoder writes a text cell (CSV, or a string column) as the JSON
// value of its field. A value that cannot be what the field needs is
// written as a JSON string, so the decoder rejects it with the same reason
// and message it gives for JSONL ("score must be an integer 1..5, got
// string"). It returns nil to leave the field out.
type textEncoder struct {
	p fastjson.Parser
}

func (t *textEncoder) append(buf []byte, k kind, s string) []byte {
	if s == "" {
		return nil
	}
	switch k {
	case kindTs:
		if isDigits(s) || (s[0] == '-' && isDigits(s[1:])) {
			return append(buf, s...)
		}
	case kindNumber:
		if v := strings.TrimSpace(s); isJSONNumber(v) {
			return append(buf, v...)
		}
	case kindBool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true", "1", "t", "yes":
			return append(buf, "true"...)
		case "false", "0", "f", "no":
			return append(buf, "false"...)
		}
	case kindItems:
		if fastjson.Validate(s) == nil {
			return append(buf, strings.TrimSpace(s)...)
		}
	}
	return appendString(buf, s)
}

// appendExtra appends the members of the JSON object s as top-level
// fields, each preceded by a comma when sep is set; it reports how many it
// wrote. A value that is not an object is kept whole as field "extra".
func (t *textEncoder) appendExtra(buf []byte, s string, sep bool) ([]byte, int) {
	if strings.TrimSpace(s) == "" {
		return buf, 0
	}
	v, err := t.p.Parse(s)
	if err != nil || v.Type() != fastjson.TypeObject {
		if sep {
			buf = append(buf, ',')
		}
		buf = appendKey(buf, "extra")
		return appendString(buf, s), 1
	}
	o, _ := v.Object()
	n := 0
	o.Visit(func(k []byte, v *fastjson.Value) {
		if sep || n > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, string(k))
		buf = append(buf, ':')
		buf = v.MarshalTo(buf)
		n++
	})
	return buf, n
}
