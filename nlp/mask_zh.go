package nlp

import (
	"strings"
	"unicode/utf8"
)

// Numbers written in Chinese numerals. Buyers write a phone number as
// 一三八一二三四五六七八 (or with 幺 for one, as it is read aloud, 腰 or 要 as voice
// input writes 幺, the capital numerals of cheques, 壹叁捌…, or circled
// digits, ①⑧⑧…) precisely
// because platforms filter digits. Inside a run of at least minHanRun
// digits, one of them at least a numeral, the scan's view reads each numeral
// as its digit, so the run is classified like any other number (phone, ID,
// card); numerals outside such runs (一下, 三号楼) stay as they are.
const minHanRun = 7

// minHanNumerals is the fewest numerals a run must hold, unless they
// stand between its digits (numeralRun): a number written to get past a
// filter has many (138一二三四5678) or hides one or two inside
// (193零854七107); one or two beside a written number are words
// (0351-7463 0281一直打: 一直, "all the time").
const minHanNumerals = 3

// hanDigit returns the ASCII digit a Chinese numeral stands for, 0 for
// other runes.
func hanDigit(r rune) byte {
	switch r {
	case '零', '〇', '洞':
		return '0' // 洞 as radio operators read 0 (幺八七洞)
	case '一', '幺', '壹', '腰', '要':
		return '1'
	case '二', '两', '兩', '贰', '貳':
		return '2'
	case '三', '叁', '參':
		return '3'
	case '四', '肆':
		return '4'
	case '五', '伍':
		return '5'
	case '六', '陆', '陸':
		return '6'
	case '七', '柒':
		return '7'
	case '八', '捌':
		return '8'
	case '九', '玖':
		return '9'
	}
	switch {
	case r >= '①' && r <= '⑨':
		return byte('1' + r - '①')
	case r == '⓪':
		return '0'
	}
	return 0
}

