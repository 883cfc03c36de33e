package nlp

import (
	"slices"
	"strings"
)

// A review that turns with a contrast and ends on the rating it gives
// (「本来想差评的，因为快递太慢了，但是东西确实好，还是给个好评吧」, 「差点给了差评，
// …，但是东西真的没毛病，还是给五星吧」) is that rating: the model read both
// negative, weighing 差评 and 太慢 before the turn more than the verdict
// after it (session 15, probes j and l). The verdict decides only after a
// contrast word and only in the last clause; 好评 after 不/没/别 or before
// 不可能 is no rating given.

// useVerdict: the rule is on (a switch for the development harness).
var useVerdict = true

var (
	verdictPos = []string{"好评", "五星", "推荐购买", "值得购买", "值得买", "会回购", "还会再买", "还会回购"}
	verdictNeg = []string{"差评", "一星", "不推荐", "不会再买", "再也不买", "不会回购"}
)

// verdict returns +1 or -1 when the last clause of a text with a contrast
// word (cut = lastContrast(norm) ≥ 0) gives the rating (还是给个好评吧, 不推荐),
// else 0.
func verdict(norm string, cut int) int {
	if !useVerdict || cut < 0 {
		return 0
	}
	last := ""
	for c := range clauses(norm) {
		if strings.TrimSpace(strings.Trim(c, ",.!;~，。！；?？ ")) != "" {
			last = c
		}
	}
	for _, w := range verdictNeg {
		if strings.Contains(last, w) {
			return -1
		}
	}
	for _, w := range verdictPos {
		if i := strings.Index(last, w); i >= 0 && !strings.ContainsAny(last[:i], "不没别") && !strings.Contains(last[i:], "不可能") {
			return 1
		}
	}
	return 0
}

// applyVerdict turns the label and the score (P(positive) − P(negative))
// to the verdict norm gives, when it gives one the model did not read: the
// score changes sign, so a review read on the sign of the score reads as
// the label does.
func applyVerdict(labels []string, best int, score float32, norm string, cut int) (int, float32) {
	v := verdict(norm, cut)
	if v == 0 || (v > 0) == (score > 0) {
		return best, score
	}
	l := "negative"
	if v > 0 {
		l = "positive"
	}
	if i := slices.Index(labels, l); i >= 0 {
		return i, -score
	}
	return best, score
}
