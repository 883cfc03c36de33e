package nlp

import (
	"strings"
	"unicode/utf8"
)

// Buyers write an e-mail address so that a platform's filter misses it, as
// they write a phone number in Chinese numerals: zhangsan#163.com,
// zhangsan(at)163.com, zhangsan at qq dot com, or zhangsan@qq with the
// provider alone. writtenEmailAt finds those forms; the separator is at
// text[i] ('#', '(', '[' or the space before "at"). Where the separator is
// ambiguous (a '#', a spoken "at") the domain must be a mail provider
// buyers use, with its top-level domain, so that "see you at live" and
// "#话题.com" stay text; an '@' before a provider alone (zhangsan@qq) is
// an address too.
func writtenEmailAt(text string, i int) (span, bool) {
	sep, strict := emailSeparator(text, i)
	if sep == 0 {
		return span{}, false
	}
	// A space typed beside the '@' (dan.zhao @ gmail.com, lulu 1207 @ 163 . com).
	ls, ds := i, i+sep
	if text[i] == '@' && i > 1 && text[i-1] == ' ' && isEmailLocal(text[i-2]) {
		ls--
	}
	if text[i] == '@' && ds+1 < len(text) && text[ds] == ' ' && isASCIIAlnum(text[ds+1]) {
		ds++
	}
	s := emailLocalStart(text, ls)
	if ls-s < 2 {
		return span{}, false
	}
	labels, e := domainLabels(text, ds)
	if len(labels) == 0 {
		return span{}, false
	}
	tld := len(labels) >= 2 && len(labels[len(labels)-1]) >= 2 && allLetters(labels[len(labels)-1])
	switch {
	case strict && tld, // zhangsan(at)example.com
		mailProvider(labels[0]) && tld,                                                // zhangsan#163.com, zhangsan at qq dot com
		tld && text[i] == '#' && containsAny(text[max(0, s-30):s], mailWords),         // 邮箱是 sunlei#bjhengtong.com
		text[i] == '@' && len(labels) == 1 && mailProvider(labels[0]),                 // zhangsan@qq
		sep == 4 && len(labels) == 1 && mailProvider(labels[0]) && idLike(text[s:ls]): // peterwong1988 at gmail
		return span{s, e, MaskEmail}, true
	}
	return span{}, false
}

// emailSeparator returns the length of the separator written for '@' at
// text[i] (0: none) and whether it is unambiguous: "(at)" and "[at]" are;
// '#', " at " and '@' itself (an address with no top-level domain) are not.
func emailSeparator(text string, i int) (int, bool) {
	rest := text[i:]
	switch {
	case hasPrefixFold(rest, "(at)"), hasPrefixFold(rest, "[at]"):
		return 4, true
	case hasPrefixFold(rest, " (at)"), hasPrefixFold(rest, " [at]"):
		if len(rest) > 5 && rest[5] == ' ' {
			return 6, true // chen.mo (at) gmail.com
		}
		return 5, true
	case hasPrefixFold(rest, " at "):
		return 4, false
	case rest[0] == '#', rest[0] == '@':
		return 1, false
	}
	return 0, false
}

// domainLabels reads a domain written after the separator, its dots also
// written " dot ", "(dot)" or "[dot]"; it returns the labels, lower-cased,
// and the end of the domain.
func domainLabels(text string, i int) ([]string, int) {
	var labels []string
	for {
		j := i
		for j < len(text) && (isASCIIAlnum(text[j]) || text[j] == '-') {
			j++
		}
		if j == i {
			return labels, i
		}
		labels = append(labels, strings.ToLower(text[i:j]))
		end := j
		switch rest := text[j:]; {
		case strings.HasPrefix(rest, ".") && len(rest) > 1 && isASCIIAlnum(rest[1]):
			i = j + 1
		case hasPrefixFold(rest, " dot "), hasPrefixFold(rest, "(dot)"), hasPrefixFold(rest, "[dot]"):
			i = j + 5
		case hasPrefixFold(rest, " [dot] "), hasPrefixFold(rest, " (dot) "):
			i = j + 7 // outlook [dot] com
		case strings.HasPrefix(rest, " . ") && len(rest) > 3 && isASCIIAlnum(rest[3]):
			i = j + 3 // 163 . com
		default:
			return labels, end
		}
		if len(labels) == 4 {
			return labels, end
		}
	}
}