// hanRuns appends to dst the byte ranges of text's numeral runs (see
// minHanRun) and reports the characters that make the other scans worth
// running (hanCues). One pass; it runs on every message that Mask sees,
// so it allocates only when a run is found and dst is full.
func hanRuns(text string, dst [][2]int) ([][2]int, hanCues) {
	var cues hanCues
	spelled := 0                           // digit words after a space (spelledNumbers)
	start, digits, han, seps := 0, 0, 0, 0 // the run being read (digits > 0)
	firstA, lastA, hanBefore, hanAfter := -1, 0, 0, 0
	end := 0 // end of its last digit
	for i := 0; i < len(text); {
		if digits == 0 {
			// The common case: letters and punctuation outside a run.
			for i < len(text) && text[i] < 0x80 && asciiClass[text[i]&0x7F] == 0 {
				i++
			}
			if i == len(text) {
				break
			}
		}
		c := text[i]
		isD, isH, n := false, false, 1
		if c < 0x80 {
			switch asciiClass[c] {
			case 0: // most letters and punctuation
			case classDigit:
				isD = true
			case classSep:
				if digits > 0 && seps < maxSepRun {
					seps++
					i++
					continue
				}
				if c == ' ' && i+1 < len(text) && isASCIILetter(text[i+1]) {
					if n, _ := digitWordAt(text[i+1:]); n > 0 {
						if spelled++; spelled >= minSpelledDigits-1 {
							cues |= cueSpelled
						}
					}
				}
			case classContact:
				if i+1 < len(text) && contactLetters(c|0x20, text[i+1]|0x20, text[i+1:]) {
					cues |= cueContact
				}
			case classPunct:
				if networkBefore(text, i) {
					cues |= cueContact
				}
			}
		} else {
			// The UTF-8 bytes themselves, not the decoded rune: this loop
			// sees every character of every message.
			n = 2
			if c >= 0xF0 {
				n = 4
			} else if c >= 0xE0 {
				n = 3
			}
			if n == 3 && i+2 < len(text) {
				switch uint32(c)<<16 | uint32(text[i+1])<<8 | uint32(text[i+2]) {
				case 0xE99BB6, 0xE38087, 0xE6B49E, 0xE4B880, 0xE5B9BA, 0xE4BA8C, 0xE4B8A4, 0xE585A9, 0xE4B889, // 零〇洞一幺二两兩三
					0xE59B9B, 0xE4BA94, 0xE585AD, 0xE4B883, 0xE585AB, 0xE4B99D, // 四五六七八九
					0xE5A3B9, 0xE8B4B0, 0xE8B2B3, 0xE58F81, 0xE58F83, 0xE88286, 0xE4BC8D, 0xE99986, 0xE999B8, 0xE69F92, 0xE68D8C, 0xE78E96, // 壹贰貳叁參肆伍陆陸柒捌玖, as on cheques
					0xE885B0, 0xE8A681: // 腰 and 要, 幺 as voice input writes it (要五八三二四六…)
					isD, isH = true, true
				case 0xE291A0, 0xE291A1, 0xE291A2, 0xE291A3, 0xE291A4, 0xE291A5, 0xE291A6, 0xE291A7, 0xE291A8, 0xE293AA: // ①-⑨ ⓪
					isD, isH = true, true
				case 0xE79C81, 0xE5B882, 0xE58CBA, 0xE58D80, 0xE58EBF, 0xE7B8A3: // 省市区區县縣
					cues |= cueDivision
				case 0xE5BEAE, 0xE89687, 0xE5A881, 0xE689A3, 0xE4BC81, 0xE7BBBF, 0xE7B6A0, 0xE697BA, 0xE68A96: // 微薇威扣企绿綠旺抖
					cues |= cueContact
				case 0xE889BE, 0xE59C88, 0xE5B08F: // 艾(特), 圈(a), 小(老鼠): '@' written out (wang.lei艾特outlook.com)
					if writtenAtSign(text[i:]) > 0 {
						cues |= cueAtSign
					}
				case 0xE7BAA2, 0xE7B485: // 红(书) 紅(書): Xiaohongshu
					if strings.HasPrefix(text[i+3:], "书") || strings.HasPrefix(text[i+3:], "書") {
						cues |= cueContact
					}
				case 0xE5BFAB: // 快(手)
					if strings.HasPrefix(text[i+3:], "手") {
						cues |= cueContact
					}
				case 0xE59BB4: // 围(脖): Weibo as slang
					if strings.HasPrefix(text[i+3:], "脖") {
						cues |= cueContact
					}
				case 0xE99289, 0xE98798: // 钉钉 釘釘: DingTalk
					if strings.HasPrefix(text[i+3:], "钉") || strings.HasPrefix(text[i+3:], "釘") {
						cues |= cueContact
					}
				case 0xE6B798: // 淘(宝号)
					if strings.HasPrefix(text[i+3:], "宝") || strings.HasPrefix(text[i+3:], "寶") {
						cues |= cueContact
					}
				case 0xECB9B4, 0xEC9584: // 카(톡) 아(이디): KakaoTalk, "ID" in Korean
					if strings.HasPrefix(text[i+3:], "톡") || strings.HasPrefix(text[i+3:], "카오") || strings.HasPrefix(text[i+3:], "이디") {
						cues |= cueContact
					}
				case 0xEFBC9A: // ：after a network's name (LINE：yuki_t0925)
					if networkBefore(text, i) {
						cues |= cueContact
					}
				case 0xE58DAB: // 卫(星), 微信 as it is read aloud
					if strings.HasPrefix(text[i+3:], "星") {
						cues |= cueContact
					}
				case 0xE8B4A6, 0xE5B890, 0xE5B8B3: // 账号 帐号 帳號: a platform login
					if strings.HasPrefix(text[i+3:], "号") || strings.HasPrefix(text[i+3:], "號") {
						cues |= cueContact
					}
				case 0xE58FB7, 0xE8999F, 0xE6A08B, 0xE6A39F, 0xE5B9A2, 0xE58D95, 0xE596AE, 0xE5AEA4: // 号號栋棟幢单單室: after a number in numerals, an address may be written in them
					if i >= 3 && hanNumeralBefore(text, i) {
						cues |= cueHanAddress
					}
				case 0xE58AA0: // 加, a cue only before v, 我v or 个v
					if addV(text[i+3:]) {
						cues |= cueContact
					}
				default:
					isD = c == 0xEF && text[i+1] == 0xBC && text[i+2] >= 0x90 && text[i+2] <= 0x99 // ０-９
				}
			}
			if n == 4 && i+4 <= len(text) && (text[i:i+4] == "🛰" || text[i:i+4] == "🐧" || networkBefore(text, i)) {
				cues |= cueContact // the satellite (卫星), the penguin (QQ), Instagram 👉 …
			}
			n = min(n, len(text)-i)
		}
		if isD {
			if digits == 0 {
				start, han, firstA, hanBefore = i, 0, -1, 0
				if isH && i >= 3 && roomMarkerBefore(text, i) {
					cues |= cueHanAddress // 二单元五零二, 大厦幺幺零二
				}
			}
			digits++
			if isH {
				han++
				hanAfter++
				if firstA < 0 {
					hanBefore++
				}
			} else {
				if firstA < 0 {
					firstA = i
				}
				lastA, hanAfter = i+n, 0
			}
			seps = 0
			i += n
			end = i
			continue
		}
		if digits > 0 {
			if s, e, ok := numeralRun(start, end, firstA, lastA, digits, han, hanBefore, hanAfter); ok {
				dst = append(dst, [2]int{s, e})
			} else if han >= 3 && firstA < 0 {
				cues |= cueHanPieces
			}
			digits, seps = 0, 0
		}
		i += n
	}
	if digits > 0 {
		if s, e, ok := numeralRun(start, end, firstA, lastA, digits, han, hanBefore, hanAfter); ok {
			dst = append(dst, [2]int{s, e})
		} else if han >= 3 && firstA < 0 {
			cues |= cueHanPieces
		}
	}
	return dst, cues
}

