package nlp

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Placeholders that replace personal data in stored text.
const (
	MaskPhone   = "[PHONE]"
	MaskIDCard  = "[IDCARD]"
	MaskEmail   = "[EMAIL]"
	MaskCard    = "[CARD]"
	MaskAddress = "[ADDRESS]"
	// MaskContact replaces an instant-messaging account (a QQ number, a
	// WeChat id) that the word before it names.
	MaskContact = "[CONTACT]"
	// MaskPII replaces a whole value whose field name says it is personal
	// data (MaskJSON), whatever the value looks like.
	MaskPII = "[PII]"
)

type span struct {
	start, end int
	repl       string
}

// Mask replaces personal data in text with placeholders: mainland mobile
// and landline numbers (also in Chinese numerals: 一三八…), resident ID
// numbers (18 characters with a valid check character, X included, and the
// 15-digit first generation with a valid region and birth date), e-mail
// addresses, bank-card numbers (16-19 digits passing the Luhn check, not
// next to words like 订单/order) and street addresses (…路…号, No. 12 Xyz
// Road, and 北京市朝阳区望京西园三区 without a house number).
//
// Numbers are found however people write them: split by spaces (also
// several), dashes or dots (138.1234.5678, all dots, so 1.38 12.34 is not
// one number), one digit at a time (1 3 8 1 2 …), in full-width digits, with
// invisible zero-width characters or Unicode dashes (U+2010–2015, U+2212)
// and spaces (U+00A0, U+3000 …) between digits, followed by letters
// (13812345678abc), and inside JSON \uXXXX escapes (dead-letter raw bytes).
// Full-width ＠ and letters count as their ASCII forms in e-mails.
// Only the personal data changes: the rest of the text is kept byte for
// byte.
//
// It is a hand scan rather than regular expressions because it runs on
// every stored message; text without a digit or '@' (ASCII or full-width)
// is returned as is without allocating. docs/reliability.md lists the
// corpus it is tested against, and what it does not catch.
func Mask(text string) string {
	need, special := maskTriggers(text)
	var rb [2][2]int
	runs, cues := hanRuns(text, rb[:0])
	addr := numbersInWords(text, cues)
	if len(runs) > 0 || len(addr) > 0 || cues&cueAtSign != 0 {
		need, special = true, true
	}
	if !need && cues == 0 {
		return text
	}
	if !need && cues&cueContact != 0 && fullWidthLetters(text) {
		special = true // VX：ｓｈａｎｇｈａｉ＿ｍｉｍｉ: an id in full-width letters, read in the view
	}
	if !special {
		var spans [8]span
		ss := spans[:0]
		if need {
			ss = findPII(ss, text)
		}
		return replaceSpans(text, moreSpans(ss, text, cues), nil)
	}
	// Some characters stand for ASCII ones (１, ＠, U+2012, a zero-width
	// space, 三 in a run of numerals, \uXXXX escapes): find the spans in a
	// normalised view and map them back. The view may show cues that the
	// escapes hid.
	v := newMaskViewRuns(text, runs, addr)
	if strings.Contains(text, `\u`) {
		// Escapes decoded, the view may hold what the view itself reads
		// (a numeral run, 小老鼠 for '@', 杠 between digits): read it again,
		// its offsets mapped through the first view's.
		if v2 := newMaskView(v.text); v2.text != v.text {
			for k, o := range v2.off {
				v2.off[k] = v.off[o]
			}
			v = v2
		}
	}
	_, vcues := hanRuns(v.text, nil)
	return replaceSpans(text, moreSpans(findPII(nil, v.text), v.text, cues|vcues), v.off)
}

// fullWidthLetters reports a full-width Latin letter (Ａ-Ｚ, ａ-ｚ) in text.
func fullWidthLetters(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if text[i] == 0xEF && (text[i+1] == 0xBC && text[i+2] >= 0xA1 && text[i+2] <= 0xBA || text[i+1] == 0xBD && text[i+2] >= 0x81 && text[i+2] <= 0x9A) {
			return true
		}
	}
	return false
}

// moreSpans adds to the spans of findPII those of the scans that hanRuns
// found cues for (addresses without a house number, messaging accounts),
// in order, overlapping spans merged.
func moreSpans(ss []span, text string, cues hanCues) []span {
	n := len(ss)
	if cues&cueDivision != 0 {
		// Only between the spans found: an address with a house number is
		// masked already, with its divisions.
		from := 0
		for k := 0; k <= n; k++ {
			to := len(text)
			if k < n {
				to = ss[k].start
			}
			if to > from {
				m := len(ss)
				ss = divisionAddresses(ss, text[from:to])
				for j := m; j < len(ss); j++ {
					ss[j].start += from
					ss[j].end += from
				}
			}
			if k < n {
				from = ss[k].end
			}
		}
	}
	if cues&cueContact != 0 {
		ss = contactSpans(ss, text)
	}
	if cues&cueSpelled != 0 {
		ss = spelledNumbers(ss, text)
	}
	if len(ss) == n {
		return ss
	}
	return mergeSpans(ss)
}

