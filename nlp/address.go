package nlp

import (
	"strings"
	"unicode/utf8"
)

// Building markers that may follow a house number: 12号, 3栋, 502室 …
var buildingMarkers = []string{"号楼", "单元", "号", "栋", "幢", "弄", "室", "楼", "层", "座"}

// Words that make a run of Chinese text an address rather than a date or
// a quantity (5月3号, 买3栋 …).
var addressWords = []string{"省", "市", "区", "县", "镇", "乡", "路", "街", "道", "巷", "弄", "村", "小区", "大厦", "苑", "园", "公寓", "花园", "广场"}

func buildingMarkerAt(text string, i int) int {
	for _, m := range buildingMarkers {
		if strings.HasPrefix(text[i:], m) {
			return len(m)
		}
	}
	return 0
}

// addressAt recognises a street address around the digit group
// text[i:gend]: Chinese "…市…区…路12号…" or English "No. 12 Xyz Road".
func addressAt(text string, i, gend int) (span, bool) {
	if n := buildingMarkerAt(text, gend); n > 0 {
		return zhAddress(text, i, gend+n)
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
	// Extend over further "3号楼502室" parts of the same address.
	for j, runes := end, 0; j < len(text) && runes < 30; runes++ {
		r, n := utf8.DecodeRuneInString(text[j:])
		if r >= '0' && r <= '9' {
			k := j
			for k < len(text) && isDigit(text[k]) {
				k++
			}
			if m := buildingMarkerAt(text, k); m > 0 {
				end = k + m
				j = end
				continue
			}
			j = k
			continue
		}
		if !(isHan(r) || r == '-' || r == '#') {
			break
		}
		j += n
	}
	return span{s, end, MaskAddress}, true
}

var streetSuffixes = map[string]bool{ // true: unambiguous in any case
	"road": true, "rd": true, "street": true, "avenue": true, "ave": true, "boulevard": true,
	"blvd": true, "lane": true, "highway": true, "hwy": true,
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
	case '是', '到', '成', '为', '址', '在', '寄', '送', '发', '填', '写', '的', '我':
		return true
	}
	return false
}