// numeralRun decides whether a run of digits and numerals, text[start:end],
// is a number written with numerals: minHanNumerals of them or more, or
// one or two between ASCII digits (193零854七107, 6226零九25…), the run then
// being the ASCII digits' span (numerals at its edges are words: 0281一直).
// firstA and lastA bound the ASCII digits (firstA < 0: none); hanBefore and
// hanAfter count the numerals before the first and after the last.
func numeralRun(start, end, firstA, lastA, digits, han, hanBefore, hanAfter int) (int, int, bool) {
	switch {
	case digits < minHanRun || han == 0:
		return 0, 0, false
	case han >= minHanNumerals:
		return start, end, true
	case firstA >= 0 && han > hanBefore+hanAfter && digits-hanBefore-hanAfter >= minHanRun:
		return firstA, lastA, true
	}
	return 0, 0, false
}

// asciiClass sorts the ASCII bytes for hanRuns: one table load instead of
// a chain of comparisons for every byte of every message.
var asciiClass = func() (t [128]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = classDigit
	}
	t[' '], t['-'] = classSep, classSep
	for _, c := range "qQvVwW+kKSLIUD" {
		t[c] = classContact
	}
	t[':'], t['@'], t['/'] = classPunct, classPunct, classPunct
	return t
}()

const (
	classDigit = 1 + iota
	classSep
	classContact
	classPunct // ':' '@' '/': a network's name may stand before (networkBefore)
)

// hanCues are what else hanRuns saw in a text.
type hanCues uint8

const (
	cueDivision   hanCues = 1 << iota // 省 市 区 县 (區 縣): divisionAddresses may find one
	cueContact                        // qq vx v信 wx we(chat|ixin), 微 薇 威 扣 企 绿 旺 抖, 卫星, 账号, or 加(我|个)v: contactSpans may find one
	cueAtSign                         // 艾特 or 圈a: an e-mail address may be written with it
	cueSpelled                        // six digit words or more after spaces: spelledNumbers may find a number
	cueHanAddress                     // a numeral before a building marker or after one: hanAddressRuns may find a house number in numerals
	cueHanPieces                      // a run of 3 to 6 numerals alone: with a phone or ID word, a piece of a number told apart
)

