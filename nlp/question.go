package nlp

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// questionWords mark a buyer's question. 怎么 alone is left out: 「怎么还没
// 发货」 is a complaint in question form; 怎么样 (how is it) is a question.
// Each word has the neighbours that make it a statement instead: 好几个,
// 几乎, 没几个 and 没吃几个 count nothing; 没什么 and 不知道是不是 doubt; 还是一样,
// 还是不行, 还是一如既往, 还是谢谢 and 基本还是/不过还是 mean "still" (还是别买了
// advises); 哪怕 is "even if"; 或多或少 is "more or less".
var questionWords = []struct {
	w             string
	before, after []string
}{
	{w: "还是", before: []string{"基本", "不过", "但", "可", "最后", "结果"}, after: []string{"一样", "一如既往", "谢", "不", "没", "很", "挺", "有点", "会", "要", "得", "老样子", "给", "把", "被", "让", "别", "算了", "觉得", "太", "这么", "那么"}},
	{w: "怎么样"}, {w: "咋样"}, {w: "如何", before: []string{"无论", "不知", "无从", "不管"}},
	{w: "几", before: []string{"好", "没", "没有", "这", "那", "了", "过", "没吃", "没用", "没穿", "没戴", "没玩", "没喝", "没看"}, after: []string{"乎", "次", "回", "遍"}},
	{w: "多少", before: []string{"或", "没", "不了", "知道放"}},
	{w: "什么", before: []string{"没", "不", "为"}, after: []string{"都", "也", "的"}},
	{w: "哪", after: []string{"怕", "里都", "都"}},
	{w: "是否"},
	{w: "是不是", before: []string{"知道", "不知", "晓得", "怀疑"}}, // the other A-not-A forms: aNotA
	{w: "啥", after: []string{"也", "都", "玩意"}},
	{w: "多久"}, {w: "多大"}, {w: "多长"}, {w: "多高"}, {w: "多重"}, {w: "多宽"}, {w: "多厚"},
	{w: "how "}, {w: "what "}, {w: "which "}, {w: "when "}, {w: "does "}, {w: "is it"}, {w: "can i"},
}

// rhetorical marks a question that is a complaint: 「这也叫品牌？」, 「就这？」,
// 「凭什么不给退」, 「谁能放心？」; 不知 doubts aloud in a review (「不知何故？」).
var rhetorical = []string{"这也叫", "这也能", "这也算", "就这", "难道", "凭什么", "怎么可能", "好意思", "不知", "谁能", "谁会", "谁敢", "说好的", "是认真的吗", "要啥自行车"}

// plainQuestion reports whether norm is a question that voices no
// complaint: a chat-length text whose last clause asks (questionForm), with
// no rhetorical marker and no negative opinion beyond the mild shortcoming
// or the alternatives it asks about (偏大吗, 偏大还是偏小). A buyer asking
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
	if utf8.RuneCountInString(norm) > chatMaxRunes {
		return false
	}
	for _, w := range rhetorical {
		if strings.Contains(norm, w) {
			return false
		}
	}
	if impatientReading && impatient(norm) {
		return false // 为啥只退了一半的钱, 到底发没发: impatience asked
	}
	asks, alternatives := questionForm(norm)
	if !asks {
		return false
	}
	// A question may name the mild shortcoming it asks about (偏大吗,
	// 一般几点截单, where 一般 is "usually"); a strong word or a sum past −1
	// (质量这么差还能退吗) is a complaint. A question between alternatives
	// (偏大还是偏小, 甜不甜) names them without meaning either. A complaint
	// of excess (有点贵, 太慢) is one unless it is an alternative asked about.
	alternatives = alternatives || strings.Contains(norm, "还是")
	if r.dims > 0 && !alternatives {
		return false
	}
	return r.neg <= r.dims || r.score > -1 || (alternatives || askedAbout && r.neg == 1 && askingAbout(norm)) && r.score > -2
}

// askedAbout: a question about a defect the product may have is a plain
// question (a switch for the development harness).
var askedAbout = true

