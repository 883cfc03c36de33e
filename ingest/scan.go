package ingest

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner reads one JSON text strictly (RFC 8259) in a single pass: the
// event decoder pulls keys and values from it and copies what it keeps
// straight into the batch's columns, with no tree of values in between.
// A syntax error stops the scan; the first one is kept in synErr.
// Invalid UTF-8 inside strings is noted in badUTF8 and scanning goes on
// (the decoder files the event under invalid_utf8, which wins).
type scanner struct {
	b       []byte
	i       int
	depth   int
	synErr  string
	badUTF8 bool
	tmp     []byte // the unescaped form of the last string with escapes
	escaped bool   // the last string had escapes (str returned s.tmp)
}

// jsonKind is the type of a JSON value, named as in error messages.
type jsonKind uint8

const (
	kindInvalid jsonKind = iota
	kindString
	kindNumber
	kindObject
	kindArray
	kindTrue
	kindFalse
	kindNull
)

func (k jsonKind) String() string {
	return [...]string{"invalid", "string", "number", "object", "array", "true", "false", "null"}[k]
}

// maxDepth bounds nesting, as the previous parser did.
const maxDepth = 300

func (s *scanner) reset(b []byte) {
	s.b, s.i, s.depth, s.synErr, s.badUTF8 = b, 0, 0, "", false
}

func (s *scanner) fail(msg string) {
	if s.synErr == "" {
		s.synErr = msg + " at byte " + strconv.Itoa(s.i)
	}
	s.i = len(s.b)
}

func (s *scanner) failed() bool { return s.synErr != "" }

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// atEnd reports whether only whitespace is left.
func (s *scanner) atEnd() bool {
	s.ws()
	return s.i == len(s.b)
}

// next returns the next non-space byte without consuming it (0 at the end).
func (s *scanner) next() byte {
	s.ws()
	if s.i == len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// expect consumes byte c (after whitespace) or fails.
func (s *scanner) expect(c byte, what string) bool {
	if s.next() != c {
		s.fail("expected " + what)
		return false
	}
	s.i++
	return true
}

// kind returns the kind of the value that starts at the next byte.
func (s *scanner) kind() jsonKind {
	switch c := s.next(); {
	case c == '"':
		return kindString
	case c == '{':
		return kindObject
	case c == '[':
		return kindArray
	case c == 't':
		return kindTrue
	case c == 'f':
		return kindFalse
	case c == 'n':
		return kindNull
	case c == '-' || c >= '0' && c <= '9':
		return kindNumber
	}
	return kindInvalid
}

// str reads a string (the next byte is '"') and returns its content,
// unescaped. The bytes are the input's when it has no escapes, else
// s.tmp's, valid until the next string with escapes.
func (s *scanner) str() []byte {
	s.escaped = false
	s.i++ // opening quote
	start := s.i
	b := s.b
	for {
		// Eight plain ASCII bytes at a time: no quote, backslash, control
		// or non-ASCII byte among them; else jump to the first such byte
		// (the lowest flagged byte is always a true one).
		for s.i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[s.i:])
			if m := (w | (w - 0x2020202020202020) | hasZero(w^0x2222222222222222) | hasZero(w^0x5c5c5c5c5c5c5c5c)) & 0x8080808080808080; m != 0 {
				s.i += bits.TrailingZeros64(m) >> 3
				break
			}
			s.i += 8
		}
		if s.i >= len(b) {
			s.fail("unterminated string")
			return nil
		}
		c := b[s.i]
		switch {
		case c == '"':
			s.i++
			return b[start : s.i-1]
		case c == '\\':
			return s.strEscaped(start)
		case c < 0x20:
			s.fail("control character in string")
			return nil
		case c < utf8.RuneSelf:
			s.i++
		default:
			// A run of non-ASCII bytes holds whole UTF-8 sequences (every
			// byte of one is non-ASCII): validate the run at once.
			j := s.i + 1
			for j+8 <= len(b) && binary.LittleEndian.Uint64(b[j:])&0x8080808080808080 == 0x8080808080808080 {
				j += 8
			}
			for j < len(b) && b[j] >= utf8.RuneSelf {
				j++
			}
			if !utf8.Valid(b[s.i:j]) {
				s.badUTF8 = true
			}
			s.i = j
		}
	}
}

// hasZero sets the high bit of each zero byte of w (and of no other byte
// unless a lower one is zero: enough for "is there any").
func hasZero(w uint64) uint64 { return (w - 0x0101010101010101) &^ w }

