package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	// Session 21: Kakao; a shop platform's login (京东账号 jd_4f8a2c7e1b39);
	// the satellite emoji for 卫星 (微信 read as 卫星); then DingTalk, B站's
	// UID, Japanese (IDは) and Korean (카톡, 아이디) cues, V：, 威：, 快手号,
	// 淘宝号, LINE：. Skype and Discord are handleCues, nickname networks
	// nicknameCues.
	{"Kakao", false}, {"kakao", false}, {"KakaoTalk", false},
	{"账号", false}, {"帐号", false}, {"帳號", false}, {"🛰", false},
	{"IDは", false}, {"V：", false}, {"V:", false}, {"钉钉", false}, {"釘釘", false}, {"UID", true}, {"uid", true}, {"v：", false}, {"威：", false}, {"威:", false}, {"카톡", false}, {"카카오톡", false}, {"아이디", false},
	{"抖yin", false}, {"抖Yin", false}, {"douyin", false}, {"Douyin", false}, {"快手号", false}, {"快手號", false}, {"钉钉号", false}, {"釘釘號", false}, {"淘宝号", false}, {"淘寶號", false},
	{"LINE：", false}, {"Line：", false}, {"line：", false}, {"威x", false}, {"威X", false}, {"微x", false}, {"微X", false}, {"薇x", false}, {"薇X", false},
	// v alone is WeChat only right after 加 ("add me on v"): 加v, 加我v, 加个v.
	{"加v", false}, {"加V", false}, {"加我v", false}, {"加我V", false}, {"加个v", false}, {"加个V", false},
}

// handleCues are networks whose names may hold dots, colons and '#'
// (live:.cid.3f8a2b1c9d, kaito#4821): after them, a name that is not an id
// (contactAfter) is read by tokenAfter.
var handleCues = []string{"Skype", "skype", "Discord", "discord"}

// nicknameCues are networks whose handle is written after '@' and may be a
// nickname in any script (微博 @奶茶不加糖_Lin, ig @yiyi.daily_): after
// them, a handle that is not an id (contactAfter) is read by
// nicknameAfter.
var nicknameCues = []string{"微博", "围脖", "圍脖", "Weibo", "weibo", "抖音", "小红书", "小紅書", "IG", "ig", "Ig", "Insta", "insta", "Instagram", "instagram",
	"Twitter", "twitter", "on X", "X:", "X is", "handle is", "handle:"}

// facebookAt returns where the profile name of a social network's address
// (facebook.com/jason.ng.5621, fb.com/…, t.me/…, instagram.com/…) begins
// in text, -1 for none.
func facebookAt(text string) int {
	if !strings.Contains(text, ".com/") && !strings.Contains(text, ".me/") {
		return -1
	}
	for _, host := range []string{"facebook.com/", "fb.com/", "Facebook.com/", "fb.me/", "t.me/", "instagram.com/", "x.com/", "twitter.com/", "weibo.com/u/", "weibo.com/", "wa.me/"} {
		if k := strings.Index(text, host); k >= 0 {
			return k + len(host)
		}
	}
	return -1
}

// contactSpans appends the spans of the accounts in text.
func contactSpans(ss []span, text string) []span {
	for _, w := range nicknameCues {
		ss = contactsAfterCue(ss, text, contactCue{w, false}, nicknameAfter)
	}
	for _, w := range handleCues {
		ss = contactsAfterCue(ss, text, contactCue{w, false}, tokenAfter)
	}
	for _, c := range contactCues {
		ss = contactsAfterCue(ss, text, c, nil)
	}
	// WeChat's own ids, wxid_ and letters and digits, need no cue.
	for from := 0; ; {
		k := strings.Index(text[from:], "wxid_")
		if k < 0 {
			break
		}
		k += from
		e := k + len("wxid_")
		for e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '_' || text[e] == '-') {
			e++
		}
		if e-k >= len("wxid_")+4 && (k == 0 || !isASCIIAlnum(text[k-1])) {
			ss = append(ss, span{k, e, MaskContact})
		}
		from = e
	}
	if k := facebookAt(text); k >= 0 {
		e := k
		for e < len(text) && (isASCIIAlnum(text[e]) || text[e] == '.' || text[e] == '_' || text[e] == '-') {
			e++
		}
		for e > k && text[e-1] == '.' {
			e--
		}
		if e-k >= 3 {
			ss = append(ss, span{k, e, MaskContact})
		}
	}
	return ss
}

// contactsAfterCue appends the spans of the accounts after each
// occurrence of the cue c in text: an id (contactAfter) or, where there
// is none, what the network's own reader finds (or, when not nil).
func contactsAfterCue(ss []span, text string, c contactCue, or func(text string, i int) (span, bool)) []span {
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
		if last := c.word[len(c.word)-1]; isASCIILetter(last) && from < len(text) && isASCIILetter(text[from]) {
			continue // 加vx, 加vip, ignore, Skyper: another word, or the cue vx
		}
		s, ok := contactAfter(text, from, c.digits)
		if !ok && or != nil {
			s, ok = or(text, from)
		}
		if ok {
			ss = append(ss, s)
			from = s.end
		}
	}
	return ss
}

