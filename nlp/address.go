package nlp

import (
	"strings"
	"unicode/utf8"
)

// Building markers that may follow a house number: 12号, 3栋, 502室 …
// (号楼, 单元, 号, 栋, 幢, 弄, 室, 楼, 层, 座), and their traditional forms
// (號樓, 單元, 單位, 號, 棟, 樓, 層): Mask reads text before it is converted
// to simplified, and HK/TW buyers write them. buildingMarkerAt holds them
// as a switch on the first character's UTF-8 bytes: it runs after every
// digit group.

// Words that make a run of Chinese text an address rather than a date or
// a quantity (5月3号, 买3栋 …).
var addressWords = []string{"省", "市", "区", "區", "县", "縣", "镇", "鎮", "乡", "鄉", "路", "街", "道", "巷", "弄", "村", "段", "小区", "小區", "大厦", "大廈", "苑", "园", "園", "公寓", "花园", "花園", "广场", "廣場", "邨", "屋苑"}

func buildingMarkerAt(text string, i int) int {
	if i+3 > len(text) {
		return 0
	}
	next := func(alts ...string) int {
		for _, a := range alts {
			if strings.HasPrefix(text[i+3:], a) {
				return 6
			}
		}
		return 0
	}
	switch uint32(text[i])<<16 | uint32(text[i+1])<<8 | uint32(text[i+2]) {
	case 0xE58FB7: // 号(楼)
		return max(3, next("楼"))
	case 0xE8999F: // 號(樓)
		return max(3, next("樓"))
	case 0xE58D95: // 单元
		return next("元")
	case 0xE596AE: // 單元, 單位
		return next("元", "位")
	case 0xE6A08B, 0xE6A39F, 0xE5B9A2, 0xE5BC84, 0xE5AEA4, 0xE6A5BC, 0xE6A893, 0xE5B182, 0xE5B1A4, 0xE5BAA7: // 栋棟幢弄室楼樓层層座
		return 3
	}
	return 0
}

// addressAt recognises a street address around the digit group
// text[i:gend]: Chinese "…市…区…路12号…" or English "No. 12 Xyz Road".
func addressAt(text string, i, gend int) (span, bool) {
	if n := buildingMarkerAt(text, gend); n > 0 {
		return zhAddress(text, i, gend+n)
	}
	// Written with spaces around the number (軒尼詩道 338 號 10 樓).
	if gend+1 < len(text) && text[gend] == ' ' && i > 0 && text[i-1] == ' ' {
		if n := buildingMarkerAt(text, gend+1); n > 0 {
			return zhAddress(text, i-1, gend+1+n)
		}
	}
	return enAddress(text, i, gend)
}

func zhAddress(text string, i, end int) (span, bool) {
	s := i
	for runes := 0; s > 0 && runes < 40; runes++ {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if !(isHan(r) || r >= '0' && r <= '9' || r == '-') || addressStop(r) {
			break
		}
		s -= n
	}
	head := text[s:i]
	if utf8.RuneCountInString(head) < 3 {
		return span{}, false
	}
	found := false
	for _, w := range addressWords {
		if strings.Contains(head, w) {
			found = true
			break
		}
	}
	if !found {
		return span{}, false
	}
	return span{s, extendBuilding(text, end), MaskAddress}, true
}

// extendBuilding extends an address ending at end over further "3号楼502室"
// parts, and over a room number right after the last part (5栋2单元301).
func extendBuilding(text string, end int) int {
	for j, runes := end, 0; j < len(text) && runes < 30; runes++ {
		r, n := utf8.DecodeRuneInString(text[j:])
		if r >= '0' && r <= '9' {
			k := j
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			m := buildingMarkerAt(text, k)
			if m == 0 && k+1 < len(text) && text[k] == ' ' {
				if m = buildingMarkerAt(text, k+1); m > 0 {
					k++ // 10 樓
				}
			}
			if m > 0 {
				end = k + m
				j = end
				continue
			}
			if j == end && k-j >= 3 && k-j <= 4 && (k == len(text) || !isASCIIAlnum(text[k]) && text[k] != '.') {
				end = k // the room: …2单元301
			}
			j = k
			continue
		}
		if r == ' ' && j+1 < len(text) && isDigit(text[j+1]) {
			j++ // 338 號 10 樓
			continue
		}
		if !(isHan(r) || r == '-' || r == '#') {
			break
		}
		j += n
	}
	return end
}

var streetSuffixes = map[string]bool{ // true: unambiguous in any case
	"road": true, "rd": true, "street": true, "avenue": true, "ave": true, "boulevard": true,
	"blvd": true, "lane": true, "highway": true, "hwy": true, "parkway": true, "pkwy": true,
	"expressway": true, "crescent": true, "ln": false, "cres": false,
	"st": false, "dr": false, "drive": false, "way": false, "ct": false, "court": false,
	"place": false, "pl": false, "lu": false, "terrace": false,
}

func enAddress(text string, i, gend int) (span, bool) {
	s := i
	before := strings.ToLower(text[max(0, i-4):i])
	switch {
	case strings.HasSuffix(before, "no. "), strings.HasSuffix(before, "no."):
		s = i - len("no.") - boolInt(strings.HasSuffix(before, " "))
	case strings.HasSuffix(before, "#"):
		s = i - 1
	}
	j := gend
	if j < len(text) && isASCIILetter(text[j]) && (j+1 >= len(text) || text[j+1] == ' ') {
		j++ // 221B
	}
	capital := true
	for w := 0; w < 4; w++ {
		if j+1 >= len(text) || text[j] != ' ' && text[j] != ',' {
			return span{}, false
		}
		j++
		if text[j] == ' ' {
			j++
		}
		ws := j
		for j < len(text) && isASCIILetter(text[j]) {
			j++
		}
		if j == ws {
			return span{}, false
		}
		if text[ws] < 'A' || text[ws] > 'Z' {
			capital = false
		}
		word := strings.ToLower(text[ws:j])
		if sure, ok := streetSuffixes[word]; ok && w > 0 && (sure || capital) {
			if j < len(text) && text[j] == '.' {
				j++
			}
			return span{s, j, MaskAddress}, true
		}
	}
	return span{}, false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addressStop reports the characters that end the look-back for the start
// of an address (是 到 成 为 址 在 寄 送 发 填 写 的 我): a switch, not
// strings.ContainsRune, because it runs for every rune looked at.
func addressStop(r rune) bool {
	switch r {
	case '是', '到', '成', '为', '址', '在', '寄', '送', '发', '填', '写', '的', '我', '為', '發', '寫':
		return true
	}
	return false
}
