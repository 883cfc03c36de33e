package nlp

import "strings"

// Instant-messaging accounts: a QQ number or WeChat id after the word that
// names it (QQ 12345678, 微信号：zhang_san88, 加我vx abc-2024). Off-platform
// contact is what the diversion rule of quality inspection looks for (by
// the cue words, which stay); the account itself is personal data.

type contactCue struct {
	word   string
	digits bool // a number only (QQ)
}

var contactCues = []contactCue{
	{"QQ", true}, {"qq", true}, {"Qq", true}, {"扣扣", true}, {"企鹅号", true}, {"企鵝號", true},
	{"微信", false}, {"薇信", false}, {"威信", false},
	{"weixin", false}, {"wechat", false}, {"WeChat", false}, {"Wechat", false}, {"WECHAT", false},
	{"vx", false}, {"VX", false}, {"Vx", false}, {"wx", false}, {"WX", false}, {"Wx", false},
	{"v信", false}, {"V信", false},
	// Nicknames and other messengers (session 20): 企鹅 and Q号 for QQ,
	// 绿泡泡 (the green bubble) and wei xin for WeChat, Taobao's 旺旺, LINE
	// of Taiwan and Telegram of Hong Kong buyers, ➕V / +v for 加v.
	{"企鹅", true}, {"企鵝", true}, {"Q号", true}, {"q号", true}, {"Q號", true},
	{"绿泡泡", false}, {"綠泡泡", false}, {"wei xin", false}, {"Wei Xin", false}, {"WEI XIN", false},
	{"旺旺", false}, {"Line ID", false}, {"LINE ID", false}, {"line id", false}, {"Line id", false},
	{"Telegram", false}, {"telegram", false}, {"+v", false}, {"+V", false},
	{"抖音号", false}, {"抖音號", false}, {"绿色软件", false}, {"綠色軟件", false},
	{"Q：", true}, {"Q:", true}, {"闲鱼号", false}, {"閒魚號", false}, {"卫星", false}, {"小红书号", false}, {"小紅書號", false},
	{"Line:", false}, {"LINE:", false}, {"line:", false}, {"IG @", false}, {"ig @", false}, {"Instagram", false}, {"instagram", false},
	// v alone is WeChat only right after 加 ("add me on v"): 加v, 加我v, 加个v.
	{"加v", false}, {"加V", false}, {"加我v", false}, {"加我V", false}, {"加个v", false}, {"加个V", false},
}

// otherMessenger reports the cues of messengers whose names start with
// letters too common for hanRuns to test (LINE, Telegram); Mask asks only
// about texts with a digit, as their ids nearly always have one.
func otherMessenger(text string) bool {
	if k := strings.Index(text, "ine "); k > 0 && hasPrefixFold(text[k+4:], "id") {
		return true
	}
	if k := strings.Index(text, "INE "); k > 0 && hasPrefixFold(text[k+4:], "id") {
		return true
	}
	return strings.Contains(text, "elegram") || strings.Contains(text, "ine:") || strings.Contains(text, "INE:") ||
		strings.Contains(text, "G @") || strings.Contains(text, "g @") || strings.Contains(text, "nstagram") || strings.Contains(text, "红书") || strings.Contains(text, "紅書")
}

// contactSpans appends the spans of the accounts in text.
func contactSpans(ss []span, text string) []span {
	for _, c := range contactCues {
		for from := 0; ; {
			k := strings.Index(text[from:], c.word)
			if k < 0 {
				break
			}
			k += from
			from = k + len(c.word)
			if c.word[0] < 0x80 && k > 0 && isASCIILetter(text[k-1]) {
				continue // inside a word
			}
			if last := c.word[len(c.word)-1]; (last == 'v' || last == 'V') && from < len(text) && isASCIILetter(text[from]) {
				continue // 加vx, 加vip: another word, or the cue vx
			}
			if s, ok := contactAfter(text, from, c.digits); ok {
				ss = append(ss, s)
				from = s.end
			}
		}
	}
	return ss
}

