package nlp

import (
	"strings"
	"unicode/utf8"
)

// Numbers told in pieces. A buyer whose platform hides phone numbers, or
// who dictates one to a courier, splits it over a sentence: 前三位189，中间
// 4521，最后0736; 手机号138，4402，7519; 【138】【3952】【4798】; 区号028，号码
// 85426719; 后八位 6205 8813，前面是135. No piece is a number by itself, so
// the digit scan leaves each. After it, the pieces it left (loose groups)
// are read together: two to four in a row, apart only by punctuation and a
// few words, named by a contact or document word before them
// (splitCueWords), make a number when their digits, in the order written
// or with the last piece first ("…，前面是135"), are a mobile or landline
// number, an ID card number or a bank card (Luhn). Each piece is masked,
// the words between them kept.
//
// A mobile number with a digit missing or one too many, named as a phone
// number (我的号写成1387124506少了一位), is masked as well: it still is the
// buyer's number, one digit off.

// maxLoose bounds the pieces findPII remembers for splitNumbers.
const maxLoose = 8

// maxSplitGap is the most bytes between two pieces of one number: 10 Han
// characters (，中间是, 后面再接).
const maxSplitGap = 30

// splitCueWords name the number told after them.
var splitCueWords = []string{
	"手机", "手機", "电话", "電話", "号码", "號碼", "联系", "聯絡", "联络", "座机", "座機", "区号", "區號",
	"身份证", "身份證", "证件", "證件", "卡号", "卡號", "银行卡", "銀行卡", "尾号", "前三位", "前六位", "后四位", "后八位",
	"phone", "Phone", "PHONE", "mobile", "Mobile", "cell", "Cell", "tel", "Tel", "TEL", "number", "Number", "whatsapp", "WhatsApp",
	"card", "Card", "I/C", "NRIC",
}

// splitGapStops are characters that, between two pieces, make them
// different quantities (13件，花了4402元) rather than one number: units,
// dates, money and order words.
const splitGapStops = "元块塊件个個年月日天岁歲斤克米寸台只单單次期折分秒"

// splitGapBirth name the birth date between the pieces of an ID number,
// whose 年 and 月 are otherwise units.
var splitGapBirth = []string{"出生年月日", "出生年月", "出生日期", "生日", "个数字", "个数", "位数"}

// looseGroup is a digit group findPII did not classify: its byte range.
type looseGroup struct{ start, end int32 }

// splitNumbers appends the spans of numbers told in pieces among the
// loose groups of text, in order (the loose groups are).
func splitNumbers(dst []span, text string, loose []looseGroup) []span {
	for a := 0; a < len(loose); a++ {
		var p splitPieces
		da := p.add(text, loose[a])
		if (len(da) == 10 || len(da) == 12) && da[0] == '1' && da[1] >= '3' && da[1] <= '9' &&
			phoneNamedBefore(text, int(loose[a].start)) {
			dst = append(dst, span{int(loose[a].start), int(loose[a].end), MaskPhone})
			continue
		}
		if len(da) < 3 || len(da) > 14 {
			continue
		}
		for b := a + 1; b < len(loose) && b < a+len(p.lens); b++ {
			if !splitGap(text[loose[b-1].end:loose[b].start]) {
				break
			}
			if db := p.add(text, loose[b]); len(db) < 3 || len(db) > 14 {
				break
			}
			repl, ok := p.kind()
			if !ok && p.n == 17 && int(loose[b].end) < len(text) && text[loose[b].end]|0x20 == 'x' {
				p.d[p.n] = 'X' // 前面 610113197211 ／ 后面 12033X
				if validIDCard(p.d[:18]) {
					repl, ok = MaskIDCard, true
					loose[b].end++
				}
			}
			if !ok || !splitNamed(text, loose[a:b+1]) {
				continue
			}
			for k := a; k <= b; k++ {
				dst = append(dst, span{int(loose[k].start), int(loose[k].end), repl})
			}
			a = b
			break
		}
	}
	return dst
}

// splitPieces holds the digits of up to four pieces of a number, one
// after the other, and where each ends.
type splitPieces struct {
	d    [64]byte
	lens [4]int
	n, k int // digits held, pieces held
}

