package ingest

import (
	"encoding/binary"

	"github.com/valyala/fastjson"
)

// hasControlOrEscape reports whether raw has a byte below 0x20 or a
// backslash: the only bytes through which the parser's string leniency
// (raw control characters, bad escapes) can show. Compact single-line
// events have none, so the strict validator's second pass is skipped for
// them. Eight bytes at a time: a byte of UTF-8 above 0x7f never matches.
func hasControlOrEscape(raw []byte) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
		bs   = '\\' * ones
	)
	i := 0
	for ; i+8 <= len(raw); i += 8 {
		w := binary.LittleEndian.Uint64(raw[i:])
		// A byte < 0x20 borrows in w-0x20…; a backslash is a zero byte of w^bs.
		if ((w-0x20*ones)&^w|(w^bs-ones)&^(w^bs))&high != 0 {
			return true
		}
	}
	for ; i < len(raw); i++ {
		if raw[i] < 0x20 || raw[i] == '\\' {
			return true
		}
	}
	return false
}

// numbersStrict reports whether every number in v follows the JSON
// grammar (the parser also takes NaN, Inf, 01, 1., .5, +1, 1.2.3).
func numbersStrict(v *fastjson.Value, depth int) bool {
	switch v.Type() {
	case fastjson.TypeNumber:
		var buf [32]byte
		return validNumber(v.MarshalTo(buf[:0]))
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, x := range a {
			if !numbersStrict(x, depth+1) {
				return false
			}
		}
	case fastjson.TypeObject:
		ok := true
		o, _ := v.Object()
		o.Visit(func(_ []byte, x *fastjson.Value) {
			ok = ok && numbersStrict(x, depth+1)
		})
		return ok
	}
	return true
}

// validNumber matches -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(s []byte) bool {
	i, n := 0, len(s)
	if i < n && s[i] == '-' {
		i++
	}
	switch {
	case i < n && s[i] == '0':
		i++
	case i < n && s[i] >= '1' && s[i] <= '9':
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < n && s[i] == '.' {
		i++
		if i == n || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == n || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == n
}