// replaceSpans writes text with the spans replaced; off maps span offsets
// (in a view of text) back to text's offsets, nil when they are text's own.
func replaceSpans(text string, ss []span, off []int32) string {
	if len(ss) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range ss {
		start, end := s.start, s.end
		if off != nil {
			start, end = int(off[start]), int(off[end])
		}
		if start < last {
			continue // overlaps an earlier span
		}
		b.WriteString(text[last:start])
		b.WriteString(s.repl)
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// maskTriggers reports whether text may hold personal data (an ASCII or
// full-width digit or '@', or a \u escape) and whether it holds characters
// the scan must see through a normalised view (those viewRune maps). Byte
// patterns rather than decoding: most Chinese messages have full-width
// punctuation (，？ are EF BC 8C, EF BC 9F) and no digit, and must cost a
// plain byte scan.
func maskTriggers(text string) (need, special bool) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= '0' && c <= '9' || c == '@' || c == '#' || c|0x20 == 'a' && spokenAt(text, i) ||
			c == '\\' && i+1 < len(text) && text[i+1] == 'u' ||
			c == 0xEF && i+2 < len(text) && text[i+1] == 0xBC && (text[i+2] >= 0x90 && text[i+2] <= 0x99 || text[i+2] == 0xA0) {
			need = true
			break
		}
	}
	if !need {
		return false, false
	}
	for i := 0; i+1 < len(text); i++ {
		switch c, c1 := text[i], text[i+1]; c {
		case '\\':
			special = c1 == 'u' || c1 == 'U'
		case 0xC2:
			special = c1 == 0xA0 || c1 == 0xAD || c1 == 0xB7
		case 0xF0:
			special = c1 == 0x9F // emoji (decorSep)
		case 0xE6:
			special = c1 == 0x9D && i+2 < len(text) && text[i+2] == 0xA0 // 杠
		case 'O', 'o', 'l', 'I':
			special = (i > 0 && isDigit(text[i-1]) || isDigit(c1)) && letterForDigit(text, i) // 1370O285164, 13O 2194 7768
		case 0xE2, 0xE3, 0xEF:
			if i+2 >= len(text) {
				return need, false
			}
			c2 := text[i+2]
			switch c {
			case 0xE2:
				special = c1 == 0x80 && c2 >= 0x80 && c2 <= 0xAF || c1 == 0x81 && (c2 == 0x9F || c2 == 0xA0) || c1 == 0x88 && (c2 == 0x92 || c2 == 0x99) ||
					c1 == 0x8B && c2 == 0x85 || c1 == 0x83 && c2 == 0xA3 || c1 >= 0x98 && c1 <= 0x9E || c1 >= 0xAC && c1 <= 0xAF // ⋅, keycap, ☀…➿, ⬀…
			case 0xE3:
				special = c1 == 0x80 && (c2 == 0x80 || c2 == 0x90 || c2 == 0x91) || c1 == 0x83 && c2 == 0xBB // ideographic space, 【】, ・
			default:
				special = c1 == 0xB8 && (c2 == 0x8E || c2 == 0x8F) || c1 == 0xBC && (c2 == 0x88 || c2 == 0x89 || c2 == 0x8B || c2 == 0x8D || c2 == 0x8E || c2 >= 0x90 && c2 <= 0x99 || c2 >= 0xA0 && c2 <= 0xBA || c2 == 0xBF) ||
					c1 == 0xBD && (c2 >= 0x81 && c2 <= 0x9A || c2 == 0x9E) || c1 == 0xBB && c2 == 0xBF || c1 == 0xB9 && c2 == 0xA3
			}
		}
		if special {
			return true, true
		}
	}
	return true, false
}

// spokenAt reports whether text[i:] is the "at" of an address written
// out (" at ", "(at)", "[at]"), writtenEmailAt's separators.
func spokenAt(text string, i int) bool {
	return i > 0 && i+2 < len(text) && text[i+1]|0x20 == 't' &&
		(text[i-1] == ' ' && text[i+2] == ' ' || text[i-1] == '(' && text[i+2] == ')' || text[i-1] == '[' && text[i+2] == ']' ||
			i >= 3 && text[i-3:i] == "【" && strings.HasPrefix(text[i+2:], "】") ||
			i >= 3 && text[i-3:i] == "（" && strings.HasPrefix(text[i+2:], "）"))
}

// writtenAtSign returns the length of what a buyer wrote for '@' at the
// start of text, 0 for none: 艾特 (read "at"), 圈a (the a in a circle) or
// 小老鼠.
func writtenAtSign(text string) int {
	switch {
	case strings.HasPrefix(text, "艾特"):
		return len("艾特")
	case strings.HasPrefix(text, "（艾特）"):
		return len("（艾特）")
	case strings.HasPrefix(text, "(艾特)"):
		return len("(艾特)")
	case strings.HasPrefix(text, "圈") && len(text) > len("圈") && text[len("圈")]|0x20 == 'a':
		return len("圈a")
	case strings.HasPrefix(text, "圈 ") && len(text) > len("圈 ") && isASCIIAlnum(text[len("圈 ")]):
		return len("圈") // 9385026174 圈 qq.com: the spaces are read as around an '@'
	case strings.HasPrefix(text, "小老鼠"):
		return len("小老鼠") // the mouse: '@' as some buyers call it
	}
	return 0
}