// add appends the digits of text[g.start:g.end] (at most 16) as a piece
// and returns them.
func (p *splitPieces) add(text string, g looseGroup) []byte {
	s := p.n
	for i := g.start; i < g.end && p.n-s < 16; i++ {
		if isDigit(text[i]) {
			p.d[p.n] = text[i]
			p.n++
		}
	}
	p.lens[p.k] = p.n - s
	p.k++
	return p.d[s:p.n]
}

// kind reads the pieces' digits as one number: in the order written,
// then with the last piece first (后八位 6205 8813，前面是135).
func (p *splitPieces) kind() (string, bool) {
	if repl, ok := splitNumberKind(p.d[:p.n]); ok {
		return repl, true
	}
	last := p.lens[p.k-1]
	var d [64]byte
	copy(d[:], p.d[p.n-last:p.n])
	copy(d[last:], p.d[:p.n-last])
	return splitNumberKind(d[:p.n])
}

// splitGap reports whether the text between two pieces of a number can
// join them: short, without a letter, a digit or a unit (splitGapStops).
func splitGap(gap string) bool {
	if len(gap) == 0 || len(gap) > maxSplitGap {
		return false
	}
	for _, w := range splitGapBirth {
		gap = strings.Replace(gap, w, "", 1) // 前六位440106 出生年月19510206 后四位7352
	}
	for _, r := range gap {
		switch {
		case r < 0x80 && (isASCIIAlnum(byte(r)) || r == '.' || r == '/'):
			return false
		case strings.ContainsRune(splitGapStops, r):
			return false
		}
	}
	return true
}

// splitNumberKind is classifyNumber for the digits of pieces: a mainland
// mobile or landline number, an ID card number, a bank card.
func splitNumberKind(d []byte) (string, bool) {
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9':
		return MaskPhone, true
	case len(d) >= 10 && len(d) <= 12 && d[0] == '0' && landline(d):
		return MaskPhone, true
	case len(d) == 18 && validIDCard(d):
		return MaskIDCard, true
	case len(d) >= 16 && len(d) <= 19 && d[0] >= '3' && d[0] <= '6' && luhn(d):
		return MaskCard, true
	}
	return "", false
}

// splitNamed reports whether a cue word (splitCueWords) stands in the 30
// bytes before the first piece, between the pieces or after the last, and
// no order word before or between them (an order number told in pieces is
// not personal).
func splitNamed(text string, pieces []looseGroup) bool {
	from := max(0, int(pieces[0].start)-maxSplitGap)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	before := text[from:pieces[len(pieces)-1].start]
	if containsAny(before, orderWords) {
		return false
	}
	if containsAny(before, splitCueWords) {
		return true
	}
	// 幺八六，零二幺七，三三九八 这是我电话: the word may follow.
	to := min(len(text), int(pieces[len(pieces)-1].end)+maxSplitGap)
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	return containsAny(text[pieces[len(pieces)-1].end:to], splitCueWords)
}

// phoneNamedBefore reports a phone word in the 24 bytes before start and
// no order word: 我的号写成1387124506, 手机 1381234567.
func phoneNamedBefore(text string, start int) bool {
	from := max(0, start-24)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	before := text[from:start]
	return containsAny(before, phoneWords) && !containsAny(before, orderWords)
}

// phoneWords name a phone number.
var phoneWords = []string{"手机", "手機", "电话", "電話", "号码", "號碼", "我的号", "联系方式", "聯絡", "phone", "Phone", "mobile", "Mobile", "cell", "Cell", "tel", "Tel", "TEL"}

// Numbers spelled in English words: "one three eight, two six one four,
// nine zero seven three", "my cell is four one five, nine two zero …", or
// in pinyin, "yao wu qi, er san liu ba, jiu ling si yi". A
// run of at least minSpelledDigits digit words (zero/oh … nine, double
// and triple before one), apart only by spaces, commas, dots or dashes,
// is a phone number; fewer are how many of something.
const minSpelledDigits = 7

// digitWord is a word of a spelled digit and how many digits it counts
// for: 1, or 2 and 3 for double and triple (of the digit after them). Only
// how many digits a run holds decides; which ones does not matter.
type digitWord struct {
	w string
	n int
}