// contactLetters reports whether the ASCII letter c (lower case) and the
// next byte n (lower-cased; rest is the text from it) start a contact cue.
func contactLetters(c, n byte, rest string) bool {
	switch c {
	case 'q':
		return n == 'q' || strings.HasPrefix(rest, "号") || strings.HasPrefix(rest, "號")
	case '+':
		return n == 'v'
	case 'v':
		return n == 'x' || strings.HasPrefix(rest, "信") || n == ':' || strings.HasPrefix(rest, "：")
	case 'w':
		return n == 'x' || n == 'e' && len(rest) > 1 && (rest[1]|0x20 == 'c' || rest[1]|0x20 == 'i')
	case 'k':
		return n == 'a' && hasPrefixFold(rest, "akao")
	case 'u': // UID (B站 UID 38472916), capitalised
		return n == 'i' && len(rest) > 1 && rest[1]|0x20 == 'd'
	case 'd': // Discord, capitalised
		return n == 'i' && hasPrefixFold(rest, "iscord")
	case 'i': // Instagram, capitalised
		return n == 'n' && hasPrefixFold(rest, "nstagram")
	case 's': // Skype, capitalised (the common lower-case letters stay out of the slow path)
		return n == 'k' && hasPrefixFold(rest, "kype")
	case 'l': // LINE / Line and its ID
		return n == 'i' && hasPrefixFold(rest, "ine") && len(rest) > 3 && (rest[3] == ':' || strings.HasPrefix(rest[3:], "：") || strings.HasPrefix(rest[3:], "のID") || hasPrefixFold(rest[3:], " id"))
	}
	return false
}

// Administrative-division addresses without a house number
// (北京市朝阳区望京西园三区, 广州市天河区珠江新城花城大道): two divisions (…省,
// …市, …区, …县 with a name of two or more characters before each) and a
// place below them (a road, street, compound, building …) in one run of
// text. Divisions alone (发往北京市朝阳区要几天) name no one and stay, and so
// does one division with a street (海淀区中关村大街, 入住市长大厦, 度假区高层):
// in reviews those are hotels and landmarks far more often than a home,
// and a home's address has a house number, which the digit scan masks.

// divisionNotAfter and divisionNotBefore are words in which 省 市 区 县 are
// not a division: the character before (超市, 小区) or after (市场, 区别).
var (
	divisionNotAfter  = "超城都门門夜股上菜街黑集花开開闹鬧地小社景园園校厂廠专專郊山误誤雷禁灾災分辖轄营營民假"
	divisionNotBefore = "场場面价價值民别別分域间間钱錢心事电電力得略份号號长長委政"
)

// placeWords are the parts of an address below a division.
var placeWords = []string{"路", "街", "巷", "弄", "胡同", "村", "庄", "莊", "屯", "段", "小区", "小區", "大厦", "大廈", "苑", "园", "園", "公寓", "花园", "花園", "广场", "廣場", "大道", "社区", "社區", "新城", "镇", "鎮", "乡", "鄉", "号", "號", "栋", "棟", "幢", "楼", "樓", "层", "層", "室", "单元", "單元", "座", "院", "宿舍", "邨"}

// addressEnd reports the runes that end an address read forwards: the
// look-back stops (addressStop) and particles, verbs and pronouns that do
// not occur in place names.
func addressEnd(r rune) bool {
	if addressStop(r) {
		return true
	}
	switch r {
	case '吗', '呢', '吧', '啊', '呀', '哦', '嘛', '了', '要', '能', '可', '会', '几', '么', '什', '怎', '哪',
		'没', '不', '也', '还', '就', '给', '收', '把', '请', '帮', '你', '他', '她', '谢', '呗', '哈', '嗯', '上', '下',
		'嗎', '會', '幾', '麼', '沒', '還', '給', '請', '幫', '謝', '唄':
		return true
	}
	return false
}