// hasSuffixFold reports whether s ends with suffix, which is lower-case
// ASCII, in any case of its letters.
func hasSuffixFold(s, suffix string) bool {
	if len(s) < len(suffix) {
		return false
	}
	s = s[len(s)-len(suffix):]
	for i := 0; i < len(suffix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != suffix[i] {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isASCIILetter(s[i]) {
			return false
		}
	}
	return true
}

// mailProvider: the mail services of Chinese buyers and the common
// international ones.
func mailProvider(domain string) bool {
	switch domain {
	case "qq", "163", "126", "yeah", "foxmail", "sina", "sohu", "139", "189", "aliyun", "tom", "21cn",
		"gmail", "googlemail", "hotmail", "outlook", "live", "msn", "yahoo", "icloud", "proton", "protonmail":
		return true
	}
	return false
}

// idLike reports whether a local part looks like an account name rather
// than a word (peterwong1988, chen.mo, li_na): it holds a digit, a dot or
// an underscore.
func idLike(local string) bool {
	return strings.ContainsAny(local, "0123456789._")
}

// spacedEmailAt reads an address typed with a space between every
// character, so that a filter does not see it (x i a o f e n g @ 1 2 6 .
// c o m): the '@' at text[at] with at least three single characters before
// it, each after a space, and a domain after it, spaced or not, with a
// dot and a top-level domain of letters.
func spacedEmailAt(text string, at int) (span, bool) {
	k := at
	if k > 0 && text[k-1] == ' ' {
		k--
	}
	n := 0
	for k > 0 && isEmailLocal(text[k-1]) && (k == 1 || text[k-2] == ' ' || text[k-2] >= 0x80) {
		k--
		n++
		if k > 0 && text[k-1] == ' ' && k > 1 && isEmailLocal(text[k-2]) {
			k--
			continue
		}
		break
	}
	if n < 3 {
		return span{}, false
	}
	var dom [64]byte
	d, j := 0, at+1
	if j < len(text) && text[j] == ' ' {
		j++
	}
	e := j
	for j < len(text) && d < len(dom) && (isASCIIAlnum(text[j]) || text[j] == '.' || text[j] == '-') {
		dom[d] = text[j]
		d++
		e = j + 1
		if j+2 < len(text) && text[j+1] == ' ' && (isASCIIAlnum(text[j+2]) || text[j+2] == '.') {
			j += 2
			continue
		}
		j++
	}
	name := strings.TrimRight(string(dom[:d]), ".-")
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || len(name)-dot-1 < 2 || !allLetters(name[dot+1:]) {
		return span{}, false
	}
	return span{k, e, MaskEmail}, true
}

// emailInParts reads an address told in two parts (邮箱前面是 sunny_he2020
// 后面是 @126.com): a domain after the '@' at text[at] with a top-level
// domain and nothing before the '@', a mail word (mailWords) in the 60
// bytes before, and between them an account-like word (letters, digits,
// ._-, four or more, holding a digit, a dot or an underscore): the
// domain's span and the account's.
func emailInParts(text string, at int) (span, span, bool) {
	if at > 0 && isEmailLocal(text[at-1]) {
		return span{}, span{}, false
	}
	labels, e := domainLabels(text, at+1)
	if len(labels) < 2 || len(labels[len(labels)-1]) < 2 || !allLetters(labels[len(labels)-1]) {
		return span{}, span{}, false
	}
	from := max(0, at-60)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	before := text[from:at]
	if !containsAny(before, mailWords) {
		return span{}, span{}, false
	}
	for k := len(before); k > 0; {
		if !isEmailLocal(before[k-1]) {
			k--
			continue
		}
		j := k
		for j > 0 && isEmailLocal(before[j-1]) {
			j--
		}
		if w := before[j:k]; len(w) >= 4 && idLike(w) {
			return span{at, e, MaskEmail}, span{from + j, from + k, MaskEmail}, true
		}
		k = j
	}
	return span{}, span{}, false
}

// mailWords name an e-mail address.
var mailWords = []string{"邮箱", "郵箱", "邮件", "郵件", "电邮", "電郵", "email", "Email", "EMAIL", "e-mail", "E-mail", "mail", "Mail"}