// tokenAfter reads a Skype or Discord name after the cue ending at i:
// after ": " or spaces, a run of ASCII letters, digits and . _ - : # of 6
// to 40 bytes holding a digit (live:.cid.3f8a2b1c9d, jason.ng.5621,
// kaito#4821).
func tokenAfter(text string, i int) (span, bool) {
	j := i
	for j < len(text) && j-i < 4 && (text[j] == ' ' || text[j] == ':') {
		j++
	}
	e, digit := j, false
	for e < len(text) && e-j < 40 && (isASCIIAlnum(text[e]) || strings.IndexByte("._-:#", text[e]) >= 0) {
		digit = digit || isDigit(text[e])
		e++
	}
	for e > j && strings.IndexByte("._-:", text[e-1]) >= 0 {
		e--
	}
	if e-j < 6 || !digit {
		return span{}, false
	}
	return span{j, e, MaskContact}, true
}

// spacedID reads an id typed one character at a time with spaces between
// (z h o u 1 9 9 0 x, w x i d _ 9 k 2 …) from text[j]: six single letters,
// digits, '_' or '-' or more,
// a digit among them; it returns the end of the last.
func spacedID(text string, j int) (int, bool) {
	n, digit, e := 0, false, j
	for k := j; k < len(text) && (isASCIIAlnum(text[k]) || text[k] == '_' || text[k] == '-') && (k+1 == len(text) || !isASCIIAlnum(text[k+1])); {
		n++
		digit = digit || isDigit(text[k])
		e = k + 1
		if k+2 < len(text) && text[k+1] == ' ' {
			k += 2
			continue
		}
		break
	}
	return e, n >= 6 && digit
}

// nicknameAfter reads a handle written after '@' at most 6 bytes after a
// nickname network's name ending at i (微博 @奶茶不加糖_Lin, IG @yuki.style_):
// letters of any script, digits, '_', '-' and dots inside, 2 to 30
// characters; the '@' makes it a handle, not a word.
func nicknameAfter(text string, i int) (span, bool) {
	j := i
	for _, w := range []string{"了", "是", "号", "號", "上", "搜", " is", " IS"} {
		if strings.HasPrefix(text[j:], w) {
			j += len(w) // 发到我微博了 @小鹿爱吃草莓酱
			break
		}
	}
	for j < len(text) && j-i < 9 && (text[j] == ' ' || text[j] == ':') {
		j++
	}
	if strings.HasPrefix(text[j:], "：") {
		j += len("：")
	}
	for j < len(text) && text[j] == ' ' {
		j++
	}
	if j >= len(text) || text[j] != '@' {
		return span{}, false
	}
	j++
	e, n := j, 0
	for e < len(text) && n < 30 {
		r, size := utf8.DecodeRuneInString(text[e:])
		if !(r < 0x80 && (isASCIIAlnum(byte(r)) || r == '_' || r == '-' || r == '.') || r >= 0x80 && unicode.IsLetter(r)) {
			break
		}
		e += size
		n++
	}
	for e > j && text[e-1] == '.' {
		e--
		n--
	}
	if n < 2 {
		return span{}, false
	}
	return span{j, e, MaskContact}, true
}

// contactFillers are the words a buyer puts between the cue and the
// account (加个v吧 sunny_2024, 微信搜一下 abc_88, 我的qq呢就是 12345678):
// particles, 我/的, and 搜/加/私聊/联系 (…一下). A word outside the list ends
// the search (微信支付, QQ群, QQ音乐), so a product or a group is not read
// as an account.
const contactFillers = "吧呀啊哦噢呢哈嘛哟我的就也搜索加添私聊联系一下同"

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
		case text[j] == ' ' || text[j] == ':' || text[j] == '-' || text[j] == '#' || text[j] == '@' || text[j] == '/':
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
			strings.HasPrefix(text[j:], "是"), strings.HasPrefix(text[j:], "为"), strings.HasPrefix(text[j:], "為"),
			strings.HasPrefix(text[j:], "係"), strings.HasPrefix(text[j:], "系"): // 係: "is" in Cantonese
			explicit = true
			j += 3
			continue
		case text[j] == 0xF0 && j+4 <= len(text) && text[j+1] == 0x9F:
			j += 4 // an emoji pointing at the id (Instagram 👉 yuna.kr_daily)
			continue
		case strings.HasPrefix(text[j:], "\uFE0F"):
			j += len("\uFE0F") // 🛰️: the emoji's presentation selector
			continue
		case text[j] >= 0x80 && j+3 <= len(text) && strings.Contains(contactFillers, text[j:j+3]):
			j += 3
			continue
		}
		break
	}
	if e, ok := spacedID(text, j); ok {
		return span{j, e, MaskContact}, true // 微信号是 z h o u 1 9 9 0 x
	}
	e := j
	for e < len(text) && e-j < 21 && (isASCIIAlnum(text[e]) || text[e] == '_' || text[e] == '-' ||
		text[e] == '.' && e > j && e+1 < len(text) && isASCIIAlnum(text[e+1])) {
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
