package nlp

// Landline numbers: a trunk 0, an area code (010 Beijing, 02X the largest
// cities, else three digits 0[3-9]XX) and a local number of 8 digits (7 in
// some smaller cities) whose first digit is 2-8: 010-62345678,
// 0755 8666 8888, 02154321234.
func landline(d []byte) bool {
	if len(d) < 11 || len(d) > 12 || d[0] != '0' {
		return false
	}
	switch d[1] {
	case '0':
		return false
	case '1':
		return len(d) == 11 && d[2] == '0' && localFirst(d[3])
	case '2':
		return len(d) == 11 && localFirst(d[3])
	}
	return localFirst(d[4])
}

// landlineAfter86 reports whether d, the digits after the country code 86
// (+86 10 6234 5678: the trunk 0 is dropped), is an area code and a local
// number.
func landlineAfter86(d []byte) bool {
	if len(d) < 10 || len(d) > 11 {
		return false
	}
	var buf [12]byte
	buf[0] = '0'
	copy(buf[1:], d)
	return (d[0] != '1' || d[1] == '0') && landline(buf[:len(d)+1])
}

func localFirst(c byte) bool { return c >= '2' && c <= '8' }

// Words just before a 7- or 8-digit number that make it a local phone
// number without its area code (电话 6234 5678).
var phoneCues = []string{"电话", "電話", "座机", "座機", "固话", "手机", "手機", "致电", "致電", "拨打", "撥打", "tel", "Tel", "TEL", "phone", "Phone", "whatsapp", "WhatsApp",
	// Singapore's and Malaysia's hp (hand phone), an office line, Cantonese 打俾/打畀 (call me on).
	"hp ", "HP ", "Hp ", "hp:", "HP:", "hp no", "HP no", "mobile", "Mobile", "line ", "Line ", "打俾", "打畀", "聯絡", "联系", "联络",
	// Session 21: "call me at 9187 6302", "ring me on", "text me".
	"call me", "Call me", "ring me", "text me", "短信", "簡訊", "號碼", "号码", "電話號碼", "辦公室", "办公室", "office", "Office"}

// qqCues just before a number make it a QQ number, not a local phone.
var qqCues = []string{"qq", "QQ", "Qq", "扣"}

// localPhoneAt reports whether the digit group g (starting at i) is a
// local landline number that a cue word before it names.
func localPhoneAt(text string, i int, g *digitGroup) bool {
	// 2-8 starts a mainland local number, 5, 6 and 9 a Hong Kong mobile.
	if g.n < 7 || g.n > 8 || g.tooBig || g.digits[0] < '2' {
		return false
	}
	if g.end < len(text) && (isASCIIAlnum(text[g.end]) || text[g.end] == '.') {
		return false
	}
	if containsAny(text[max(0, i-4):i], qqCues) {
		return false // a QQ number (联系我qq 12345678): contactSpans names it
	}
	before := text[max(0, i-18):i]
	return containsAny(before, phoneCues) && !containsAny(before, orderWords) && !containsAny(before, codeWords) // 電話請填 6318 2754, 香港號碼 6187 2934
}

// parenLandlineAt recognises "(021)5432 1234", "(0755) 8666-8888" with the
// area code in brackets, a mobile number written the same way with its
// first three digits in brackets, "(138) 1234-5678", and a North American
// number, "(415) 555-0132" (as forms abroad lay a number out; both had
// been left whole), text[i] being '('. It returns the end of the number.
func parenLandlineAt(text string, i int) (int, bool) {
	j := i + 1
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	area := text[i+1 : j]
	mobile := len(area) == 3 && area[0] == '1' && area[1] >= '3' && area[1] <= '9'
	nanp := len(area) == 3 && area[0] >= '2'
	tw := len(area) == 2 && area[0] == '0' && area[1] >= '2' // Taiwan's (02)2731-5508
	if !mobile && !nanp && !tw && (len(area) < 3 || len(area) > 4 || area[0] != '0' || area[1] == '0') || j >= len(text) || text[j] != ')' {
		return 0, false
	}
	j++
	for k := 0; k < 2 && j < len(text) && text[j] == ' '; k++ {
		j++
	}
	if j >= len(text) || !isDigit(text[j]) {
		return 0, false
	}
	var g digitGroup
	g.scan(text, j)
	if g.tooBig {
		return 0, false
	}
	var d [12]byte
	n := copy(d[:], area)
	if g.n+n > len(d) {
		return 0, false
	}
	n += copy(d[n:], g.digits[:g.n])
	switch {
	case g.end < len(text) && isASCIIAlnum(text[g.end]):
		return 0, false
	case mobile:
		return g.end, n == 11
	case nanp:
		// area code and exchange start 2-9: NXX NXX-XXXX
		return g.end, n == 10 && g.digits[0] >= '2'
	case tw:
		return g.end, g.n == 7 || g.n == 8
	}
	if !landline(d[:n]) {
		return 0, false
	}
	return g.end, true
}

