package nlp

import (
	"strings"
	"unicode"
)

// questionWords mark a buyer's question. 怎么 alone is left out: 「怎么还没
// 发货」 is a complaint in question form; 怎么样 (how is it) is a question.
var questionWords = []string{"还是", "怎么样", "几", "多少", "什么", "哪", "是否", "能不能", "有没有", "可不可以", "会不会", "是不是", "how ", "what ", "which ", "when ", "does ", "is it", "can i"}

// plainQuestion reports whether norm is a question that voices no
// complaint: a question form (a question mark, a final 吗/么/嘛, or a
// question word) and no negative opinion word, or, in an either-or
// question (偏大还是偏小), only the alternatives it asks about. A buyer
// asking 「充满电续航几个小时」 is not unhappy, whatever words the
// review-trained model weighs; a plain question read negative turns every
// product into a negative surge.
func plainQuestion(norm string, r lexResult) bool {
	if r.neg > r.dims || (r.dims > 0 && !strings.Contains(norm, "还是")) {
		return false
	}
	t := strings.TrimRightFunc(norm, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && c != '?' && c != '？' || unicode.Is(unicode.So, c) || c == '~' || c == '～'
	})
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "么") || strings.HasSuffix(t, "嘛") {
		return true
	}
	for _, w := range questionWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
