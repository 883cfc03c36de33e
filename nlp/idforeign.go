package nlp

import "strings"

// Identity numbers that start with letters, which the digit scan reaches
// at their first digit: Taiwan's national ID (A123456789, check digit),
// Hong Kong's identity card (A123456(3), AB987654(1), check character) and
// passport numbers after a word naming them (护照 E12345678).

// letterIDAt classifies the letters before text[i] and the digit group g
// starting at i.
func letterIDAt(text string, i int, g *digitGroup) (span, bool) {
	if g.np != 1 || g.tooBig {
		return span{}, false
	}
	e := i // the end of the letters
	if e > 1 && text[e-1] == ' ' && isASCIILetter(text[e-2]) {
		e-- // R 572019 (3), EA 4827193: a space after the letters
	}
	l := e
	for l > 0 && e-l < 2 && isASCIILetter(text[l-1]) {
		l--
	}
	if l > 0 && isASCIIAlnum(text[l-1]) {
		return span{}, false // part of a longer code
	}
	letters := strings.ToUpper(strings.TrimRight(text[l:i], " "))
	digits := g.digits[:g.n]
	after := g.end
	if len(letters) == 1 && g.n == 9 && twID(letters[0], digits) && (after == len(text) || !isASCIIAlnum(text[after])) {
		return span{l, after, MaskIDCard}, true
	}
	end := after == len(text) || !isASCIIAlnum(text[after])
	// one letter after the digits, then the end: a check letter
	// (A123456A, S8827413Z, K3827164N)
	letterEnd := after < len(text) && isASCIILetter(text[after]) && (after+1 == len(text) || !isASCIIAlnum(text[after+1]))
	// Hong Kong: the check character in brackets (A123456(3); the scan's
	// view reads full-width brackets as ASCII), or without them after a
	// word naming an identity card (身份證 A1234563: one code in eleven
	// would pass the check by chance).
	if g.n == 6 && after+2 < len(text) && text[after] == '(' && text[after+2] == ')' &&
		(hkID(letters, digits, text[after+1]) || len(letters) <= 2 && cueBefore(text, l, idCardWords)) {
		return span{l, after + 3, MaskIDCard}, true // after a word naming it, a mistyped check character too
	}
	if g.n == 6 && after+3 < len(text) && text[after] == ' ' && text[after+1] == '(' && text[after+3] == ')' && len(letters) <= 2 && cueBefore(text, l, idCardWords) {
		return span{l, after + 4, MaskIDCard}, true // R 572019 (3)
	}
	if len(letters) == 1 && g.n == 9 && (digits[0] == '1' || digits[0] == '2') && end && cueBefore(text, l, idCardWords) {
		return span{l, after, MaskIDCard}, true // a Taiwan ID after 身分證字號, its check digit mistyped
	}
	if g.n == 6 && letterEnd && text[after]|0x20 == 'a' &&
		hkID(letters, digits, 'A') && cueBefore(text, l, idCardWords) {
		return span{l, after + 1, MaskIDCard}, true
	}
	if g.n == 7 && end && hkID(letters, digits[:6], digits[6]) && cueBefore(text, l, idCardWords) {
		return span{l, after, MaskIDCard}, true
	}
	if len(letters) == 1 && g.n == 7 && letterEnd && strings.ContainsAny(letters, "STFGM") && cueBefore(text, l, idCardWords) {
		return span{l, after + 1, MaskIDCard}, true // Singapore's NRIC, S8827413Z
	}
	if (g.n == 7 || g.n == 8 || g.n == 10 && (letters == "H" || letters == "M")) && cueBefore(text, l, passportWords) {
		if end {
			return span{l, after, MaskIDCard}, true
		}
		if letterEnd {
			return span{l, after + 1, MaskIDCard}, true // Singapore's K1234567N
		}
	}
	return span{}, false
}

// digitIDAt recognises the identity and travel documents whose numbers are
// digits only, after a word naming them: a passport or permit of 8 or 9
// digits (US passport no. 568213947, 台胞证号码08273641), and Macau's
// identity card, 7 digits and a check digit in brackets (澳门居民身份证
// 1382746(5)). g is the group starting at text[i].
func digitIDAt(text string, i int, g *digitGroup) (span, bool) {
	if g.n == 12 && !g.tooBig && cueBefore(text, i, myNumberWords) {
		return span{i, g.end, MaskIDCard}, true // Japan's My Number: マイナンバーは 4827 3916 5028
	}
	if printedAs(text, g.parts[:g.np], '/', 1, 6, 1) && cueBefore(text, i, idCardWords) {
		return span{i, g.end, MaskIDCard}, true // Macau's card as printed, 1/362814/5
	}
	if g.np != 1 || g.tooBig || i > 0 && isASCIIAlnum(text[i-1]) {
		return span{}, false
	}
	after := g.end
	if g.n == 7 && after+2 < len(text) && text[after] == '(' && isDigit(text[after+1]) && text[after+2] == ')' &&
		cueBefore(text, i, idCardWords) {
		return span{i, after + 3, MaskIDCard}, true
	}
	if (g.n == 8 || g.n == 9) && (after == len(text) || !isASCIIAlnum(text[after])) && cueBefore(text, i, passportWords) {
		return span{i, after, MaskIDCard}, true
	}
	if g.n == 12 && validMonthDay(g.digits[2:6]) && (after == len(text) || !isASCIIAlnum(text[after])) && cueBefore(text, i, idCardWords) {
		return span{i, after, MaskIDCard}, true // a MyKad written without its dashes: IC saya 920315145078
	}
	if g.n == 12 && (after == len(text) || !isASCIIAlnum(text[after])) && cueBefore(text, i, vnIDWords) {
		return span{i, after, MaskIDCard}, true // Vietnam's citizen card: CCCD của mình 001095012847
	}
	return span{}, false
}