// contactFillers are the words a buyer puts between the cue and the
// account (加个v吧 sunny_2024, 微信搜一下 abc_88, 我的qq呢就是 12345678):
// particles, 我/的, and 搜/加/私聊/联系 (…一下). A word outside the list ends
// the search (微信支付, QQ群, QQ音乐), so a product or a group is not read
// as an account.
const contactFillers = "吧呀啊哦噢呢哈嘛哟我的就也搜索加添私聊联系一下"

// contactAfter reads the account after a cue ending at i: up to 30 bytes
// of separators (号 : ： 是 为, spaces, dashes) and filler words
// (contactFillers), then a QQ number (5-11 digits, not starting 0) or,
// unless digits, a WeChat id (6-20 letters, digits, _ and -, starting with
// a letter): one with a digit, _ or - in it, or any after an explicit
// 号/：/是.
func contactAfter(text string, i int, digits bool) (span, bool) {
	j, explicit := i, false
	for j < len(text) && j-i < 30 {
		switch {
		case text[j] == ' ' || text[j] == ':' || text[j] == '-' || text[j] == '#' || text[j] == '@':
			explicit = explicit || text[j] == ':'
			j++
			continue
		case (text[j] == 'I' || text[j] == 'i') && j+1 < len(text) && (text[j+1] == 'D' || text[j+1] == 'd') && j+2 < len(text) && (text[j+2] == ' ' || text[j+2] == ':' || strings.HasPrefix(text[j+2:], "：")):
			j += 2 // WeChat ID: Alicia_SG_93
			continue
		case strings.HasPrefix(text[j:], "账号"), strings.HasPrefix(text[j:], "帳號"), strings.HasPrefix(text[j:], "帐号"),
			strings.HasPrefix(text[j:], "号码"), strings.HasPrefix(text[j:], "號碼"):
			explicit = true
			j += 6
			continue
		case strings.HasPrefix(text[j:], "号"), strings.HasPrefix(text[j:], "號"), strings.HasPrefix(text[j:], "："),
			strings.HasPrefix(text[j:], "是"), strings.HasPrefix(text[j:], "为"), strings.HasPrefix(text[j:], "為"):
			explicit = true
			j += 3
			continue
		case text[j] >= 0x80 && j+3 <= len(text) && strings.Contains(contactFillers, text[j:j+3]):
			j += 3
			continue
		}
		break
	}
	e := j
	for e < len(text) && e-j < 21 && (isASCIIAlnum(text[e]) || text[e] == '_' || text[e] == '-') {
		e++
	}
	// A number typed in groups (QQ 384 712 956, QQ 2 3 9 4 8 1 7 0 6).
	for e+1 < len(text) && e-j < 21 && text[e] == ' ' && isDigit(text[e+1]) && allDigitsOr(text[j:e], ' ') {
		e += 2
		for e < len(text) && isDigit(text[e]) {
			e++
		}
	}
	for e > j && text[e-1] == '-' {
		e--
	}
	if e == j || e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '_') {
		return span{}, false
	}
	id := strings.ReplaceAll(text[j:e], " ", "")
	allDigits, mark := true, false
	for k := 0; k < len(id); k++ {
		if !isDigit(id[k]) {
			allDigits = false
		}
		if isDigit(id[k]) || id[k] == '_' || id[k] == '-' {
			mark = true
		}
	}
	switch {
	case allDigits:
		if len(id) < 5 || len(id) > 11 || id[0] == '0' {
			return span{}, false
		}
	case digits:
		return span{}, false
	default:
		if len(id) < 6 || len(id) > 20 || !isASCIILetter(id[0]) || !mark && !explicit {
			return span{}, false
		}
	}
	return span{j, e, MaskContact}, true
}

// mergeSpans orders spans by start (insertion sort: a handful at most)
// and merges overlapping ones into the first, so that no part of either
// is left unmasked.
func mergeSpans(ss []span) []span {
	for a := 1; a < len(ss); a++ {
		for b := a; b > 0 && ss[b].start < ss[b-1].start; b-- {
			ss[b], ss[b-1] = ss[b-1], ss[b]
		}
	}
	out := ss[:0]
	for _, s := range ss {
		if k := len(out) - 1; k >= 0 && s.start < out[k].end {
			out[k].end = max(out[k].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// allDigitsOr reports whether s holds only digits and the byte or.
func allDigitsOr(s string, or byte) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != or {
			return false
		}
	}
	return s != ""
}
