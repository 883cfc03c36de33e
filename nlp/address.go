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
	if s, ok := worldAddressAt(text, i, gend); ok {
		return s, true
	}
	if n := buildingMarkerAt(text, gend); n > 0 && !notBuilding(text[gend+n:]) {
		if s, ok := zhAddress(text, i, gend+n); ok {
			return s, true
		}
		return buildingRoom(text, i, gend, n)
	}
	// Written with spaces around the number (軒尼詩道 338 號 10 樓).
	if gend+1 < len(text) && text[gend] == ' ' && i > 0 && text[i-1] == ' ' {
		if n := buildingMarkerAt(text, gend+1); n > 0 {
			return zhAddress(text, i-1, gend+1+n)
		}
	}
	if s, ok := roomAfterBuilding(text, i, gend); ok {
		return s, true
	}
	if s, ok := dashedRoom(text, i, gend); ok {
		return s, true
	}
	return enAddress(text, i, gend)
}

// notBuilding reports what makes "N号" a numbered thing rather than a
// house: a warehouse, a metro line, a gate, a counter (宁波保税区1号仓,
// 地铁2号线, 3号门, 5号窗口).
func notBuilding(rest string) bool {
	return hasAnyPrefix(rest, []string{"仓", "倉", "库", "庫", "线", "線", "门", "門", "窗口", "柜", "櫃", "口", "店", "馆", "館", "厅", "廳", "台", "机", "機"})
}

// strongBuilding reports the building markers that, followed by a unit or
// a room, make an address without any place word before them: 7栋1单元801,
// 8号楼1903, 西9舍427 (a dormitory). A bare 号 or 楼 is not one (11号2000块,
// 3楼200).
func strongBuilding(text string, at int) bool {
	for _, m := range blockMarkers {
		if strings.HasPrefix(text[at:], m) {
			return true
		}
	}
	return false
}

// blockMarkers name a block or a dormitory (strongBuilding); a room number
// after one is an address (roomAfterBuilding).
var blockMarkers = []string{"栋", "棟", "幢", "座", "单元", "單元", "号楼", "號樓", "舍"}

// roomMarkers are blockMarkers and a building's 大厦, after which a room
// number stands (金谷大厦1406).
var roomMarkers = append(blockMarkers[:len(blockMarkers):len(blockMarkers)], "大厦", "大廈")

// buildingRoom recognises a building and its unit or room with no place
// word before it (万科城三期7栋1单元801, 阳光100国际新城8号楼1903, 东校区西9舍427):
// the group text[i:gend] is followed by a strong building marker of n
// bytes and that by another part or a room number. The span reaches back
// over the estate's name.
func buildingRoom(text string, i, gend, n int) (span, bool) {
	m := n
	if strings.HasPrefix(text[gend:], "舍") {
		m = len("舍")
	} else if !strongBuilding(text, gend) {
		return span{}, false
	}
	// A unit, a floor or a room right after it: 1单元, 22樓, 801, 1903室;
	// not another building (1号楼2号楼, 1号楼与2号楼).
	k := gend + m
	e := k
	for e < len(text) && isDigit(text[e]) {
		e++
	}
	unit := false
	for _, w := range []string{"单元", "單元", "室", "楼", "樓", "层", "層"} {
		unit = unit || strings.HasPrefix(text[e:], w)
	}
	if e == k || !unit && (e-k < 3 || e-k > 4 || buildingMarkerAt(text, e) > 0) {
		return span{}, false
	}
	end := extendBuilding(text, gend+m)
	if end == gend+m {
		return span{}, false
	}
	return span{placeStart(text, i, true), end, MaskAddress}, true
}