// digitWords are the words of spelled digits: zero (oh) to nine, double
// and triple.
var digitWords = []digitWord{
	{"zero", 1}, {"oh", 1}, {"one", 1}, {"two", 1}, {"three", 1}, {"four", 1},
	{"five", 1}, {"six", 1}, {"seven", 1}, {"eight", 1}, {"nine", 1},
	{"double", 2}, {"triple", 3},
	// pinyin, as a buyer types a number whose digits a platform hides
	// (yao wu qi, er san liu ba …): a run of seven of them is a number.
	{"ling", 1}, {"yao", 1}, {"yi", 1}, {"er", 1}, {"liang", 1}, {"san", 1},
	{"si", 1}, {"wu", 1}, {"liu", 1}, {"qi", 1}, {"ba", 1}, {"jiu", 1},
}

// digitWordsFrom holds digitWords by their first letter (its low five
// bits), so that a word is compared with two or three of them.
var digitWordsFrom = func() (t [32][]digitWord) {
	for _, w := range digitWords {
		k := w.w[0] & 0x1F
		t[k] = append(t[k], w)
	}
	return t
}()

// digitWordAt returns the length of the digit word at the start of s and
// how many digits it and its multiplier make (1 for a digit, 2 for double,
// 3 for triple), 0 for none. The word must end there.
func digitWordAt(s string) (int, int) {
	if len(s) < 2 {
		return 0, 0
	}
	for _, w := range digitWordsFrom[(s[0]|0x20)&0x1F] {
		if len(s) >= len(w.w) && (len(s) == len(w.w) || !isASCIILetter(s[len(w.w)])) && hasPrefixFold(s, w.w) {
			return len(w.w), w.n
		}
	}
	return 0, 0
}

// spelledNumbers appends the spans of numbers spelled in English words.
func spelledNumbers(dst []span, text string) []span {
	start, end, count, mult := -1, 0, 0, 1
	flush := func() {
		if start >= 0 && count >= minSpelledDigits {
			dst = append(dst, span{start, end, MaskPhone})
		}
		start, count, mult = -1, 0, 1
	}
	for i := 0; i < len(text); {
		if !isASCIILetter(text[i]) || i > 0 && isASCIILetter(text[i-1]) {
			i++
			continue
		}
		n, k := digitWordAt(text[i:])
		if n == 0 || start < 0 && k == 1 && hasPrefixFold(text[i:], "oh") {
			flush()
			for i < len(text) && isASCIILetter(text[i]) {
				i++
			}
			continue
		}
		if start >= 0 && !spelledGap(text[end:i]) {
			flush()
		}
		if start < 0 {
			start = i
		}
		if k > 1 {
			mult = k
		} else {
			count += mult
			mult = 1
		}
		end = i + n
		i += n
	}
	flush()
	return dst
}

// spelledGap reports whether the text between two digit words keeps them
// one number: at most three spaces, commas, dots or dashes.
func spelledGap(gap string) bool {
	if len(gap) == 0 || len(gap) > 3 {
		return false
	}
	for k := 0; k < len(gap); k++ {
		if strings.IndexByte(" ,.-", gap[k]) < 0 {
			return false
		}
	}
	return true
}

// A number written wrong beside the right one (50010319920211934 少了一位
// 完整是500103199202119346; 卡号6228480402564890038 错了 是6228…0083) is
// the same person's number one digit off: a loose group of ten digits or
// more whose first ten digits are those of a phone, ID or card number
// masked in the same text is masked as that number is.
const nearMissPrefix = 10

// nearMisses appends the spans of the loose groups that are near misses of
// the first n spans of dst.
func nearMisses(dst []span, n int, text string, loose []looseGroup) []span {
	for _, g := range loose {
		if g.end-g.start < nearMissPrefix {
			continue
		}
		var p splitPieces
		d := p.add(text, g)
		if len(d) < nearMissPrefix {
			continue
		}
		for _, s := range dst[:n] {
			if s.repl != MaskPhone && s.repl != MaskIDCard && s.repl != MaskCard {
				continue
			}
			var q splitPieces
			m := q.add(text, looseGroup{int32(s.start), int32(s.end)})
			if len(m) >= nearMissPrefix && string(m[:nearMissPrefix]) == string(d[:nearMissPrefix]) {
				dst = append(dst, span{int(g.start), int(g.end), s.repl})
				break
			}
		}
	}
	return dst
}
