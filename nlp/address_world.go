package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Addresses of buyers abroad written as their countries write them, which
// the Chinese and English rules do not read (session 21): a Japanese room
// (502号室) or block (難波4丁目2-15 …), a Korean flat (105동 1503호), a Hong
// Kong flat (Flat 12B, Block 3), the
// house number after the street (Hauptstraße 27a, Schönhauser Allee 148),
// the street's word before its name (2250 Rue Guy, Số 45 ngõ 82), a
// Korean road's building and flat (월드컵북로 12길 34, 301호), a Japanese
// block number (西新宿7-14-9 グリーンハイツ302号), a Malaysian unit
// (B-12-03, Residensi Harmoni) and a lettered tower and flat after a
// Chinese estate (万科城市花园 T3-2204).

// streetAfterWords end a street's name that its number follows.
var streetAfterWords = []string{"straße", "strasse", "Straße", "Strasse", "str.", "Str.", "Allee", "allee", "weg", "Weg", "platz", "Platz", "gasse", "Gasse", "damm", "Damm", "ufer", "Ufer", "ring", "Ring"}

// streetBeforeWords stand before a street's name, after its number.
var streetBeforeWords = []string{"Rue ", "rue ", "Avenue ", "Av. ", "Boulevard ", "Bd ", "Chemin ", "Calle ", "Via ", "Jalan ", "Jln ", "Rua "}

// worldAddressAt reads the forms above around the digit group
// text[i:gend].
func worldAddressAt(text string, i, gend int) (span, bool) {
	if strings.HasPrefix(text[gend:], "号室") {
		return japanRoom(text, i, gend)
	}
	if strings.HasPrefix(text[gend:], "丁目") {
		return japanChome(text, i, gend)
	}
	if strings.HasPrefix(text[gend:], "동") {
		if s, ok := koreaUnit(text, i, gend); ok {
			return s, true
		}
	}
	if i >= 6 && text[i-1] == ' ' && isASCIILetter(text[i-2]) {
		if s, ok := hkBlock(text, i, gend); ok {
			return s, true
		}
	}
	// Latin letters before or after the number (most numbers stand among
	// Han characters, and need neither look).
	if i >= 2 && text[i-1] == ' ' && (isASCIILetter(text[i-2]) || text[i-2] == '.' || text[i-2] >= 0xC3 && text[i-2] < 0xE0) {
		if s, ok := houseAfterStreet(text, i, gend); ok {
			return s, true
		}
	}
	if gend+2 < len(text) && text[gend] == ' ' && (isASCIILetter(text[gend+1]) || text[gend+1] >= 0xC3 && text[gend+1] < 0xE0) {
		if s, ok := streetWordAfterNumber(text, i, gend); ok {
			return s, true
		}
		if s, ok := pinyinAddress(text, i, gend); ok {
			return s, true
		}
	}
	if strings.HasPrefix(text[gend:], "호") {
		if s, ok := koreaFlat(text, i, gend); ok {
			return s, true
		}
	}
	if s, ok := japanBlock(text, i, gend); ok {
		return s, true
	}
	return letteredUnit(text, i, gend)
}

// houseAfterStreet: a capitalised name ending in a street word
// (streetAfterWords) and a space before the number, which may carry a
// letter (27a): Hauptstraße 27a, Schönhauser Allee 148.
func houseAfterStreet(text string, i, gend int) (span, bool) {
	if i < 2 || text[i-1] != ' ' {
		return span{}, false
	}
	head := text[:i-1]
	if !hasAnySuffix(head, streetAfterWords...) {
		return span{}, false
	}
	s := wordsBack(head, 3)
	e := gend
	if e < len(text) && isASCIILetter(text[e]) && (e+1 == len(text) || !isASCIILetter(text[e+1])) {
		e++
	}
	return span{s, e, MaskAddress}, true
}

// streetWordAfterNumber: the number, a street word (streetBeforeWords) and
// one to three capitalised words: 2250 Rue Guy; or Vietnam's "Số 45 ngõ 82"
// (số, the number; ngõ, ngách, hẻm, kiệt: lanes) and "72/15 Nguyễn Trãi,
// Phường 3" (a ward after the street).
func streetWordAfterNumber(text string, i, gend int) (span, bool) {
	rest := text[gend:]
	if strings.HasPrefix(rest, " ") {
		for _, w := range streetBeforeWords {
			if strings.HasPrefix(rest[1:], w) {
				e := wordsForward(text, gend+1+len(w), 3)
				if e > gend+1+len(w) {
					return span{i, e, MaskAddress}, true
				}
			}
		}
		for _, w := range []string{"ngõ ", "ngách ", "hẻm ", "kiệt "} {
			if strings.HasPrefix(rest[1:], w) {
				e := wordsForward(text, gend+1+len(w), 4)
				s := i
				if b := strings.TrimSuffix(text[:i], " "); strings.HasSuffix(b, "Số") || strings.HasSuffix(b, "số") {
					s = len(b) - len("Số")
				}
				return span{s, e, MaskAddress}, true
			}
		}
		if k := strings.Index(rest[:min(len(rest), 60)], ", Phường "); k > 0 {
			e := gend + k + len(", Phường ")
			for e < len(text) && isASCIIAlnum(text[e]) {
				e++
			}
			return span{i, e, MaskAddress}, true
		}
	}
	return span{}, false
}

