package nlp

import (
	"slices"
	"strings"
	"testing"
)

func TestTraditionalIsReadAsSimplified(t *testing.T) {
	m := testModel(t)
	if got := ToSimplified("請問這個質量怎麼樣？運費多少"); got != "请问这个质量怎么样？运费多少" {
		t.Fatalf("ToSimplified = %q", got)
	}
	s := "已经是简体 hello"
	if got := ToSimplified(s); got != s {
		t.Fatalf("simplified text changed: %q", got)
	}
	// the stored text keeps the buyer's script; the analysis reads simplified
	a, b := m.Analyze("退貨要怎麼辦", "", 0), m.Analyze("退货要怎么办", "", 0)
	if a.MaskedText != "退貨要怎麼辦" || a.Intent != b.Intent || a.Signature != b.Signature {
		t.Fatalf("traditional %+v vs simplified %+v", a, b)
	}
}

func TestContrastClauseDecides(t *testing.T) {
	p := mustPipeline()
	score := func(s string) lexResult {
		_, r := p.lex.score(string(normalize(nil, s)), nil)
		return r
	}
	if r := score("东西不错，但是物流太慢了"); r.score >= 0 || !r.contrast || r.after >= 0 {
		t.Fatalf("good-but-slow: %+v, want negative with a negative after-part", r)
	}
	if r := score("物流有点慢，不过东西很好"); r.score <= 0 {
		t.Fatalf("slow-but-good: %+v, want positive", r)
	}
	if r := score("就是这个颜色"); r.contrast {
		t.Fatalf("a contrast word before any opinion is not a contrast: %+v", r)
	}
	// negation reaches over a few characters, not across punctuation or spaces
	if r := score("没有想象中好用"); r.score >= 0 || r.negated == 0 {
		t.Fatalf("没有想象中好用: %+v", r)
	}
	m := testModel(t)
	if got := m.Analyze("外观挺好看的，但是用了两天就坏了，太失望了", "", 0).SentimentLabel; got != "negative" {
		t.Fatalf("contrast review: %s", got)
	}
}

func TestAugmentIsDeterministicAndKeepsLabels(t *testing.T) {
	in := []Example{{Text: "包邮吗", Label: "shipping_fee"}, {Text: "什么时候发货", Label: "delivery_time"},
		{Text: strings.Repeat("很长的评论", 20), Label: "other"}}
	a, b := Augment(in, 3, 40, 7), Augment(in, 3, 40, 7)
	if !slices.Equal(a, b) || len(a) == 0 {
		t.Fatalf("augment not deterministic or empty: %v", a)
	}
	for _, e := range a {
		if strings.Contains(e.Text, "很长的评论") {
			t.Fatalf("review-length text augmented: %q", e.Text)
		}
		if (strings.Contains(e.Text, "邮") || strings.Contains(e.Text, "油")) != (e.Label == "shipping_fee") {
			t.Fatalf("label changed: %+v", e)
		}
	}
	oc := orderContextCopies(in[:2])
	if oc[1].Label != "order_status" || !oc[1].Context.OrderReferenced || oc[0].Label != "shipping_fee" {
		t.Fatalf("order-context copies: %+v", oc)
	}
}