// viewRune returns the ASCII byte a non-ASCII rune stands for in the scan's
// view, 0 for none; drop is set for invisible characters, which the view
// leaves out.
func viewRune(r rune) (b byte, drop bool) {
	switch {
	case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A,
		r == 0xFF20, r == 0xFF0B, r == 0xFF0E, r == 0xFF3F, r == 0xFF08, r == 0xFF09:
		return byte(r - 0xFEE0), false // full-width digit, letter, @ + . _ ( )
	case r == 0xFF5E:
		return '~', false // 199～3582～0614
	case r == '杠':
		return '-', false // 157杠6877杠1875
	case r == 0x3010:
		return '[', false // 【at】
	case r == 0x3011:
		return ']', false
	case r == 0xFF0D, r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE63:
		return '-', false // full-width hyphen, figure/en/em dashes, minus
	case r == 0xA0, r >= 0x2000 && r <= 0x200A, r == 0x202F, r == 0x205F, r == 0x3000:
		return ' ', false // no-break, thin, ideographic … spaces
	case r == 0x200B, r == 0x200C, r == 0x200D, r == 0x2060, r == 0xFEFF, r == 0xAD,
		r == 0xFE0E, r == 0xFE0F, r == 0x20E3:
		return 0, true // zero-width characters, soft hyphen, emoji variation selectors, the keycap of 1️⃣
	case r == 0x2795:
		return '+', false // ➕V: 加v
	case decorSep(r):
		return ' ', false
	}
	return 0, false
}

// letterForDigit reports whether the letter s[i] stands between two digits
// (1370O285164), at the end of a group before a space and the next group
// (13O 2194 7768), or before ten digits or more after no letter
// (电话l5067283319).
func letterForDigit(s string, i int) bool {
	prev := i > 0 && isDigit(s[i-1])
	switch {
	case i+1 >= len(s):
		return false
	case prev && isDigit(s[i+1]):
		return true
	case prev && i > 1 && isDigit(s[i-2]) && (s[i+1] == ' ' || s[i+1] == '-') && i+2 < len(s) && isDigit(s[i+2]):
		return true
	case !prev && (i == 0 || !isASCIILetter(s[i-1])):
		n := 0
		for k := i + 1; k < len(s) && isDigit(s[k]); k++ {
			n++
		}
		return n >= 10
	}
	return false
}

// letterDigit returns s[i], or the digit a letter between two digits
// stands for (letterForDigit): O and o for 0, l and I for 1 (1370O285164, 13O2596l847 as a
// buyer mistypes or disguises a number).
func letterDigit(s string, i int) byte {
	c := s[i]
	if c != 'O' && c != 'o' && c != 'l' && c != 'I' {
		return c
	}
	if !letterForDigit(s, i) {
		return c
	}
	switch c {
	case 'O', 'o':
		return '0'
	case 'l', 'I':
		return '1'
	}
	return c
}

func isHeart(r rune) bool {
	switch r {
	case 0x2764, 0x2665, 0x2661, 0x1F495, 0x1F496, 0x1F497, 0x1F493, 0x1F49A, 0x1F499, 0x1F49C, 0x1F5A4, 0x1F90D, 0x1F9E1:
		return true
	}
	return false
}

// wechatHalf reports the first half of 微信 (微, 薇, 威) or a v: the
// characters a heart after them stands for 信.
func wechatHalf(r rune) bool {
	return r == '微' || r == '薇' || r == '威' || r == 'v' || r == 'V'
}

// appendView appends to the view b the bytes of str, each at offset at of
// the text (off).
func appendView(b []byte, off []int32, str string, at int) ([]byte, []int32) {
	for k := 0; k < len(str); k++ {
		b = append(b, str[k])
		off = append(off, int32(at))
	}
	return b, off
}

// decorSep reports the symbols buyers put between the digits of a number
// to get it past a platform's filter (187✨6542✨1089, 152•6810•3374,
// 370202🌸20010918🌸1276): middle dots and bullets, the dingbat and
// miscellaneous-symbol blocks, and emoji. The view reads them as spaces,
// so a number split by them is read like one split by spaces.
func decorSep(r rune) bool {
	return r == 0xB7 || r == 0x2022 || r == 0x2027 || r == 0x2219 || r == 0x22C5 || r == 0x30FB ||
		r >= 0x2600 && r <= 0x27BF || r >= 0x2B00 && r <= 0x2BFF || r >= 0x1F000 && r <= 0x1FAFF
}

// maskView is text with viewRune applied; off[k] is the offset in text of
// view byte k (off[len(view)] = len(text)).
type maskView struct {
	text string
	off  []int32
}

func newMaskView(s string) maskView {
	runs, cues := hanRuns(s, nil)
	return newMaskViewRuns(s, runs, numbersInWords(s, cues))
}

// numbersInWords returns the numbers in numerals of text the view reads
// by value (hanAddressRuns) when hanRuns saw a cue for them: a house
// number, a mail provider's number, or (with a phone or ID word in the
// text) the pieces of a number told apart.
func numbersInWords(text string, cues hanCues) [][2]int {
	if cues&(cueHanAddress|cueAtSign|cueHanPieces) == 0 {
		return nil
	}
	return hanAddressRuns(text, nil, cues&cueHanPieces != 0 && containsAny(text, splitCueWords))
}

// newMaskViewRuns is newMaskView with the numeral runs of s (hanRuns) and
// its house numbers in numerals (hanAddressRuns) already found.
func newMaskViewRuns(s string, runs, addr [][2]int) maskView {
	b := make([]byte, 0, len(s))
	off := make([]int32, 0, len(s)+1)
	numEnd := -1 // the end of the last number in numerals read as digits
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' && i+10 <= len(s) && s[i+1] == 'U' {
			// A character beyond the BMP escaped as Go and some logs
			// write it, \U0001f427: read as the character.
			if r1, ok := hex4(s[i+2 : i+6]); ok && r1 <= 0x10 {
				if r2, ok := hex4(s[i+6 : i+10]); ok {
					b, off = appendView(b, off, escapedView(r1<<16|r2), i)
					i += 10
					continue
				}
			}
		}
		if c == '\\' && i+6 <= len(s) && s[i+1] == 'u' {
			if r, ok := hex4(s[i+2 : i+6]); ok {
				if utf16.IsSurrogate(r) && i+12 <= len(s) && s[i+6] == '\\' && s[i+7] == 'u' {
					if r2, ok := hex4(s[i+8 : i+12]); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							b, off = appendView(b, off, escapedView(pair), i)
							i += 12
							continue
						}
					}
				}
				if last, _ := utf8.DecodeLastRune(b); isHeart(r) && wechatHalf(last) {
					b, off = appendView(b, off, "信", i)
					i += 6
					continue
				}
				vb, drop := viewRune(r)
				if r < 0x80 && (isASCIIAlnum(byte(r)) || strings.IndexByte("@.-+_ ", byte(r)) >= 0) {
					vb = byte(r)
				}
				if !drop {
					if vb == 0 {
						// Any other escaped character stays one character
						// (not the letters and digits of its hex code).
						var u [utf8.UTFMax]byte
						for _, ub := range u[:utf8.EncodeRune(u[:], r)] {
							b = append(b, ub)
							off = append(off, int32(i))
						}
					} else {
						b = append(b, vb)
						off = append(off, int32(i))
					}
				}
				i += 6
				continue
			}
		}
		if c == '(' {
			if n := writtenAtSign(s[i:]); n > 0 {
				b = append(b, '@') // (艾特)
				off = append(off, int32(i))
				i += n
				continue
			}
		}
		if c < 0x80 {
			b = append(b, letterDigit(s, i))
			off = append(off, int32(i))
			i++
			continue
		}
		for len(addr) > 0 && addr[0][1] <= i {
			addr = addr[1:]
		}
		if len(addr) > 0 && i == addr[0][0] {
			// A house number in numerals reads as its digits, each
			// mapped to the number's first byte.
			k := len(b)
			b = hanValue(b, s[addr[0][0]:addr[0][1]])
			for ; k < len(b); k++ {
				off = append(off, int32(i))
			}
			i = addr[0][1]
			numEnd = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		for len(runs) > 0 && runs[0][1] <= i {
			runs = runs[1:]
		}
		if len(runs) > 0 && i >= runs[0][0] {
			if d := hanDigit(r); d != 0 {
				b = append(b, d)
				off = append(off, int32(i))
				i += n
				continue
			}
		}
		if n := writtenAtSign(s[i:]); n > 0 {
			b = append(b, '@')
			off = append(off, int32(i))
			i += n
			continue
		}
		if r == '点' && i > 0 && (isASCIIAlnum(s[i-1]) || i == numEnd) && i+n < len(s) && isASCIILetter(s[i+n]) {
			b = append(b, '.') // 126点com
			off = append(off, int32(i))
			i += n
			continue
		}
		if word := emojiWord(r); word != "" {
			b, off = appendView(b, off, word, i)
			i += n
			continue
		}
		if last, _ := utf8.DecodeLastRuneInString(s[:i]); isHeart(r) && wechatHalf(last) {
			// 微❤, V❤: a heart written for 信 (微信) to get the word past a
			// filter; the view reads the word.
			b, off = appendView(b, off, "信", i)
			i += n
			continue
		}
		if vb, drop := viewRune(r); vb != 0 || drop {
			if !drop {
				b = append(b, vb)
				off = append(off, int32(i))
			}
			i += n
			continue
		}
		for k := 0; k < n; k++ {
			b = append(b, s[i+k])
			off = append(off, int32(i+k))
		}
		i += n
	}
	off = append(off, int32(len(s)))
	return maskView{string(b), off}
}