// koreaFlat: a flat number followed by 호 with a road (…로, …길) in the 40
// bytes before: 월드컵북로 12길 34, 301호.
func koreaFlat(text string, i, gend int) (span, bool) {
	before := text[max(0, i-40):i]
	if !strings.Contains(before, "로 ") && !strings.Contains(before, "길 ") {
		return span{}, false
	}
	return span{runesBack(text, i, 60, isHangul), gend + len("호"), MaskAddress}, true
}

// japanBlock: a block number of three dashed pieces (two, when a kana
// name follows it) right after a Han town name, with the postal mark (〒)
// before or kana after:
// 西新宿7-14-9 グリーンハイツ302号, read as japanChome reads one.
func japanBlock(text string, i, gend int) (span, bool) {
	if dashes := strings.Count(text[i:gend], "-"); i < 3 || dashes < 1 || dashes > 2 || strings.Contains(text[i:gend], "--") {
		return span{}, false
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:i]); !isHan(r) {
		return span{}, false
	}
	if !strings.ContainsAny(text[max(0, i-40):i], "〒") && !hasKana(text[gend:min(len(text), gend+40)]) ||
		strings.Count(text[i:gend], "-") == 1 && (!hasKana(text[gend:min(len(text), gend+4)]) || !strings.ContainsAny(text[max(0, i-12):i], "町区市")) {
		return span{}, false // 西駅前町5-20 グランドメゾン…: a block of two pieces only right before a kana name
	}
	s, _ := japanRoom(text, i, i)
	last := lastDigitAfter(text, gend, 60, func(r rune) bool { return isKana(r) || r >= 0x4E00 && r <= 0x9FFF && r != '号' })
	if strings.HasPrefix(text[last:], "号室") {
		last += len("号室")
	} else if strings.HasPrefix(text[last:], "号") {
		last += len("号")
	}
	return span{s.start, last, MaskAddress}, true
}

// hasKana reports a hiragana or katakana character in s.
func hasKana(s string) bool {
	for _, r := range s {
		if isKana(r) {
			return true
		}
	}
	return false
}

// letteredUnit: a unit written letter-floor-unit (B-12-03) with a
// Malaysian estate or street word after it (Residensi, Jalan, Taman,
// Pangsapuri, Menara, Kondominium); a building and flat (3-1101) or a
// lettered tower and a flat (T3-2204) right after a Chinese estate's name;
// a Malaysian lot (Lot 1127, … Jalan …).
func letteredUnit(text string, i, gend int) (span, bool) {
	if i >= 2 && text[i-1] == '-' && text[i-2] >= 'A' && text[i-2] <= 'Z' && (i == 2 || !isASCIIAlnum(text[i-3])) &&
		strings.Count(text[i:gend], "-") == 1 {
		after := text[gend:min(len(text), gend+40)]
		for _, w := range []string{"Residensi", "Jalan", "Taman", "Pangsapuri", "Menara", "Kondominium", "Condo"} {
			if strings.Contains(after, w) {
				return span{i - 2, gend, MaskAddress}, true
			}
		}
	}
	if i >= 4 && text[i-1] == ' ' && strings.Count(text[i:gend], "-") == 1 {
		// 文华苑 3-1101: building and flat after an estate's name.
		k := strings.IndexByte(text[i:gend], '-')
		if k >= 1 && k <= 2 && gend-(i+k+1) >= 3 && gend-(i+k+1) <= 4 {
			r, _ := utf8.DecodeLastRuneInString(text[:i-1])
			if strings.ContainsRune("园園苑城府庭居湾灣", r) {
				return span{placeStart(text, i-1, true), gend, MaskAddress}, true
			}
		}
	}
	if strings.HasSuffix(text[:i], "Lot ") && strings.Contains(text[gend:min(len(text), gend+60)], "Jalan") {
		return span{i - len("Lot "), gend, MaskAddress}, true // Lot 1127, Kampung Baru…, Jalan Kenanga 4
	}
	if i >= 2 && (text[i-1] == 'T' || text[i-1] == 'A' || text[i-1] == 'B' || text[i-1] == 'C' || text[i-1] == 'D') &&
		strings.Count(text[i:gend], "-") == 1 && text[i-2] == ' ' {
		k := strings.IndexByte(text[i:gend], '-')
		if k >= 1 && k <= 2 && gend-(i+k+1) >= 3 && gend-(i+k+1) <= 4 {
			r, _ := utf8.DecodeLastRuneInString(text[:i-2])
			if strings.ContainsRune("园園苑城府庭居区區湾灣", r) {
				return span{placeStart(text, i-2, true), gend, MaskAddress}, true
			}
		}
	}
	return span{}, false
}

