package nlp

// A message is a greeting only when it says nothing else: 「你好，辣不辣」
// asks about the taste, and the greeting in front of it is politeness. The
// linear model, seeing 你好 and an unknown word, says greeting; so when it
// does and the message has a content word besides greeting words, the next
// most probable intent is taken.

var greetingWords = map[string]bool{
	"你好": true, "您好": true, "你": true, "您": true, "好": true, "在": true, "在吗": true, "在不": true, "在么": true, "在嘛": true,
	"吗": true, "么": true, "嘛": true, "不": true, "亲": true, "亲亲": true, "亲爱的": true, "有人": true, "有人吗": true, "人": true,
	"没": true, "客服": true, "老板": true, "掌柜": true, "掌柜的": true, "的": true, "小姐姐": true, "美女": true, "帅哥": true,
	"哈喽": true, "嗨": true, "喂": true, "呢": true, "啊": true, "呀": true, "哈": true, "早上好": true, "上午好": true,
	"中午好": true, "下午好": true, "晚上好": true, "早": true, "请问": true, "hi": true, "hii": true, "hello": true, "hey": true,
	"nihao": true, "yo": true, "there": true, "anyone": true, "someone": true, "is": true, "here": true, "in": true,
	"dear": true, "有": true, "在的": true, "人在": true, "嘿": true, "哎": true, "诶": true, "在线": true, "没有": true, "不在": true, "再": true,
}

// onlyGreeting reports whether every word of the message is a greeting word
// (punctuation, emoji and placeholders aside).
func onlyGreeting(toks []token) bool {
	for _, t := range toks {
		if (t.kind == tokHan || t.kind == tokWord) && !greetingWords[t.text] {
			return false
		}
	}
	return true
}

func secondBest(p []float32, best int) int {
	second := -1
	for j := range p {
		if j != best && (second < 0 || p[j] > p[second]) {
			second = j
		}
	}
	if second < 0 {
		return best
	}
	return second
}