// divisionAddresses appends the spans of division addresses in text.
func divisionAddresses(dst []span, text string) []span {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isDivision(text, i, r, n) {
			i += n
			continue
		}
		// Look back over the division's name.
		s := i
		for runes := 0; s > 0 && runes < 10; runes++ {
			p, m := utf8.DecodeLastRuneInString(text[:s])
			if !isHan(p) || addressStop(p) {
				break
			}
			s -= m
		}
		// Read forwards to the end of the run; the address ends after the
		// last place word or division in it.
		last, place, divisions := i+n, false, 1
		j := i + n
		for j < len(text) {
			q, m := utf8.DecodeRuneInString(text[j:])
			if !(isHan(q) || q == '-' || q == '#' || q >= '0' && q <= '9') || addressEnd(q) {
				break
			}
			if isDivision(text, j, q, m) {
				last = j + m
				divisions++
			} else if w := placeWordAt(text, j); w > 0 {
				last, place = j+w, true
				j += w
				continue
			}
			j += m
		}
		if !place || divisions < 2 {
			i = j
			continue
		}
		dst = append(dst, span{s, extendBuilding(text, last), MaskAddress})
		i = dst[len(dst)-1].end
	}
	return dst
}

// isDivision reports whether the rune r (n bytes) at text[i] is a division
// character used as one: at least two name characters before it and not
// part of a word like 超市 or 区别.
func isDivision(text string, i int, r rune, n int) bool {
	switch r {
	case '省', '市', '区', '區', '县', '縣':
	default:
		return false
	}
	p1, m1 := utf8.DecodeLastRuneInString(text[:i])
	if !isHan(p1) || addressStop(p1) || strings.ContainsRune(divisionNotAfter, p1) {
		return false
	}
	if p2, _ := utf8.DecodeLastRuneInString(text[:i-m1]); !isHan(p2) || addressStop(p2) {
		return false
	}
	if next, _ := utf8.DecodeRuneInString(text[i+n:]); strings.ContainsRune(divisionNotBefore, next) {
		return false
	}
	return true
}

func placeWordAt(text string, j int) int {
	r, _ := utf8.DecodeRuneInString(text[j:])
	if !strings.ContainsRune(placeFirst, r) {
		return 0
	}
	for _, w := range placeWords {
		if strings.HasPrefix(text[j:], w) {
			return len(w)
		}
	}
	return 0
}

// placeFirst holds the first character of every place word.
var placeFirst = func() string {
	var b strings.Builder
	for _, w := range placeWords {
		r, _ := utf8.DecodeRuneInString(w)
		if !strings.ContainsRune(b.String(), r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}()

// addV reports whether rest (the text after 加) starts v, 我v or 个v.
func addV(rest string) bool {
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, "我"), "个")
	return rest != "" && rest[0]|0x20 == 'v'
}

// networkWords are the names of networks (lower case) whose handles are
// written after ':', '@' or '/' and often hold no digit: skype: james.ong,
// IG @yuki.style_, t.me/alexchen_au, facebook.com/…
var networkWords = []string{"skype", "line", "line id", "ig", "instagram", "insta", "twitter", "on x", "x", "kakao",
	"kakaotalk", "telegram", "douyin", "fb", "fb.com", "facebook.com", "fb.me", "t.me", "instagram.com", "twitter.com", "x.com", "weibo.com", "wa.me", "ig is", "ig is:", "ig是", "x is", "handle is", "handle"}

// networkBefore reports whether a network's name (networkWords, in any
// case) ends right before text[i], a ':', '@' or '/', or one space before
// it: hanRuns' cue for those handles, read by contactSpans.
func networkBefore(text string, i int) bool {
	b := text[max(0, i-14):i]
	b = strings.TrimSuffix(b, " ")
	for _, w := range networkWords {
		if hasSuffixFold(b, w) && (len(b) == len(w) || !isASCIILetter(b[len(b)-len(w)-1])) {
			return true
		}
	}
	return false
}