// wordsBack returns where the last n words of head begin, counting only
// words that start with a capital letter (a street's name) and stopping at
// punctuation.
func wordsBack(head string, n int) int {
	s := len(head)
	for w := 0; w < n; w++ {
		k := strings.LastIndexAny(head[:s], " ,:;")
		word := head[k+1 : s]
		r, _ := utf8.DecodeRuneInString(word)
		if word == "" || !unicode.IsUpper(r) {
			break
		}
		s = k + 1
		if k < 0 || head[k] != ' ' {
			break
		}
		s = k
	}
	for s < len(head) && head[s] == ' ' {
		s++
	}
	return s
}

// namePrefixes are the lower-case words inside a street's name (Rue des
// Martyrs, Via della Spiga).
var namePrefixes = []string{"des ", "de ", "du ", "la ", "le ", "les ", "del ", "della ", "di ", "da ", "do ", "dos "}

// wordsForward returns the end of up to n capitalised words from text[j].
func wordsForward(text string, j, n int) int {
	e := j
	for w := 0; w < n && j < len(text); w++ {
		r, _ := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsUpper(r) && !isDigit(text[j]) && !hasAnyPrefix(text[j:], namePrefixes) {
			break
		}
		k := j
		for k < len(text) && text[k] != ' ' && text[k] != ',' {
			k++
		}
		e = k
		if k >= len(text) || text[k] != ' ' {
			break
		}
		j = k + 1
	}
	return e
}

// Addresses in pinyin, typed where no Chinese input is at hand:
// "Zhongguancun Nan Dajie 27 hao, Yuanda Garden 5 hao lou 3 danyuan 601",
// "Xueyuan lu 37 hao", "Zhangjiang Lu 88 Nong 5 Hao 602 Shi". A number
// followed by hao (号) or nong (弄), after a road word (lu, jie, dajie, dao),
// starts one; it runs over the names, numbers and pinyin markers that
// follow (pinyinMarkers) to the last number or marker.
var pinyinRoads = []string{"lu", "jie", "dajie", "dao", "road", "rd"}

// pinyinMarkers are the pinyin words of an address's parts after a number.
var pinyinMarkers = []string{"hao", "lou", "hao lou", "haolou", "danyuan", "shi", "nong", "dong", "zuo", "ceng", "fang"}

// pinyinAddress reads such an address around the group text[i:gend].
func pinyinAddress(text string, i, gend int) (span, bool) {
	if !(hasPrefixFold(text[gend:], " hao") || hasPrefixFold(text[gend:], " nong")) || i < 3 || text[i-1] != ' ' {
		return span{}, false
	}
	k := strings.LastIndexByte(text[:i-1], ' ')
	if !containsFold(pinyinRoads, text[k+1:i-1]) {
		return span{}, false
	}
	// Back over up to five words of the road's and district's names.
	s := k + 1
	for w := 0; w < 5 && s > 1 && text[s-1] == ' ' && isASCIILetter(text[s-2]); w++ {
		p := strings.LastIndexAny(text[:s-1], " ,:;")
		s = p + 1
	}
	// Forward over numbers, markers and names; the span ends after the
	// last number or marker.
	e, last := gend, gend
	for tok := 0; tok < 16 && e < len(text); tok++ {
		j := e
		for j < len(text) && (text[j] == ' ' || text[j] == ',') {
			j++
		}
		k := j
		for k < len(text) && isASCIIAlnum(text[k]) {
			k++
		}
		word := text[j:k]
		if word == "" {
			break
		}
		switch {
		case isDigit(word[0]) || containsFold(pinyinMarkers, word):
			last = k
		case !isASCIILetter(word[0]):
			tok = 16
			continue
		}
		e = k
	}
	return span{s, last, MaskAddress}, true
}

// containsFold reports whether words (lower case) holds w in any case.
func containsFold(words []string, w string) bool {
	for _, x := range words {
		if len(x) == len(w) && hasPrefixFold(w, x) {
			return true
		}
	}
	return false
}