func TestReadBitextAndLaptopSplit(t *testing.T) {
	csv := "flags,instruction,category,intent,response\nB,\"how do i cancel order 123\",ORDER,cancel_order,\"Sure,\nfirst...\"\nB,i want to write a review,FEEDBACK,review,ok\nB,where is my package,ORDER,track_order,x\n"
	ex, err := ReadBitext(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{{Text: "how do i cancel order 123", Label: "cancel_order"}, {Text: "where is my package", Label: "order_status"}}
	if !slices.Equal(ex, want) {
		t.Fatalf("ReadBitext = %+v", ex)
	}
	if !IsLaptopReview("键盘手感不错，屏幕也亮") || IsLaptopReview("酒店房间里的电脑很旧") || IsLaptopReview("这本书的作者写电脑") {
		t.Fatal("IsLaptopReview")
	}
	capped := capPerLabel([]Example{{Label: "a"}, {Label: "a"}, {Label: "a"}, {Label: "a"}, {Label: "b"}}, 2)
	if len(capped) != 3 {
		t.Fatalf("capPerLabel kept %d", len(capped))
	}
}

func TestGreetingOnlyWhenNothingElse(t *testing.T) {
	m := testModel(t)
	for _, s := range []string{"你好", "在吗亲", "hi 有人吗"} {
		if got := m.Analyze(s, "", 0).Intent; got != "greeting" {
			t.Errorf("%q -> %s, want greeting", s, got)
		}
	}
	if got := m.Analyze("你好，甜不甜", "", 0).Intent; got == "greeting" {
		t.Errorf("你好，甜不甜 -> greeting")
	}
	// Greeting phrases with fillers, placeholders and emoji only are a
	// greeting even where the segmenter splits them (下午/好, 哈/罗); 好的 is not.
	for _, s := range []string{"下午好", "哈罗", "[链接x] 您好", "嗯 在么亲", "btw hello 有人在吗??", "客服小姐姐在吗"} {
		if got := m.Analyze(s, "", 0).Intent; got != "greeting" {
			t.Errorf("%q -> %s, want greeting", s, got)
		}
	}
	for _, s := range []string{"好的", "亲 好吗", "high", "好的 在吗 怎么退货", "你好 商品信息咨询"} {
		if greetingOnly(normalize(nil, s)) {
			t.Errorf("greetingOnly(%q) = true", s)
		}
	}
}

// A dimension word is a complaint only after a word of excess.
func TestLexiconDimensionWords(t *testing.T) {
	p := mustPipeline()
	score := func(in string) float32 {
		_, r := p.lex.score(string(normalize(nil, in)), nil)
		return r.score
	}
	for _, in := range []string{"屏幕有点小", "键盘略显松", "声音太响", "偏硬", "a bit heavy"} {
		if s := score(in); s >= 0 {
			t.Errorf("lexicon(%q) = %.2f, want a complaint", in, s)
		}
	}
	for _, in := range []string{"屏幕很大", "不热", "小", "服务员很热情", "太热情了", "小巧", "很少见", "慢", "不慢"} {
		if s := score(in); s < 0 {
			t.Errorf("lexicon(%q) = %.2f, want no complaint", in, s)
		}
	}
	// Dimensions nobody wants more of (*) are a complaint after any
	// degree word (session 13: real short reviews read neutral).
	for _, in := range []string{"送的真慢呢", "好慢", "很贵", "菜量非常少", "超咸", "very slow"} {
		if s := score(in); s >= 0 {
			t.Errorf("lexicon(%q) = %.2f, want a complaint", in, s)
		}
	}
}

// 好 is a degree word (好大, 好慢), and praise when it ends its clause
// right after another degree word (非常好, 服务超好的); 好的 and 好吧 alone
// are acknowledgements, not praise.
func TestLexiconDegreeThenGood(t *testing.T) {
	p := mustPipeline()
	score := func(in string) lexResult {
		_, r := p.lex.score(string(normalize(nil, in)), nil)
		return r
	}
	for _, in := range []string{"非常好", "质量特别好!", "送货的小哥服务超好的", "超级超级好", "真的非常好啊"} {
		if r := score(in); r.pos != 1 || r.score <= 0 {
			t.Errorf("lexicon(%q) = %+v, want one praise", in, r)
		}
	}
	for _, in := range []string{"好的", "好吧", "那好", "好大一个", "非常好奇", "好慢"} {
		if r := score(in); r.pos != 0 {
			t.Errorf("lexicon(%q) = %+v, want no praise", in, r)
		}
	}
	if r := score("不是非常好"); r.score >= 0 {
		t.Errorf("lexicon(不是非常好) = %+v, want mildly negative", r)
	}
}

// Intent cues fire per intent, and a phrase cannot be a cue of two intents.
func TestIntentCues(t *testing.T) {
	c := defaultIntentCues()
	hits := func(in string) []uint32 {
		norm := string(normalize(nil, in))
		return appendCueFeatures(nil, norm, mustPipeline().cueTp.any(norm))
	}
	if got := hits("增票抬头写错了"); len(got) != 2 || got[0] != hashOf(nsCue, "invoice") || got[1] != hashOf(nsCue, "invoice") {
		t.Fatalf("增票抬头写错了: cue features %v, want invoice twice", got)
	}
	if got := hits("保质期多久"); len(got) == 0 || got[len(got)-1] != hashOf(nsCue, "topic") {
		t.Fatalf("保质期多久: cue features %v, want the product topic cue", got)
	}
	if got := hits("ok"); len(got) != 0 {
		t.Fatalf("ok: cue features %v, want none", got)
	}
	if len(c.names) < 100 {
		t.Fatalf("%d cue phrases", len(c.names))
	}
	if _, err := parseIntentCues("invoice: 发票\nrefund: 发票\n"); err == nil {
		t.Fatal("want an error for a phrase that is a cue of two intents")
	}
}

// Session 13: complaints of waiting and of a shelf life running out are
// read as complaints; 快到了 (almost there) and 刚才到 (just arrived) are
// not 快 (fast) or 才到 (only now).
func TestLexiconWaitingAndAlmost(t *testing.T) {
	p := mustPipeline()
	score := func(in string) float32 {
		_, r := p.lex.score(string(normalize(nil, in)), nil)
		return r.score
	}
	for _, in := range []string{"等了好久", "两个多小时才送到", "送餐时间太久了", "保质期快到了", "面有点夹生", "没有下次了"} {
		if s := score(in); s >= 0 {
			t.Errorf("lexicon(%q) = %.2f, want a complaint", in, s)
		}
	}
	for _, in := range []string{"快到了吗", "包裹刚才到了", "快到期了吗"} {
		if s := score(in); s > 0 || in != "快到期了吗" && s != 0 {
			t.Errorf("lexicon(%q) = %.2f, want no praise (and no complaint but a shelf life's)", in, s)
		}
	}
}