// askingAbout reports whether the question norm asks whether the product
// has or may have what it names, before the buyer has it: 「洗了会起球吗」,
// 「容易坏吗」 (会 or 容易 in the last clause, not 怎么会 or 为什么会, which
// wonder at a defect that came) or 「保温杯漏水吗」, 「是临期的吗」 (ending in
// 吗 with nothing that has happened, 了, and no item of the buyer's own:
// 收到, 我的, 买的 …). The review-trained model and the lexicon read the
// defect word negative; a shop's pre-sale questions about 色差, 起球 and
// 缩水 read so made its shoppers look unhappy (session 17, probe o).
func askingAbout(norm string) bool {
	t := trimTail(norm, true)
	if i := strings.LastIndexAny(t, ",.!;~，。！；"); i >= 0 {
		t = t[i+1:]
	}
	if containsAny(norm, ownItem) || containsAny(t, wonderWords) {
		return false // 我的…漏水了, 为什么会漏水: a defect that came
	}
	for _, w := range []string{"会", "容易"} {
		// 怎会, 不会, 又会 (怎么会, 为什么会 are wonderWords).
		if i := strings.Index(t, w); i >= 0 && !hasAnySuffix(t[:i], "怎", "不", "又") && !strings.HasPrefix(t[i:], "会员") {
			return true
		}
	}
	q := strings.TrimRight(t, "?？ ")
	return (strings.HasSuffix(q, "吗") || strings.HasSuffix(q, "么")) && !strings.Contains(q, "了")
}

// wonderWords ask why a defect came (为什么会漏水, 怎么会坏), not whether
// it may come.
var wonderWords = []string{"为什么", "为啥", "怎么", "咋"}

// ownItem: words naming an item the buyer has (收到的, 我的, 这次发的).
var ownItem = []string{"收到", "到手", "我的", "买的", "发来", "寄来", "发的", "用了", "穿了", "洗了一", "这次", "刚买", "拆开", "打开", "到货", "送来"}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// askingAboutPraise reports whether norm is a plain question with no
// negative opinion that states no praise: 「质量好吗」, 「推荐哪款」, 「适合多大的
// 宝宝」 ask about the praise word, they do not give it, and so do questions
// of several clauses (「有啥区别 哪个好用点」, 「这款保温杯能装热茶吗 保温几小时」,
// 「宝宝两岁半 买100的会不会太大」; session 15: until then only one clause was
// read, and probe i's pre-sale questions of two clauses read positive). A
// clause that is not a question and holds a praise word states it
// (「东西很好,还有别的颜色吗」) and keeps the model's reading; so do wonder
// (这么/如此: 「哪里找这么好用的」) and a request that follows no question
// (推荐大家看看: a reviewer's advice; 「用哪个好 推荐一下呗」 asks).
func askingAboutPraise(norm string, r lexResult) bool {
	if r.neg > 0 || !plainQuestion(norm, r) {
		return false
	}
	t := trimTail(norm, true)
	for _, w := range []string{"这么", "如此", "那么", "多么"} {
		if strings.Contains(t, w) {
			return false
		}
	}
	lx, asked := mustPipeline().lex, false
	for c := range clauses(t) {
		if requestForm(strings.TrimRightFunc(c, unicode.IsPunct)) {
			if !asked {
				return false
			}
			continue
		}
		if asks, alternatives := questionForm(c); asks {
			// 太 wonders (太好用了吧?) unless it is asked about (会不会太大).
			if strings.Contains(c, "太") && !alternatives {
				return false
			}
			asked = true
			continue
		}
		if _, cr := lx.score(c, nil); cr.pos > 0 {
			return false
		}
	}
	return asked
}

// trimTail trims what ends a text but says nothing: white space,
// punctuation (a question mark aside, when keepQuestion: it asks), symbols
// such as emoji, and tildes.
func trimTail(s string, keepQuestion bool) string {
	return strings.TrimRightFunc(s, func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && !(keepQuestion && (c == '?' || c == '？')) ||
			unicode.Is(unicode.So, c) || c == '~' || c == '～'
	})
}

// oneClause reports whether norm, trailing punctuation aside, is one clause.
func oneClause(norm string) bool {
	n := 0
	for range clauses(trimTail(norm, false)) {
		n++
	}
	return n <= 1
}

// clauses yields the clauses of t, each with the punctuation that ends it
// (a question mark asks): split at punctuation and, in Chinese text, at
// white space (chat writes clauses apart with a space as often as
// with a comma: 「荔枝收到还是冰的 很新鲜」); a space between Latin words
// does not split (is this charger compatible).
func clauses(t string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		from := 0
		for i, c := range t {
			cut := strings.ContainsRune(",.!;~，。！；?？\n", c)
			if !cut && unicode.IsSpace(c) {
				prev, _ := utf8.DecodeLastRuneInString(t[:i])
				next, _ := utf8.DecodeRuneInString(t[i+utf8.RuneLen(c):])
				cut = prev >= 0x80 || next >= 0x80
			}
			if !cut {
				continue
			}
			end := i + utf8.RuneLen(c)
			if i > from && !yield(strings.TrimRightFunc(t[from:end], unicode.IsSpace)) {
				return
			}
			from = end
		}
		if from < len(t) {
			yield(t[from:])
		}
	}
}

