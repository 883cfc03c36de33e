package reports

import (
	"strings"
	"unicode"

	"github.com/convintel/convintel/metrics"
)

// ActionText is an alert's suggested action as a merchandiser reads it.
// The metric job writes the action when the alert fires and knows no
// display names, so it names the product by its id ("在商品p01-milk-powder
// 详情页补充保质期…"): a product with a display name is named by it
// (「婴幼儿配方奶粉3段」 in Chinese) on the page and in the announcements.
// A rule whose stored action points at a command line (fallback_spike:
// "metrics show gaps") reads instead as the report a person opens
// (action.<rule> in the messages).
//
// A quality-inspection alert's action (qa_violation) names the agent as
// the QA page does, by its display name (the metric job wrote the id:
// "Review agent-01-2's conversation at 21:12 (#K7Q2MX)"; the conversation
// it already names by its reference, metrics.ConversationRef).
func ActionText(l Locale, a Alert) string {
	if HasMessage(l.Lang, "action."+a.Rule) {
		return l.T("action." + a.Rule)
	}
	s := a.Action(l.Lang)
	if a.Rule == metrics.RuleQAViolation && a.Node != "" && a.Node != "bot" && l.Named("agent", a.Node) { // metrics wrote the bot as a word
		s = replaceID(s, a.Node, l.Display("agent", a.Node))
	}
	if a.Product == "" || !l.Named("product", a.Product) {
		return s
	}
	name := l.Display("product", a.Product)
	if l.Lang == LangZH {
		name = "「" + name + "」"
	}
	return replaceID(s, a.Product, name)
}

// replaceID replaces id in s where it stands as a whole id (not inside a
// longer one such as p01-nuts-xl for p01-nuts, nor inside a word).
func replaceID(s, id, by string) string {
	idRune := func(r rune) bool {
		return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.", r))
	}
	var b strings.Builder
	for {
		i := strings.Index(s, id)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, after := s[:i], s[i+len(id):]
		whole := true
		if r := []rune(before); len(r) > 0 && idRune(r[len(r)-1]) {
			whole = false
		}
		if r := []rune(after); len(r) > 0 && idRune(r[0]) && !(r[0] == '.' && (len(r) == 1 || !idRune(r[1]))) {
			whole = false
		}
		b.WriteString(before)
		if whole {
			b.WriteString(by)
		} else {
			b.WriteString(id)
		}
		s = after
	}
}