// japanRoom recognises the room of a Japanese address, "502号室", and the
// building name and block number written before it (東京都新宿区西新宿3-7-1
// メゾン新宿502号室): the span reaches back over kana, Han characters,
// digits, dashes and single spaces, at most 60 bytes, to a word that ends
// an address's look-back (addressStop) or anything else.
func japanRoom(text string, i, gend int) (span, bool) {
	s := runesBack(text, i, 60, func(r rune) bool {
		return isKana(r) || r >= 0x4E00 && r <= 0x9FFF && !addressStop(r)
	})
	return span{s, gend + len("号室"), MaskAddress}, true
}

// isKana reports hiragana and katakana.
func isKana(r rune) bool { return r >= 0x3040 && r <= 0x30FF }

// runesBack returns where the address part ending at text[i] begins: back
// over the runes keep accepts, ASCII digits, dashes and commas, and single
// spaces between them, at most limit bytes; spaces and commas at its start
// are left out.
func runesBack(text string, i, limit int, keep func(rune) bool) int {
	s := i
	for s > 0 && i-s < limit {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if !(keep(r) || r < 0x80 && (isDigit(byte(r)) || r == '-' || r == ',' || r == ' ' && s > 1 && text[s-2] != ' ')) {
			break
		}
		s -= n
	}
	for s < i && (text[s] == ' ' || text[s] == ',') {
		s++
	}
	return s
}

// lastDigitAfter returns the end of the last ASCII digit in the run from
// text[j] of the runes keep accepts, ASCII digits, dashes and single
// spaces, at most limit bytes; j when it holds no digit.
func lastDigitAfter(text string, j, limit int, keep func(rune) bool) int {
	e, last := j, j
	for e < len(text) && e-j < limit {
		r, n := utf8.DecodeRuneInString(text[e:])
		if !(keep(r) || r < 0x80 && (isDigit(byte(r)) || r == '-' || r == ' ' && e+1 < len(text) && text[e+1] != ' ')) {
			break
		}
		e += n
		if r < 0x80 && isDigit(byte(r)) {
			last = e
		}
	}
	return last
}

// japanChome recognises a Japanese address from its block, "難波4丁目2-15
// ライオンズマンション難波803": back over the town's name as japanRoom reads
// it, forward over the lot number, the building's name and its room (kana,
// Han characters, digits, dashes, single spaces, at most 60 bytes), to the
// last digit.
func japanChome(text string, i, gend int) (span, bool) {
	s, _ := japanRoom(text, i, i)
	last := lastDigitAfter(text, gend+len("丁目"), 60, func(r rune) bool { return isKana(r) || r >= 0x4E00 && r <= 0x9FFF })
	return span{s.start, last, MaskAddress}, true
}

// koreaUnit recognises a Korean flat, "105동 1503호" (building 105, flat
// 1503), the group text[i:gend] followed by 동 and a number followed by
// 호; the span reaches back over the road, its number and the complex's
// name (Hangul, digits, dashes, single spaces, at most 80 bytes).
func koreaUnit(text string, i, gend int) (span, bool) {
	j := gend + len("동")
	for j < len(text) && text[j] == ' ' {
		j++
	}
	k := j
	for k < len(text) && isDigit(text[k]) {
		k++
	}
	if k == j || !strings.HasPrefix(text[k:], "호") {
		return span{}, false
	}
	return span{runesBack(text, i, 80, isHangul), k + len("호"), MaskAddress}, true
}

// isHangul reports a Hangul syllable.
func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// hkBlock recognises a Hong Kong flat written "Flat 12B, Block 3": the
// group text[i:gend] after "Block " (or "Blk ", "Tower "), with "Flat …," or
// "Rm …," before it.
func hkBlock(text string, i, gend int) (span, bool) {
	b := text[:i]
	var ok bool
	for _, w := range []string{"Block ", "Blk ", "Tower ", "block "} {
		if strings.HasSuffix(b, w) {
			b, ok = b[:len(b)-len(w)], true
			break
		}
	}
	if !ok {
		return span{}, false
	}
	b = strings.TrimRight(b, " ")
	if !strings.HasSuffix(b, ",") {
		return span{}, false
	}
	b = b[:len(b)-1]
	k := len(b)
	for k > 0 && isASCIIAlnum(b[k-1]) {
		k--
	}
	if k == len(b) || k < 1 || b[k-1] != ' ' {
		return span{}, false
	}
	w := strings.TrimRight(b[:k], " ")
	for _, flat := range []string{"Flat", "flat", "FLAT", "Rm", "Room", "Unit"} {
		if strings.HasSuffix(w, flat) {
			return span{len(w) - len(flat), gend, MaskAddress}, true
		}
	}
	return span{}, false
}