// roomAfterBuilding recognises a room number of 3 or 4 digits,
// text[i:gend], after a building written before it with letters or a
// space between (绿地中心A座3102, 华庭苑 B栋 1708, 望京SOHO T2座B 1605).
func roomAfterBuilding(text string, i, gend int) (span, bool) {
	if gend-i < 3 || gend-i > 4 || gend < len(text) && (isASCIIAlnum(text[gend]) || text[gend] == '.' || text[gend] == '-') {
		return span{}, false
	}
	k := i
	if k > 0 && text[k-1] == ' ' {
		k--
	}
	for l := 0; l < 2 && k > 0 && isASCIILetter(text[k-1]); l++ {
		k--
	}
	if k > 0 && text[k-1] == ' ' {
		k--
	}
	var mk int
	for _, m := range roomMarkers {
		if strings.HasSuffix(text[:k], m) {
			mk = len(m)
			break
		}
	}
	if mk == 0 {
		return span{}, false
	}
	if mk == len("大厦") {
		// A building's name, not a block: the number is a room only at the
		// end of the address (金谷大厦1406，…), not 大厦2000元.
		if r, _ := utf8.DecodeRuneInString(text[gend:]); gend < len(text) && isHan(r) && !strings.ContainsRune("室房号號", r) {
			return span{}, false
		}
	}
	end := gend
	for _, w := range []string{"室", "房", "號", "号"} {
		if strings.HasPrefix(text[end:], w) {
			end += len(w)
			break
		}
	}
	return span{placeStart(text, k-mk, true), end, MaskAddress}, true
}

// dashedRoom recognises building, unit and room written with dashes after
// the estate's name (紫金小区8-3-1102): three groups, the last of 3 or 4
// digits, right after a place word.
func dashedRoom(text string, i, gend int) (span, bool) {
	// digits-digits-digits: 1-2, 1-2 and 3-4 of them
	var n [3]int
	p := 0
	for k := i; k < gend; k++ {
		switch {
		case isDigit(text[k]):
			n[p]++
		case text[k] == '-' && p < 2:
			p++
		default:
			return span{}, false
		}
	}
	if p != 2 || n[0] < 1 || n[0] > 2 || n[1] < 1 || n[1] > 2 || n[2] < 3 || n[2] > 4 || gend < len(text) && isASCIIAlnum(text[gend]) {
		return span{}, false
	}
	hi := i
	if hi > 0 && text[hi-1] == ' ' {
		hi-- // 谈固小区 9-3-502
	}
	s := placeStart(text, hi, true)
	head := text[s:hi]
	for _, w := range addressWords {
		if strings.HasSuffix(head, w) {
			return span{s, gend, MaskAddress}, true
		}
	}
	if r, _ := utf8.DecodeLastRuneInString(head); r != utf8.RuneError && strings.ContainsRune(estateEnds, r) {
		return span{s, gend, MaskAddress}, true
	}
	return span{}, false
}

// estateEnds are last characters of estate names (万科城, 三期, 碧桂园
// 凤凰府, 锦绣里, 华庭 …) before a dashed building-unit-room.
const estateEnds = "城期府里湾灣庭居院郡邸轩軒阁閣墅寓座舍"

// placeStart is where a place name ending at text[i] begins, looking back
// at most 40 characters over Han characters, digits, dashes and capital
// letters (a lettered block, 产业园C栋5楼), and single spaces after Han
// characters between an address's parts (天府三街 199号), to a word that
// ends the look-back (送到, 地址是 …: addressStop) or anything else. names
// takes lower-case letters too, and spaces after letters and digits: an
// estate's or building's name (望京SOHO T2, 宝安区 西乡街道 固戍二路 56号 华庭苑).
func placeStart(text string, i int, names bool) int {
	s := i
	for runes := 0; s > 0 && runes < 40; runes++ {
		r, n := utf8.DecodeLastRuneInString(text[:s])
		if r == ' ' && s-n > 0 {
			p, _ := utf8.DecodeLastRuneInString(text[:s-n])
			if (isHan(p) || names && p < 0x80 && isASCIIAlnum(byte(p))) && !addressStop(p) {
				s -= n
				continue
			}
			break
		}
		if !(isHan(r) || r >= '0' && r <= '9' || r == '-' || r >= 'A' && r <= 'Z' || names && r >= 'a' && r <= 'z') || addressStop(r) {
			break
		}
		s -= n
	}
	for s < i && text[s] == ' ' {
		s++
	}
	return s
}