// hkTWPhone reports whether d (the digits of text[start:end]) is a Taiwan,
// Hong Kong or Macau number: +886 9XX XXX XXX (mobile) or an area code and
// 7-8 digits, +852/+853 and 8 digits, 09XX-XXX-XXX, or a Taiwan landline
// 0X-XXXX-XXXX written with a separator (a plain 10-digit number starting 0
// is too often a code).
func hkTWPhone(text string, d []byte, parts []groupPart, start, end int) bool {
	plus := text[start] == '+'
	switch {
	case plus && len(d) >= 11 && string(d[:3]) == "886":
		r := d[3:]
		return len(r) == 9 && r[0] == '9' || (len(r) == 8 || len(r) == 9) && localFirst(r[0])
	case plus && len(d) == 11 && (string(d[:3]) == "852" || string(d[:3]) == "853"):
		return d[3] >= '2' && d[3] <= '9'
	case len(d) == 10 && d[0] == '0' && d[1] == '9':
		return true
	case plus && len(d) >= 10 && len(d) <= 15 && d[0] != '0' && string(d[:2]) != "86":
		// any other country: a plus, a country code and a number, at
		// most 15 digits in all (E.164): +44 7700 900123, +65 8123 4567
		return true
	case !plus && foreignWritten(text, d, parts, start, end):
		return true
	case (len(d) == 9 || len(d) == 10) && d[0] == '0' && localFirst(d[1]):
		// Only as written with the area code apart (02-2345-6789, 037 123
		// 456), standing alone: inside a UUID (…-3a04-4669-8883-…) or a
		// code the same digits are no phone.
		a := start
		for a < end && isDigit(text[a]) {
			a++
		}
		return (a-start == 2 || a-start == 3) && (start == 0 || !isASCIIAlnum(text[start-1])) &&
			(end == len(text) || !isASCIIAlnum(text[end]) && text[end] != '-')
	}
	return false
}

// foreignWritten reports the numbers of other countries written in their
// own groups without a plus, which no mainland number shares: a North
// American NXX-NXX-XXXX (646.392.1187, 646-392-1187, 646 392 1187; not the
// toll-free 400/800 of Chinese service lines), a British mobile 07XXX
// XXXXXX, an Australian 04XX XXX XXX, a Malaysian 01X-XXX XXXX, the country code of Hong Kong or Macau apart before its 8 digits
// (852-5421-0763), and 86 apart before a landline (86-21-5067-3428),
// told by the lengths of the number's pieces (pieces, the digit scan's).
// The number must stand alone: no letter, digit or dash on either side.
func foreignWritten(text string, d []byte, pieces []groupPart, start, end int) bool {
	if start > 0 && (isASCIIAlnum(text[start-1]) || text[start-1] == '-') ||
		end < len(text) && (isASCIIAlnum(text[end]) || text[end] == '-') || len(pieces) > 5 {
		return false
	}
	var parts [5]int
	n := len(pieces)
	for k, p := range pieces {
		parts[k] = p.len()
	}
	switch {
	case n == 3 && parts[0] == 3 && parts[1] == 3 && parts[2] == 4 && d[0] >= '2':
		area := string(d[:3])
		return d[3] >= '2' && area != "400" && area != "800" && !(d[1] == '1' && d[2] == '1')
	case len(d) == 11 && d[0] == '0' && d[1] == '7' && parts[0] == 5 && (n == 2 && parts[1] == 6 || n == 3 && parts[1] == 3):
		return true
	case len(d) == 10 && d[0] == '0' && d[1] == '4' && n == 3 && parts[0] == 4 && parts[1] == 3:
		return true // an Australian mobile, 0412 736 598
	case len(d) == 11 && d[0] == '0' && d[1] == '1' && d[2] != '0' && n == 3 && parts[0] == 4 && parts[1] == 3 && parts[2] == 4:
		return true // a British landline, 0161 496 0738 (mainland 01X is Beijing's 010 only)
	case (len(d) == 10 || len(d) == 11) && d[0] == '0' && d[1] == '1' && d[2] != '0' && parts[0] == 3 && n >= 2:
		return true // a Malaysian mobile, 016-238 5741 (mainland 01X is Beijing's 010 only)
	case len(d) == 11 && parts[0] == 3 && (string(d[:3]) == "852" || string(d[:3]) == "853"):
		return d[3] >= '2' && d[3] <= '9'
	case parts[0] == 2 && d[0] == '8' && d[1] == '6' && len(d) >= 12:
		return landlineAfter86(d[2:])
	}
	return false
}