// strEscaped finishes a string from its first backslash, unescaping into
// s.tmp (the content so far is b[start:s.i]).
func (s *scanner) strEscaped(start int) []byte {
	s.escaped = true
	b := s.b
	s.tmp = append(s.tmp[:0], b[start:s.i]...)
	for s.i < len(b) {
		c := b[s.i]
		switch {
		case c == '"':
			s.i++
			return s.tmp
		case c < 0x20:
			s.fail("control character in string")
			return nil
		case c != '\\':
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRune(b[s.i:])
				if r == utf8.RuneError && size == 1 {
					s.badUTF8 = true
				}
				s.tmp = append(s.tmp, b[s.i:s.i+size]...)
				s.i += size
				continue
			}
			s.tmp = append(s.tmp, c)
			s.i++
			continue
		}
		if s.i+1 >= len(b) {
			break
		}
		esc := b[s.i+1]
		s.i += 2
		switch esc {
		case '"', '\\', '/':
			s.tmp = append(s.tmp, esc)
		case 'b':
			s.tmp = append(s.tmp, '\b')
		case 'f':
			s.tmp = append(s.tmp, '\f')
		case 'n':
			s.tmp = append(s.tmp, '\n')
		case 'r':
			s.tmp = append(s.tmp, '\r')
		case 't':
			s.tmp = append(s.tmp, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				s.fail("invalid \\u escape")
				return nil
			}
			if utf16.IsSurrogate(r) {
				// A pair makes one rune; a lone half is U+FFFD, as in
				// encoding/json.
				r2 := utf8.RuneError
				if s.i+1 < len(b) && b[s.i] == '\\' && b[s.i+1] == 'u' {
					save := s.i
					s.i += 2
					if lo, ok := s.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = utf16.DecodeRune(r, lo)
					} else {
						s.i = save
					}
				}
				r = r2
			}
			s.tmp = utf8.AppendRune(s.tmp, r)
		default:
			s.i--
			s.fail("invalid escape in string")
			return nil
		}
	}
	s.fail("unterminated string")
	return nil
}

func (s *scanner) hex4() (rune, bool) {
	if s.i+4 > len(s.b) {
		return 0, false
	}
	var r rune
	for _, c := range s.b[s.i : s.i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.i += 4
	return r, true
}

// number reads a number and returns its text.
func (s *scanner) number() []byte {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	if !validNumber(s.b[start:s.i]) {
		s.i = start
		s.fail("invalid number")
		return nil
	}
	return s.b[start:s.i]
}

// literal reads true, false or null.
func (s *scanner) literal(k jsonKind) {
	word := k.String()
	if len(s.b)-s.i < len(word) || string(s.b[s.i:s.i+len(word)]) != word {
		s.fail("invalid literal")
		return
	}
	s.i += len(word)
}

// skip reads one value of any kind, appending its compact form (no
// insignificant whitespace; strings as they came) to dst when dst is not
// nil, and returns dst.
func (s *scanner) skip(dst []byte) []byte {
	k := s.kind()
	start := s.i
	switch k {
	case kindString:
		s.str()
		if dst != nil {
			dst = append(dst, s.b[start:s.i]...)
		}
		return dst
	case kindNumber:
		return appendIf(dst, s.number())
	case kindTrue, kindFalse, kindNull:
		s.literal(k)
		return appendIf(dst, s.b[start:s.i])
	case kindObject, kindArray:
		if s.depth++; s.depth > maxDepth {
			s.fail("nested too deep")
			return dst
		}
		defer func() { s.depth-- }()
		dst = appendIf(dst, s.b[start:start+1])
		n := 0
		sep := func() {
			if n++; n > 1 {
				dst = appendIf(dst, []byte{','})
			}
		}
		if k == kindObject {
			s.members(func(raw, _ []byte) {
				sep()
				dst = appendIf(appendIf(dst, raw), []byte{':'})
				dst = s.skip(dst)
			})
			return appendIf(dst, []byte{'}'})
		}
		s.elements(func() {
			sep()
			dst = s.skip(dst)
		})
		return appendIf(dst, []byte{']'})
	}
	s.fail("expected a value")
	return dst
}

// members reads an object (the next byte is '{'), calling each for every
// member with its key as it came (quoted) and unescaped; each must read
// the value. It stops at the first syntax error.
func (s *scanner) members(each func(raw, key []byte)) {
	s.i++ // {
	if s.next() == '}' {
		s.i++
		return
	}
	for !s.failed() {
		if s.next() != '"' {
			s.fail("expected a key")
			return
		}
		start := s.i
		key := s.str()
		raw := s.b[start:s.i]
		if !s.expect(':', "':' after a key") {
			return
		}
		each(raw, key)
		if s.failed() {
			return
		}
		switch s.next() {
		case ',':
			s.i++
		case '}':
			s.i++
			return
		default:
			s.fail("expected ',' or '}'")
		}
	}
}

// elements reads an array (the next byte is '['), calling each to read
// every element. It stops at the first syntax error.
func (s *scanner) elements(each func()) {
	s.i++ // [
	if s.next() == ']' {
		s.i++
		return
	}
	for !s.failed() {
		each()
		if s.failed() {
			return
		}
		switch s.next() {
		case ',':
			s.i++
		case ']':
			s.i++
			return
		default:
			s.fail("expected ',' or ']'")
		}
	}
}

// appendIf appends b to dst unless dst is nil (nothing wanted).
func appendIf(dst, b []byte) []byte {
	if dst == nil {
		return nil
	}
	return append(dst, b...)
}