// questionForm reports whether norm asks (a final question mark or
// particle, a question word in its last clause, an A-not-A) and whether it
// asks between alternatives (A-not-A).
func questionForm(norm string) (asks, alternatives bool) {
	t := trimTail(norm, true)
	if i := strings.LastIndexAny(t, ",.!;~，。！；"); i >= 0 {
		t = t[i+1:]
	}
	if aNotA(t) {
		return true, true
	}
	if requestForm(t) {
		return true, false
	}
	for _, end := range []string{"?", "？", "吗", "么", "嘛", "不", "没"} {
		// 能用不, 还有没: a final 不 or 没 asks as 吗 does.
		if strings.HasSuffix(t, end) && (end != "不" && end != "没" || utf8.RuneCountInString(t) > 2) {
			return true, false
		}
	}
	for _, q := range questionWords {
		if questionWord(t, q.w, q.before, q.after) {
			return true, false
		}
	}
	return false, false
}

// requests are the endings of a buyer's plain request for information or
// help (详细参数发我看看, 介绍一下, 帮我查一下): asked like a question, and read
// like one by the guard (session 10: the review-trained model read the
// simulator's 「白鸭绒连帽羽绒服详细参数发我看看」 negative, the product name
// being in negative reviews).
var requests = []string{"看看", "一下", "一下子", "发我", "介绍下", "推荐下", "说下", "查下", "告诉我", "给我说说"}

// requestForm reports whether the clause t ends as a plain request, a
// final particle (吧, 呀, 啊, 哈, 呗, 哦) aside.
func requestForm(t string) bool {
	for _, p := range []string{"吧", "呀", "啊", "哈", "呗", "哦"} {
		if s, ok := strings.CutSuffix(t, p); ok {
			t = s
			break
		}
	}
	for _, end := range requests {
		if strings.HasSuffix(t, end) {
			return true
		}
	}
	return false
}

// aNotA reports whether s holds an A-not-A question: 甜不甜, 大不大, 能不能,
// 有没有 (a Han character, 不 or 没, the same character). 是不是 is left to
// questionWords, which knows when it doubts (不知道是不是) rather than asks;
// 得不得 is 不得了 (香得不得了), not a question.
func aNotA(s string) bool {
	var p, a, b rune
	for _, c := range s {
		if a != 0 && (b == '不' || b == '没') && c == a && a != '不' && a != '没' && a != '是' && a != '得' && unicode.Is(unicode.Han, a) &&
			p != '不' && p != '没' { // 不错不错 repeats 不错
			return true
		}
		p, a, b = a, b, c
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

// impatientReading: a chat message voicing impatience or distrust with no
// opinion word is negative (impatient). A switch for the development
// harness.
var impatientReading = true

// impatience are what a buyer writes when waiting has worn thin or the
// answers do not help (「下单五天了 你们到底发没发」, 「付款一直失败 咋回事」,
// 「答非所问 你是不是AI」, 「为啥只退了一半的钱」), with no opinion word for
// the lexicon. The JDDC buyer turns without one train as neutral, and
// the model read these neutral; every independent writer of the
// development probes labels them negative, as a supervisor counting
// unhappy buyers would (session 17).
var impatience = []string{"到底", "急死", "急急", "一直没", "一直不", "一直显示", "一直在", "一直失败", "一直转圈", "一直提示",
	"怎么还没", "怎么还不", "怎么还在", "咋还没", "咋还不", "还没人", "咋回事", "怎么回事", "怎么显示", "答非所问", "听不懂",
	"为啥只", "为什么只", "为啥还", "为什么还", "为啥没", "为什么没", "为啥不", "为什么不", "为啥要收", "为什么要收",
	"催了", "好几天了", "这么久", "等了半天", "问了半天", "没人理", "没人管", "没人回", "不回复", "机器人吧", "是不是机器人", "是机器人吗", "是不是ai", "活人", "主管", "店长出来", "模板"}

// impatient reports whether the chat-length text norm voices impatience
// (impatience) outside a plain pre-sale question.
func impatient(norm string) bool {
	if utf8.RuneCountInString(norm) > chatMaxRunes {
		return false
	}
	hit := false
	impatienceTrie().scan(norm, func(int32, int, int) { hit = true })
	return hit
}

// impatienceTrie finds any of impatience in one pass: the rule reads
// every neutral chat message, and fifty substring searches cost Analyze a
// fifth of its time.
var impatienceTrie = sync.OnceValue(func() *phraseTrie {
	t := newPhraseTrie()
	for i, w := range impatience {
		t.add(w, int32(i))
	}
	return t
})