func zhAddress(text string, i, end int) (span, bool) {
	if b := strings.TrimRight(text[:i], " "); strings.HasSuffix(b, "排") && len(b) > 3 && isDigit(b[len(b)-4]) || strings.HasPrefix(text[end:], "排") {
		return span{}, false // a seat: 3排15座, 12排 18座 (not 第二排 8号, a village's second row of houses)
	}
	if floorOnly(text, i, end) {
		return span{}, false
	}
	s := placeStart(text, i, false)
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

// floorOnly reports a floor and nothing after it (万达广场3楼的优衣库, 住6楼):
// a shop in a mall or how high a buyer lives, not an address.
func floorOnly(text string, i, end int) bool {
	floor := false
	for _, m := range []string{"楼", "樓", "层", "層"} {
		if strings.HasSuffix(text[:end], m) && !strings.HasSuffix(text[:end], "号"+m) && !strings.HasSuffix(text[:end], "號"+m) {
			floor = true
		}
	}
	if !floor || end-i > 2+len("楼") || extendBuilding(text, end) != end {
		return false
	}
	if k := end; k < len(text) && text[k] >= 'A' && text[k] <= 'Z' && buildingMarkerAt(text, k+1) > 0 {
		return false // 4楼A座
	}
	for k := max(0, i-60); k < i; {
		r, n := utf8.DecodeRuneInString(text[k:])
		if k > 0 && isDivision(text, k, r, n) && (r != '市' && r != '省') {
			return false // a district before it: 福田区…天吉大厦4楼 (not 小区)
		}
		k += n
	}
	return true
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
	"gardens": false, "close": false, "mews": false, "grove": false, "square": false, "walk": false, "row": false,
}

func enAddress(text string, i, gend int) (span, bool) {
	if s, ok := hkFloor(text, i, gend); ok {
		return s, true
	}
	s := i
	before := text[max(0, i-6):i]
	if i > 0 && text[i-1] != ' ' && text[i-1] != '.' && text[i-1] != '#' {
		before = ""
	}
	switch {
	case hasSuffixFold(before, "no. "), hasSuffixFold(before, "no."):
		s = i - len("no.") - boolInt(strings.HasSuffix(before, " "))
	case strings.HasSuffix(before, "#"):
		s = i - 1
	case hasSuffixFold(before, "blk "), hasSuffixFold(before, "block "), hasSuffixFold(before, "lding "), hasSuffixFold(before, "bldg "), hasSuffixFold(before, "tower "):
		s = strings.LastIndexByte(text[:i-1], ' ') + 1 // Singapore's Blk 506
		s = max(s, i-len("building "))
		for s < i && !isASCIILetter(text[s]) {
			s++
		}
	}
	j := gend
	if j < len(text) && isASCIILetter(text[j]) && (j+1 >= len(text) || text[j+1] == ' ') {
		j++ // 221B
	}
	capital := true
	for w := 0; w < 5; w++ {
		if j+1 >= len(text) || text[j] != ' ' && text[j] != ',' {
			return span{}, false
		}
		j++
		if text[j] == ' ' {
			j++
		}
		if w > 0 || s < i {
			if e, ok := unitAt(text, j); ok {
				return span{s, e, MaskAddress}, true // 3901 N Broadway, Unit 507; Tampines Central 1 #11-402
			}
		}
		ws := j
		for j < len(text) && isASCIIAlnum(text[j]) {
			j++
		}
		if j == ws {
			return span{}, false
		}
		if !ordinalOrWord(text[ws:j]) {
			return span{}, false
		}
		if text[ws] < 'A' || text[ws] > 'Z' {
			capital = capital && text[ws] >= '0' && text[ws] <= '9'
		}
		word := strings.ToLower(text[ws:j])
		if w == 0 && (word == "jalan" || word == "jln" || word == "lorong" || word == "persiaran") {
			// Malaysia: the street word comes first (No. 12, Jalan SS 2/24).
			e := j
			for t := 0; t < 3 && e+1 < len(text) && text[e] == ' ' && (isASCIIAlnum(text[e+1])); t++ {
				e++
				for e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '/') {
					e++
				}
			}
			return span{s, e, MaskAddress}, true
		}
		if sure, ok := streetSuffixes[word]; ok && w > 0 && (sure || capital) {
			if j < len(text) && text[j] == '.' {
				j++
			}
			// The flat after the street: 435 E 72nd St Apt 9C, … Road #05-12.
			k := j
			if k < len(text) && text[k] == ',' {
				k++
			}
			if k+1 < len(text) && text[k] == ' ' {
				if e, ok := unitAt(text, k+1); ok {
					j = e
				}
			}
			return span{s, j, MaskAddress}, true
		}
	}
	return span{}, false
}

