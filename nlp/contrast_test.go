package nlp

import (
	"strings"
	"testing"
)

// lastContrast is one pass over the text; its definition is the largest
// end of the last occurrence of each contrast word (lastContrastSlow).
func TestLastContrastOnePass(t *testing.T) {
	texts := []string{"", "但", "但是", "x但是", "xy但是", "东西不错,但是物流太慢", "不过不过", "好但是但是不好",
		"but", "ok but ", "it is fine but slow, however cheap though", "就是就是", "可惜可是", "只是却但",
		"味道挺好的,就是送得太慢", "a但", "ab但", "abc但", "但是但", "howeverthough"}
	for _, e := range append(devSet(t, "sentiment_dev.csv"), devSet(t, "intent_dev.csv")...) {
		texts = append(texts, string(normalize(nil, e.Text)))
	}
	for _, w := range contrastWords {
		for _, pre := range []string{"", "x", "xx", "好的", "好的" + w} {
			texts = append(texts, pre+w, pre+w+"x", pre+w+w)
		}
	}
	for _, s := range texts {
		if got, want := lastContrast(s), lastContrastSlow(s); got != want {
			t.Errorf("lastContrast(%q) = %d, want %d", s, got, want)
		}
	}
}

func lastContrastSlow(norm string) int {
	best := -1
	for _, w := range contrastWords {
		if i := strings.LastIndex(norm, w); i >= 2 && i+len(w) > best {
			best = i + len(w)
		}
	}
	if best >= len(norm) {
		return -1
	}
	return best
}