// escapedView is what the view reads for a character beyond the BMP that
// arrived escaped (\ud83d\udc49, \U0001f449): as the same character
// unescaped would read (emojiWord, viewRune), else the character itself.
func escapedView(r rune) string {
	if word := emojiWord(r); word != "" {
		return word
	}
	if vb, drop := viewRune(r); drop {
		return ""
	} else if vb != 0 {
		return string(rune(vb))
	}
	return string(r)
}

// emojiWord returns the word an emoji is written for in a contact cue: the
// penguin, QQ's mascot, for 企鹅 (QQ); the satellite for 卫星 (微信 read
// as 卫星); "" for others.
func emojiWord(r rune) string {
	switch r {
	case '🐧':
		return "企鹅"
	case '🛰':
		return "卫星"
	}
	return ""
}

func hex4(s string) (rune, bool) {
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
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
	return r, true
}

// findPII appends the PII spans of text, in order and non-overlapping.
func findPII(dst []span, text string) []span {
	var lb [maxLoose]looseGroup
	loose := lb[:0]
	unordered := false
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '@':
			s, ok := emailAt(text, i)
			if !ok {
				s, ok = writtenEmailAt(text, i)
			}
			if !ok {
				s, ok = spacedEmailAt(text, i)
			}
			if !ok {
				var local span
				if s, local, ok = emailInParts(text, i); ok {
					dst = append(dst, local) // before spans found since: sorted below
					unordered = true
				}
			}
			if ok {
				dst = addSpan(dst, s)
				i = s.end
				continue
			}
			i++
		case c == '(':
			if e, ok := parenLandlineAt(text, i); ok {
				dst = addSpan(dst, span{i, e, MaskPhone})
				i = e
				continue
			}
			fallthrough
		case c == '#' || (c == ' ' || c == '[') && i+2 < len(text) && text[i+1]|0x20 == 'a' && text[i+2]|0x20 == 't' ||
			c == ' ' && i+3 < len(text) && (text[i+1] == '(' || text[i+1] == '[') && text[i+2]|0x20 == 'a' && text[i+3]|0x20 == 't':
			if s, ok := writtenEmailAt(text, i); ok {
				dst = addSpan(dst, s)
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
				if (s.repl == MaskPhone && s.end-s.start <= 9 || s.repl == MaskIDCard && s.end-s.start == 12) && len(loose) < maxLoose {
					// A local number (号码85426719) or a 12-digit ID may be
					// a part of one told in pieces (区号028，号码85426719;
					// 身份证号前面是340104197111 后面是269258).
					loose = append(loose, looseGroup{int32(s.start), int32(s.end)})
				}
				dst = addSpan(dst, s)
				i = s.end
				continue
			}
			if len(loose) < maxLoose {
				loose = append(loose, looseGroup{int32(i), int32(next)})
			}
			i = next
		default:
			i++
		}
	}
	if len(loose) > 0 {
		n := len(dst)
		if len(loose) > 1 || loose[0].end-loose[0].start >= 10 {
			dst = splitNumbers(dst, text, loose)
		}
		if n > 0 {
			dst = nearMisses(dst, n, text, loose)
		}
		if len(dst) > n {
			unordered = true
		}
	}
	if unordered {
		dst = mergeSpans(dst)
	}
	return dst
}

// addSpan appends s to dst, replacing the spans it overlaps: s grows to
// cover them, so a later, wider reading (an e-mail around a number, an
// address reaching back over a street) never leaves part of an earlier
// one unmasked.
func addSpan(dst []span, s span) []span {
	for len(dst) > 0 && dst[len(dst)-1].end > s.start {
		s.start = min(s.start, dst[len(dst)-1].start)
		s.end = max(s.end, dst[len(dst)-1].end)
		dst = dst[:len(dst)-1]
	}
	return append(dst, s)
}