// ordinalOrWord reports whether a token of a street name is a word of
// letters, a short number (Tampines Central 1) or an ordinal (72nd, 5th).
func ordinalOrWord(t string) bool {
	d := 0
	for d < len(t) && isDigit(t[d]) {
		d++
	}
	switch {
	case d == 0:
		return allLetters(t)
	case d == len(t):
		return d <= 3
	}
	suf := strings.ToLower(t[d:])
	return d <= 3 && (suf == "st" || suf == "nd" || suf == "rd" || suf == "th")
}

var unitWords = []string{"unit", "apt.", "apt", "apartment", "suite", "ste", "flat", "room", "rm"}

// unitAt reads a flat's designation at text[j]: a unit word and its number
// (Unit 507, Apt 9C, Suite 200) or a Singapore unit (#11-402). It returns
// its end.
func unitAt(text string, j int) (int, bool) {
	if j+2 < len(text) && text[j] == '#' && isDigit(text[j+1]) {
		e := j + 1
		for e < len(text) && (isDigit(text[e]) || text[e] == '-') {
			e++
		}
		return e, strings.IndexByte(text[j:e], '-') > 0
	}
	for _, w := range unitWords {
		if !hasPrefixFold(text[j:], w) {
			continue
		}
		e := j + len(w)
		if e < len(text) && isASCIILetter(text[e]) {
			continue // "units", "stepped"
		}
		for e < len(text) && (text[e] == ' ' || text[e] == '#' || text[e] == '.') {
			e++
		}
		ns := e
		for e < len(text) && isASCIIAlnum(text[e]) {
			e++
		}
		if e == ns || e-ns > 6 || strings.Trim(text[ns:e], "0123456789") == text[ns:e] {
			continue // a number must be in it
		}
		return e, true
	}
	return 0, false
}

// hkFloor recognises a Hong Kong flat: the floor written 15/F (the group
// text[i:gend] before "/F"), with the flat before it and the block after it
// (Flat D, 15/F, Block 3).
func hkFloor(text string, i, gend int) (span, bool) {
	if gend+1 >= len(text) || text[gend] != '/' || text[gend+1]|0x20 != 'f' || gend+2 < len(text) && isASCIIAlnum(text[gend+2]) {
		return span{}, false
	}
	s, e := i, gend+2
	back := text[max(0, i-14):i]
	for _, w := range []string{"Flat ", "FLAT ", "flat ", "Room ", "Rm ", "RM ", "Unit "} {
		if k := strings.LastIndex(back, w); k >= 0 {
			s = i - len(back) + k
			break
		}
	}
	rest := text[e:]
	for _, w := range []string{", Block ", ", Tower ", ", Blk ", " Block ", " Tower "} {
		if strings.HasPrefix(rest, w) {
			k := e + len(w)
			for k < len(text) && isASCIIAlnum(text[k]) {
				k++
			}
			e = k
			break
		}
	}
	return span{s, e, MaskAddress}, true
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
