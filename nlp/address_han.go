package nlp

import (
	"strings"
	"unicode/utf8"
)

// House, building and room numbers written in Chinese numerals, as voice
// input and older buyers write them: 朝阳路十二号院三号楼二单元五零二,
// 金地格林小城 十二栋 三单元 六零二, 杭海路六百零一号, 松仁路九十七號十一樓之三,
// 富源大厦幺幺零二. The digit scan reads digits only, so such an address was
// left whole. The scan's view reads these numbers as digits (十二 as 12,
// 六百零一 as 601, 五零二 as 502) where they stand before a building marker
// or, as a room, after one; the address rules then read the view as they
// read 12号院3号楼2单元502. Numerals elsewhere (五月三号, 三号楼 alone,
// 一楼) are read as digits too but make no address by themselves.

// hanAddrMarkersAfter are the markers a number in numerals stands before.
// A floor (三楼, 二层), 座 (一座山) and lanes are left out: in reviews they
// are a hotel's floors and measure words far more often than a home.
var hanAddrMarkersAfter = []string{"号楼", "號樓", "号院", "號院", "栋", "棟", "幢", "单元", "單元", "室", "号", "號"}

// hanAddrMarkersBefore are the markers a room number in numerals stands
// after (二单元五零二, 大厦幺幺零二, 十一樓之三).
var hanAddrMarkersBefore = []string{"单元", "單元", "栋", "棟", "幢", "楼", "樓", "座", "大厦", "大廈", "之"}

// hanNumeral reports the numerals of a number in words: the digits of
// hanDigit and the place words 十 and 百.
func hanNumeral(r rune) bool {
	return r == '十' || r == '百' || r >= 0x4E00 && r != '要' && hanDigit(r) != 0
}

// hanAddressRuns appends to dst the byte ranges of the numbers in numerals
// that stand before or after a building marker in text; pieces: every run
// of three to six digit numerals too, the pieces of a number told apart
// (电话一八七 后面是三三零二 再后面是四六一九) for splitNumbers.
func hanAddressRuns(text string, dst [][2]int, pieces bool) [][2]int {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !hanNumeral(r) {
			i += n
			continue
		}
		s, e, count, place := i, i, 0, false
		for e < len(text) {
			r, n := utf8.DecodeRuneInString(text[e:])
			if !hanNumeral(r) {
				break
			}
			place = place || r == '十' || r == '百'
			e += n
			count++
		}
		i = e
		if count >= 6 {
			continue // a number longer than a house's is hanRuns' to read
		}
		if num := text[s:e]; num == "两" || num == "兩" {
			continue // 其他两栋: how many, not which
		}
		after := hasAnyPrefix(text[e:], hanAddrMarkersAfter)
		if after && (strings.HasPrefix(text[e:], "号") || strings.HasPrefix(text[e:], "號")) && !hanStreetBefore(text, s) {
			after = false // 五月三号: a date, not a house number
		}
		if after && strings.HasPrefix(text[e:], "室") && (place || count < 3) {
			after = false // 三室一厅: bedrooms, not a room number (七零一室)
		}
		before := false
		if !after {
			b := strings.TrimRight(text[:s], " ")
			before = hasAnySuffix(b, hanAddrMarkersBefore...) && (!place && count >= 3 || strings.HasSuffix(b, "之") && count <= 2)
		}
		if !place && count == 3 && (strings.HasPrefix(text[e:], "点") || strings.HasPrefix(text[e:], ".")) {
			after = true // 艾特 一六三点com: a mail provider's number
		}
		if !place && count >= 2 && s > 0 && isASCIIAlnum(text[s-1]) && (strings.HasPrefix(text[e:], "艾特") || strings.HasPrefix(text[e:], "@")) {
			after = true // wangxin一九九二艾特…: the digits of an address's name
		}
		if pieces && !place && count >= 3 {
			after = true
		}
		if after || before {
			dst = append(dst, [2]int{s, e})
		}
	}
	return dst
}

// hanStreetBefore reports a road, lane or compound word right before a
// house number at text[s] (杭海路六百零一号, 松仁路九十七號, 十二号院).
func hanStreetBefore(text string, s int) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text[:s], " ")) // 情侣中路 三十九号
	return strings.ContainsRune("路街道巷弄里村大院", r)
}

// hanValue appends the digits of the number in numerals num: digit by
// digit (五零二 → 502), or by value when it has 十 or 百 (十二 → 12,
// 六百零一 → 601, 九十七 → 97).
func hanValue(b []byte, num string) []byte {
	if !strings.ContainsAny(num, "十百") {
		for _, r := range num {
			b = append(b, hanDigit(r))
		}
		return b
	}
	total, cur := 0, 0
	for _, r := range num {
		switch r {
		case '百':
			total += max(cur, 1) * 100
			cur = 0
		case '十':
			total += max(cur, 1) * 10
			cur = 0
		default:
			cur = int(hanDigit(r) - '0')
		}
	}
	total += cur
	var d [4]byte
	k := len(d)
	for {
		k--
		d[k] = byte('0' + total%10)
		total /= 10
		if total == 0 || k == 0 {
			break
		}
	}
	return append(b, d[k:]...)
}

func hasAnyPrefix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// hanNumeralBefore reports whether the rune ending at text[i] is a numeral
// of a number in words (hanNumeral): hanRuns' cue for hanAddressRuns.
func hanNumeralBefore(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r >= 0x4E00 && hanNumeral(r)
}

// roomMarkerBefore reports whether a room number may start at text[i]: a
// marker (hanAddrMarkersBefore) ends right before it, or a space after one.
func roomMarkerBefore(text string, i int) bool {
	b := text[:i]
	if strings.HasSuffix(b, " ") {
		b = b[:len(b)-1]
	}
	r, _ := utf8.DecodeLastRuneInString(b)
	return strings.ContainsRune(roomMarkerEnds, r)
}

// roomMarkerEnds holds the last character of each of hanAddrMarkersBefore.
var roomMarkerEnds = func() string {
	var b strings.Builder
	for _, m := range hanAddrMarkersBefore {
		r, _ := utf8.DecodeLastRuneInString(m)
		if !strings.ContainsRune(b.String(), r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}()