func isEmailLocal(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// emailLocalStart is where the local part of an address whose '@' (or
// what a buyer wrote for it) is at text[at] begins: letters, digits and
// ._%+- before it, not starting with a dot.
func emailLocalStart(text string, at int) int {
	s := at
	for s > 0 && isEmailLocal(text[s-1]) {
		s--
	}
	for s < at && text[s] == '.' {
		s++
	}
	return s
}

func emailAt(text string, at int) (span, bool) {
	s := emailLocalStart(text, at)
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
	if tld := text[at+1+dot+1 : e]; len(tld) < 2 || !allLetters(tld) {
		return span{}, false
	}
	return span{s, e, MaskEmail}, true
}

// Limits of one digit group: longer runs are ids or hashes, and a group is
// cut (the rest starts a new one) rather than scanned without bound.
const (
	maxGroupDigits = 40
	maxGroupParts  = 24
	maxSepRun      = 3 // "138  1234  5678", "138 - 1234"
)

// digitGroup is a run of digits, possibly split by separators as people
// write phone, ID and card numbers: up to maxSepRun spaces or dashes, or
// one dot, slash, underscore, tilde, plus or star when every separator of
// the group is that one (138.1234.5678, 187/2013/6649, 134_2961_0837,
// 199~3582~0614, 197+5571+0105, 156*1802*7739); 杠 (dash, as a number is read aloud) is
// a dash in the scan's view.
type digitGroup struct {
	digits [maxGroupDigits]byte
	n      int
	// parts are the contiguous pieces: byte range in text and the index of
	// their first digit in digits.
	parts [maxGroupParts]groupPart
	np    int
	end   int
	// tooBig marks a piece with more digits than digits holds; runs past
	// maxGroupDigits are not classified.
	tooBig bool
}

type groupPart struct{ start, end, d int32 }

// len is the piece's count of digits.
func (p groupPart) len() int { return int(p.end - p.start) }

// scan reads the group starting at text[i]; g must be zero.
func (g *digitGroup) scan(text string, i int) {
	var kind byte // the group's separators: 0 unknown until the first, ' ' spaces and dashes, or one of . / _ ~ + one at a time
	for {
		s, d := i, g.n
		for i < len(text) && isDigit(text[i]) {
			if g.n < len(g.digits) {
				g.digits[g.n] = text[i]
			} else {
				g.tooBig = true
			}
			g.n++
			i++
		}
		g.parts[g.np] = groupPart{int32(s), int32(i), int32(d)}
		g.np++
		g.end = i
		if g.np == maxGroupParts || g.n >= maxGroupDigits {
			break
		}
		if i-s == 1 && (kind == 0 || kind == ',') {
			// Single digits apart by commas (1，5，8，2，…): a number
			// typed digit by digit past a filter; prices (1,299) have
			// more digits after the comma.
			if n := commaAt(text, i); n > 0 && i+n < len(text) && isDigit(text[i+n]) && (i+n+1 == len(text) || !isDigit(text[i+n+1])) {
				kind = ','
				i += n
				continue
			}
		}
		if kind == ',' {
			break
		}
		k, sep := i, byte(' ')
		for k < len(text) && k-i < maxSepRun {
			c := text[k]
			if c == '.' || c == '/' || c == '_' || c == '~' || c == '+' || c == '*' {
				sep = c
			} else if c != ' ' && c != '-' && c != '\t' {
				break
			}
			k++
		}
		if k == i || k >= len(text) || !isDigit(text[k]) || sep != ' ' && k-i != 1 || kind != 0 && sep != kind {
			break
		}
		// A piece that would not fit in digits starts the next group
		// instead, so that its digits are classified whole.
		m := k
		for m < len(text) && isDigit(text[m]) && g.n+m-k <= maxGroupDigits {
			m++
		}
		if g.n+m-k > maxGroupDigits {
			break
		}
		kind = sep
		i = k
	}
}

// commaAt returns the length of a comma at text[i] (',', '，' or '、'), 0
// for none.
func commaAt(text string, i int) int {
	switch {
	case i >= len(text):
		return 0
	case text[i] == ',':
		return 1
	case strings.HasPrefix(text[i:], "，"), strings.HasPrefix(text[i:], "、"):
		return 3
	}
	return 0
}

// digitsAt classifies the digit group starting at i. next is where the
// scan resumes when nothing was found.
func digitsAt(text string, i int) (span, bool, int) {
	var g digitGroup
	g.scan(text, i)
	if i > 0 && isASCIILetter(text[i-1]) || i > 1 && text[i-1] == ' ' && isASCIILetter(text[i-2]) &&
		(i == 2 || !isASCIIAlnum(text[i-3]) || isASCIILetter(text[i-3]) && (i == 3 || !isASCIIAlnum(text[i-4]))) {
		if s, ok := letterIDAt(text, i, &g); ok {
			return s, true, s.end
		}
	}
	// A group may hold several numbers ("订单 1234… 13812345678", "138 1234
	// 5678 138 1234 5678"): try every run of consecutive pieces, longest
	// first from each piece.
	xAfter := g.end < len(text) && text[g.end]|0x20 == 'x' && (g.end+1 == len(text) || !isASCIIAlnum(text[g.end+1]))
	for p := 0; p < g.np; p++ {
		for q := g.np - 1; q >= p; q-- {
			ds, de := int(g.parts[p].d), int(g.parts[q].end-g.parts[q].start+g.parts[q].d)
			if de > len(g.digits) {
				continue
			}
			n := de - ds
			if n < 9 {
				break
			}
			if n > 19 {
				continue
			}
			s, e := int(g.parts[p].start), int(g.parts[q].end)
			if p == 0 && s > 0 && text[s-1] == '+' {
				s--
			}
			d := g.digits[ds:de]
			if repl, ok := classifyDigits(text, d, g.parts[p:q+1], s, e); ok {
				return span{s, e, repl}, true, e
			}
			if q == g.np-1 && n == 17 && xAfter {
				var id [18]byte
				copy(id[:], d)
				id[17] = 'X'
				if validIDCard(id[:]) {
					return span{s, e + 1, MaskIDCard}, true, e + 1
				}
			}
		}
	}
	if s, ok := digitIDAt(text, i, &g); ok {
		return s, true, s.end
	}
	if s, ok := ssnAt(text, i, &g); ok {
		return s, true, s.end
	}
	if s, ok := niNumberAt(text, i, &g); ok {
		return s, true, s.end
	}
	if localPhoneAt(text, i, &g) {
		return span{i, g.end, MaskPhone}, true, g.end
	}
	if s, ok := addressAt(text, i, g.end); ok {
		return s, true, s.end
	}
	return span{}, false, g.end
}

// classifyDigits decides what a digit string (separators removed) spanning
// text[start:end] is. A phone or ID number followed by letters is still
// one (13812345678abc); a card number is not (too many product codes pass
// the Luhn check).
func classifyDigits(text string, d []byte, parts []groupPart, start, end int) (string, bool) {
	repl, ok := classifyNumber(text, d, parts, start, end)
	if ok && repl == MaskPhone && orderNumberBefore(text, start) {
		return "", false // 订单号17835420961: an order number shaped like a mobile
	}
	if ok && repl == MaskPhone && tollFree(d, parts) {
		return "", false // 1-800-863-4127: a business's toll-free line
	}
	if ok && (start > 0 && text[start-1] == '/' && !(start > 1 && isDigit(text[start-2])) || end < len(text) && text[end] == '/' && !(end+1 < len(text) && isDigit(text[end+1])) ||
		codeBefore(text, start) || containsAny(text[max(0, start-24):start], codeWords)) {
		return "", false
	}
	return repl, ok
}

func classifyNumber(text string, d []byte, parts []groupPart, start, end int) (string, bool) {
	letterAfter := end < len(text) && isASCIIAlnum(text[end])
	p := d
	switch {
	case len(p) == 13 && p[0] == '8' && p[1] == '6':
		p = p[2:]
	case len(p) == 15 && p[0] == '0' && p[1] == '0' && p[2] == '8' && p[3] == '6':
		p = p[4:]
	}
	if len(p) == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' {
		return MaskPhone, true
	}
	if len(d) == 11 && d[0] == '0' && d[1] >= '7' && d[1] <= '9' && d[2] == '0' && len(parts) == 3 && parts[0].len() == 3 && parts[1].len() == 4 {
		return MaskPhone, true // a Japanese mobile number, 090-4172-8836
	}
	if len(d) == 12 && d[0] == '0' && d[1] == '1' && d[2] >= '3' && d[2] <= '9' && start+1 < len(text) && isDigit(text[start+1]) {
		return MaskPhone, true // a mobile number dialled with the trunk 0: 013812345678
	}
	if hkTWPhone(text, d, parts, start, end) {
		return MaskPhone, true
	}
	if landline(d) || text[start] == '+' && len(d) >= 10 && d[0] == '8' && d[1] == '6' && landlineAfter86(d[2:]) ||
		len(d) >= 12 && string(d[:4]) == "0086" && landlineAfter86(d[4:]) {
		return MaskPhone, true
	}
	if len(d) == 18 && (validIDCard(d) || idShaped(d) && cueBefore(text, start, idCardWordsZh)) {
		return MaskIDCard, true
	}
	if len(d) == 15 && validIDCard15(d) && !orderContext(text, start) {
		return MaskIDCard, true
	}
	if !letterAfter && len(d) >= 16 && len(d) <= 19 && d[0] >= '3' && d[0] <= '6' && luhn(d) && !orderContext(text, start) {
		return MaskCard, true
	}
	if !letterAfter && len(d) == 15 && d[0] == '3' && (d[1] == '4' || d[1] == '7') && luhn(d) && !orderContext(text, start) {
		return MaskCard, true // American Express, 3782 822463 10005
	}
	if myKad(text, d, parts) || koreanRRN(text, d, parts) || thaiID(d, parts) {
		return MaskIDCard, true
	}
	return "", false
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// validRegion reports whether the first two digits are a province-level
// region code of GB/T 2260 (11 Beijing … 65 Xinjiang, 71, 81, 82; 83 the
// residence permit of Taiwan residents), or 9 and a province (foreigners).
func validRegion(d []byte) bool {
	r := int(d[0]-'0')*10 + int(d[1]-'0')
	switch {
	case r >= 11 && r <= 15, r >= 21 && r <= 23, r >= 31 && r <= 37, r >= 41 && r <= 46,
		r >= 50 && r <= 54, r >= 61 && r <= 65, r == 71, r == 81, r == 82, r == 83:
		return true
	case r >= 91 && r <= 96:
		return true // a foreigner's permanent residence card (since 2023: 9, the province, the country)
	}
	return false
}

func validMonthDay(md []byte) bool {
	m := int(md[0]-'0')*10 + int(md[1]-'0')
	day := int(md[2]-'0')*10 + int(md[3]-'0')
	return m >= 1 && m <= 12 && day >= 1 && day <= 31
}

// idShaped reports the region and a plausible birth date of an
// 18-character resident ID number, whatever its check character: after a
// word naming an ID card, a number with a mistyped check digit is still
// the buyer's (身份证：620103199004210019).
func idShaped(d []byte) bool {
	if !validRegion(d) {
		return false
	}
	y := (int(d[6]-'0')*10+int(d[7]-'0'))*100 + int(d[8]-'0')*10 + int(d[9]-'0')
	return y >= 1900 && y <= 2099 && validMonthDay(d[10:14])
}

// validIDCard checks the GB 11643 check character, the region and a
// plausible birth date of an 18-character resident ID number.
func validIDCard(d []byte) bool {
	sum := 0
	for k := 0; k < 17; k++ {
		sum += int(d[k]-'0') * idWeights[k]
	}
	last := d[17]
	if last == 'x' {
		last = 'X'
	}
	return last == "10X98765432"[sum%11] && idShaped(d)
}

// validIDCard15 checks a first-generation 15-digit ID number (no check
// digit: region, then the birth date as YYMMDD).
func validIDCard15(d []byte) bool {
	return validRegion(d) && validMonthDay(d[8:12])
}

func luhn(d []byte) bool {
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

// codeWords name the numbers of invoices and companies, which are no
// one's personal data (发票代码 044031900111 reads as a landline, a 15-digit
// business registration number as a first-generation ID).
var codeWords = []string{"发票代码", "发票号码", "發票號碼", "注册号", "註冊號", "执照", "執照", "信用代码", "税号", "稅號",
	"ISBN", "isbn", "注文番号"} // a book's number, a Japanese order number (session 21)

// orderNumberBefore reports whether the number at text[start] is named an
// order or waybill number right before it (订单号17835420961, 单号：…):
// only the words that name the number itself, so that a phone number
// further on in a sentence about an order is still read as one.
func orderNumberBefore(text string, start int) bool {
	k := start
	for k > 0 && (text[k-1] == ' ' || text[k-1] == ':') {
		k--
	}
	h := strings.TrimSuffix(text[:k], "：")
	if h == "" || h[len(h)-1] < 0x80 && !isASCIILetter(h[len(h)-1]) && h[len(h)-1] != '.' && h[len(h)-1] != '#' {
		return false
	}
	words := orderNumberWords[:orderNumberWordsZh]
	if h[len(h)-1] < 0x80 {
		words = orderNumberWords[orderNumberWordsZh:] // Order ID, SKU …: only the words that end in ASCII
	}
	for _, w := range words {
		if strings.HasSuffix(h, w) {
			return true
		}
	}
	return false
}

// tollFree reports a North American toll-free number, with its country
// code 1 written apart (1-800-863-4127) or without it: a shop's line, not a
// person's. A mainland mobile (18880012345) is one piece of 11 digits.
func tollFree(d []byte, parts []groupPart) bool {
	if len(d) == 11 && d[0] == '1' && len(parts) > 1 && parts[0].len() == 1 {
		d = d[1:]
	}
	if len(d) != 10 || d[0] != '8' || d[1] != d[2] {
		return false
	}
	return d[1] == '0' || d[1] >= '3' && d[1] <= '8' // 800, 833, 844, 855, 866, 877, 888
}

// orderNumberWords name the number after them an order's or a waybill's.
// The first orderNumberWordsZh end in a Han character, the others in
// ASCII.
var orderNumberWords = []string{"订单号", "订单编号", "訂單號", "訂單編號", "單號", "单号",
	// a product's own number (session 21): 货号 18652047391 的这款还有货吗
	"货号", "貨號", "款号", "款號", "型号", "型號", "商品编号", "商品編號", "条码", "條碼",
	"Order ID", "order id", "Order No.", "order no.", "商品ID", "SKU", "sku"}

const orderNumberWordsZh = 16

// codeBefore reports a number glued to three or more capital letters, a
// parcel or product code (JDVC18374562091, SFX13812345678 …), except
// TEL/MOB before a phone number.
func codeBefore(text string, start int) bool {
	k := start
	for k > 0 && text[k-1] >= 'A' && text[k-1] <= 'Z' {
		k--
	}
	if start-k < 3 || k > 0 && isASCIILetter(text[k-1]) {
		return false
	}
	w := text[k:start]
	return !strings.HasSuffix(w, "TEL") && !strings.HasSuffix(w, "MOB") && !strings.HasSuffix(w, "QQ") && !strings.HasSuffix(w, "VX") && !strings.HasSuffix(w, "WX")
}

// myKad reports a Malaysian identity card number written as printed,
// YYMMDD-PB-###G (900512-14-5378): its pieces (parts) 6, 2 and 4 digits
// apart by one dash each.
func myKad(text string, d []byte, parts []groupPart) bool {
	return printedAs(text, parts, '-', 6, 2, 4) && validMonthDay(d[2:6])
}

// printedAs reports whether the pieces of a digit group have the lengths
// lens, each apart from the next by the one byte sep: an ID number written
// as its card prints it (900512-14-5378, 524-71-3098, 1/362814/5).
func printedAs(text string, parts []groupPart, sep byte, lens ...int) bool {
	if len(parts) != len(lens) {
		return false
	}
	for k, n := range lens {
		if parts[k].len() != n || k > 0 && (parts[k].start != parts[k-1].end+1 || text[parts[k-1].end] != sep) {
			return false
		}
	}
	return true
}

var orderWords = []string{"订单", "单号", "运单", "快递", "物流", "order", "Order", "ORDER", "tracking", "Tracking", "Bestellnummer", "Sendungsnummer", "commande"}

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
	return containsAny(text[from:start], orderWords)
}
