package nlp

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Buyers do not write the clean sentences of a training file: they open with
// 亲/在吗/hi, end with 呢/吗/～/😂/[微笑], type 包油 for 包邮 and mix in
// English words. Augment adds such variants of short chat examples so the
// models see the noise around the words that carry the intent. It is
// deterministic (seeded PCG) and never changes a label.

var (
	augPrefixes = []string{"亲 ", "亲，", "在吗 ", "在吗？", "你好，", "您好 ", "hi ", "hello ", "btw ", "emm ", "嗯 ", "请问 ",
		"亲亲 ", "老板 ", "掌柜的 ", "客服 ", "那个 ", "问下 ", "哈喽 ", "诶 ", "在不 "}
	augSuffixes = []string{"呢", "吗", "～", "😂", "[微笑]", "啊", "呀", "?", "??", "。。。", " 谢谢", "[疑问]", "!", "哈", "😊", " 急", "嘛"}
	// augTypos are the misspellings buyers make with a pinyin keyboard, and
	// the English words they code-switch to.
	augTypos = [][2]string{
		{"包邮", "包油"}, {"运费", "运废"}, {"快递", "快滴"}, {"什么", "神马"}, {"什么", "啥"}, {"怎么", "咋"},
		{"优惠", "有惠"}, {"在吗", "在嘛"}, {"发货", "发或"}, {"退款", "推款"}, {"尺码", "尺吗"}, {"多少钱", "多钱"},
		{"谢谢", "3q"}, {"谢谢", "xx"}, {"没有", "木有"}, {"这个", "这个这个"}, {"知道", "造"}, {"喜欢", "稀饭"},
		{"优惠券", "coupon"}, {"尺码", "size"}, {"订单", "order"}, {"退款", "refund"}, {"质量", "quality"},
		{"发货", "ship"}, {"快递", "express"}, {"发票", "invoice"}, {"客服", "cs"}, {"价格", "price"},
		{"可以", "可"}, {"吗", "嘛"}, {"吗", "么"}, {"呢", "捏"}, {"的", "滴"}, {"你们", "你们家"},
	}
)

// Augment returns n noisy variants of each example shorter than maxRunes
// (chat-length; reviews are left alone), in order, with the example's
// label and context. seed fixes the choice.
func Augment(examples []Example, n, maxRunes int, seed uint64) []Example {
	rng := rand.New(rand.NewPCG(seed, 0x61756720))
	var out []Example
	for _, e := range examples {
		if utf8.RuneCountInString(e.Text) > maxRunes {
			continue
		}
		for k := 0; k < n; k++ {
			t := e.Text
			// one to three of: typo, prefix, suffix
			ops := 1 + rng.IntN(3)
			for o := 0; o < ops; o++ {
				switch rng.IntN(3) {
				case 0:
					for tries := 0; tries < 4; tries++ {
						p := augTypos[rng.IntN(len(augTypos))]
						if strings.Contains(t, p[0]) {
							t = strings.Replace(t, p[0], p[1], 1)
							break
						}
					}
				case 1:
					t = augPrefixes[rng.IntN(len(augPrefixes))] + t
				case 2:
					t = strings.TrimRight(t, "?？!！。.~～ ") + augSuffixes[rng.IntN(len(augSuffixes))]
				}
			}
			if t != e.Text {
				out = append(out, Example{Text: t, Label: e.Label, Context: e.Context})
			}
		}
	}
	return out
}

// orderContextCopies teaches the model what an order in the conversation
// changes: a delivery-time question asked about an order that exists is an
// order-status question (「什么时候到」 after 「[订单x]」). Every
// delivery_time example gets a copy with OrderReferenced set, labelled
// order_status; every other label keeps its meaning with an order.
func orderContextCopies(examples []Example) []Example {
	var out []Example
	for _, e := range examples {
		if e.Context.OrderReferenced {
			continue
		}
		c := e
		c.Context.OrderReferenced = true
		if c.Label == "delivery_time" {
			c.Label = "order_status"
		}
		out = append(out, c)
	}
	return out
}