// koreanRRN reports a Korean resident registration number as printed,
// YYMMDD-SNNNNNN (870923-2184578): 6 and 7 digits apart by one dash, a
// date of birth, and 1-8 for the sex and century.
func koreanRRN(text string, d []byte, parts []groupPart) bool {
	return printedAs(text, parts, '-', 6, 7) && validMonthDay(d[2:6]) && d[6] >= '1' && d[6] <= '8'
}

// thaiID reports a Thai national ID as printed, 1-1037-00482-56-4: 13
// digits in pieces of 1, 4, 5, 2 and 1, the last a check digit.
func thaiID(d []byte, parts []groupPart) bool {
	if len(d) != 13 || len(parts) != 5 || parts[0].len() != 1 || parts[1].len() != 4 || parts[2].len() != 5 || parts[3].len() != 2 {
		return false
	}
	sum := 0
	for k := 0; k < 12; k++ {
		sum += int(d[k]-'0') * (13 - k)
	}
	return int(d[12]-'0') == (11-sum%11)%10
}

// ssnAt recognises a US Social Security number, 524-71-3098, after a word
// naming it (ssnWords) anywhere before: 3, 2 and 4 digits apart by one dash
// each.
func ssnAt(text string, i int, g *digitGroup) (span, bool) {
	if !printedAs(text, g.parts[:g.np], '-', 3, 2, 4) || !containsAny(text[:i], ssnWords) {
		return span{}, false
	}
	return span{i, g.end, MaskIDCard}, true
}

// twLetter is the value of each first letter of a Taiwan ID (A=10 … with
// the historical I, O, W, Z out of order).
const twLetters = "ABCDEFGHJKLMNPQRSTUVXYWZIO"

func twID(letter byte, d []byte) bool {
	k := strings.IndexByte(twLetters, letter)
	if k < 0 || d[0] != '1' && d[0] != '2' && d[0] != '8' && d[0] != '9' {
		return false
	}
	v := k + 10
	sum := v/10 + v%10*9
	for j := 0; j < 8; j++ {
		sum += int(d[j]-'0') * (8 - j)
	}
	sum += int(d[8] - '0')
	return sum%10 == 0
}

// hkID checks a Hong Kong identity card number: one or two letters, six
// digits and a check character (0-9 or A) making the weighted sum ≡ 0 mod 11.
func hkID(letters string, d []byte, check byte) bool {
	if len(letters) == 0 || len(letters) > 2 {
		return false
	}
	sum := 0
	if len(letters) == 1 {
		sum = 36 * 9 // a blank first letter
		sum += int(letters[0]-'A'+10) * 8
	} else {
		sum = int(letters[0]-'A'+10)*9 + int(letters[1]-'A'+10)*8
	}
	for j := 0; j < 6; j++ {
		sum += int(d[j]-'0') * (7 - j)
	}
	switch {
	case check >= '0' && check <= '9':
		sum += int(check - '0')
	case check == 'A' || check == 'a':
		sum += 10
	default:
		return false
	}
	return sum%11 == 0
}

var (
	passportWords = []string{"护照", "護照", "passport", "Passport", "PASSPORT", "通行证", "通行證", "回乡证", "回鄉證", "台胞证", "台胞證",
		"パスポート", "旅券", "여권", // Japanese and Korean buyers of cross-border shops
		"pasport", "Pasport"} // Malay
	idCardWords = []string{"身份证", "身份證", "身分證", "证件", "證件", "HKID", "hkid", "ID", "id", "NRIC", "FIN", "IC ", "MyKad", "mykad", "字號"}
	// idCardWordsZh name a mainland ID card; after one, an 18-digit number
	// with a mistyped check digit is still the card's (idShaped), where
	// after "ID" it may be any id.
	idCardWordsZh = []string{"身份证", "身份證", "身分證", "证件号", "證件號"}
	// myNumberWords name Japan's individual number (12 digits).
	myNumberWords = []string{"マイナンバー", "個人番号", "My Number", "my number"}
	// vnIDWords name Vietnam's identity cards (12 digits).
	vnIDWords = []string{"CCCD", "CMND", "căn cước", "Căn cước"}
	// ssnWords name a US Social Security number.
	ssnWords = []string{"SSN", "ssn", "Social Security", "social security", "社安号", "社會安全號"}
)

// cueBefore reports whether one of words is in the 30 bytes before l.
func cueBefore(text string, l int, words []string) bool {
	return containsAny(text[max(0, l-30):l], words)
}

// niNumberAt recognises a British National Insurance number written as
// printed, "JG 10 37 22 B": two letters, three pairs of digits and a
// letter, apart by single spaces; g is the group of the pairs at text[i].
func niNumberAt(text string, i int, g *digitGroup) (span, bool) {
	if !printedAs(text, g.parts[:g.np], ' ', 2, 2, 2) ||
		i < 3 || text[i-1] != ' ' || !isUpperASCII(text[i-2]) || !isUpperASCII(text[i-3]) || i > 3 && isASCIIAlnum(text[i-4]) ||
		g.end+2 > len(text) || text[g.end] != ' ' || !isUpperASCII(text[g.end+1]) || g.end+2 < len(text) && isASCIIAlnum(text[g.end+2]) {
		return span{}, false
	}
	return span{i - 3, g.end + 2, MaskIDCard}, true
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }
