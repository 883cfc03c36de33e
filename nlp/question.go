package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// questionWords mark a buyer's question. 怎么 alone is left out: 「怎么还没
// 发货」 is a complaint in question form; 怎么样 (how is it) is a question.
// Each word has the neighbours that make it a statement instead: 好几个,
// 几乎 and 没几个 count nothing; 没什么 and 不知道是不是 doubt; 还是一样 and
// 还是不行 mean "still"; 哪怕 is "even if"; 或多或少 is "more or less".
var questionWords = []struct {
	w             string
	before, after []string
}{
	{w: "还是", after: []string{"一样", "不", "没", "很", "挺", "有点", "会", "要", "得", "老样子", "给", "把", "被", "让"}},
	{w: "怎么样"},
	{w: "几", before: []string{"好", "没", "没有", "这", "那", "了", "过"}, after: []string{"乎", "次", "天", "回", "遍"}},
	{w: "多少", before: []string{"或", "没", "不了", "知道放"}},
	{w: "什么", before: []string{"没", "不", "为"}, after: []string{"都", "也", "的"}},
	{w: "哪", after: []string{"怕", "里都", "都"}},
	{w: "是否"},
	{w: "能不能"},
	{w: "有没有"},
	{w: "可不可以"},
	{w: "会不会"},
	{w: "是不是", before: []string{"知道", "不知", "晓得", "怀疑"}},
	{w: "how "}, {w: "what "}, {w: "which "}, {w: "when "}, {w: "does "}, {w: "is it"}, {w: "can i"},
}

// rhetorical marks a question that is a complaint: 「这也叫品牌？」, 「就这？」,
// 「凭什么不给退」; 不知 doubts aloud in a review (「不知何故？」).
var rhetorical = []string{"这也叫", "这也能", "这也算", "就这", "难道", "凭什么", "怎么可能", "好意思", "不知"}

// plainQuestion reports whether norm is a question that voices no
// complaint: a chat-length text whose last clause is a question (a question
// mark, a final 吗/么/嘛, or a question word used as one), with no negative
// opinion word or, in an either-or question (偏大还是偏小), only the
// alternatives it asks about, and no rhetorical marker. A buyer asking
// 「充满电续航几个小时」 is not unhappy, whatever words the review-trained
// model weighs; a plain question read negative turns every product into a
// negative surge.
//
// Only a chat-length text (chatMaxRunes) can be one, and only its last
// clause is read: a review that asks or doubts something on the way (「不知
// 道是不是个体差异」, 「放几双靴子就往下弯了」) is still a review. Applied to
// every question word anywhere, the rule read the JD laptop reviews 0.872
// instead of 0.899 (session 9).
func plainQuestion(norm string, r lexResult) bool {
	if r.neg > r.dims || (r.dims > 0 && !strings.Contains(norm, "还是")) || utf8.RuneCountInString(norm) > chatMaxRunes {
		return false
	}
	for _, w := range rhetorical {
		if strings.Contains(norm, w) {
			return false
		}
	}
	t := strings.TrimRightFunc(norm, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && c != '?' && c != '？' || unicode.Is(unicode.So, c) || c == '~' || c == '～'
	})
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "么") || strings.HasSuffix(t, "嘛") {
		return true
	}
	if i := strings.LastIndexAny(t, ",.!;~，。！；"); i >= 0 {
		t = t[i+1:]
	}
	for _, q := range questionWords {
		if questionWord(t, q.w, q.before, q.after) {
			return true
		}
	}
	return false
}

// questionWord reports whether w occurs in s with none of before right
// before it and none of after right after it.
func questionWord(s, w string, before, after []string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		ok := true
		for _, b := range before {
			if strings.HasSuffix(s[:j], b) {
				ok = false
			}
		}
		for _, a := range after {
			if strings.HasPrefix(s[j+len(w):], a) {
				ok = false
			}
		}
		if ok {
			return true
		}
		i = j + len(w)
	}
}
