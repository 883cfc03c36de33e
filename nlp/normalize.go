package nlp

import "unicode/utf8"

// normalize folds text into the form every analysis step works on:
// full-width ASCII to half-width, ideographic space to space, common
// Chinese punctuation to its ASCII counterpart and ASCII upper case to lower
// case. It appends to dst and returns it.
func normalize(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			c := byte(r - 0xFEE0)
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		case r == 0x3000:
			dst = append(dst, ' ')
		case r == '。':
			dst = append(dst, '.')
		case r == '、':
			dst = append(dst, ',')
		case r == '…':
			dst = append(dst, '.', '.', '.')
		case r == '“' || r == '”':
			dst = append(dst, '"')
		case r == '‘' || r == '’':
			dst = append(dst, '\'')
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0xF900 && r <= 0xFAFF
}

func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0x2B50 || r == 0x2764
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isASCIILetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

func lastRune(s string) (rune, int) { return utf8.DecodeLastRuneInString(s) }
