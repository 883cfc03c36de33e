package nlp

import (
	"slices"
	"testing"
)

// segmentRun is gse's Segment without its allocations: the same words for
// every Han run of the dev, held-out-free training and lexicon texts.
func TestSegmentRunIsGse(t *testing.T) {
	p := mustPipeline()
	var texts []string
	for _, f := range []string{"sentiment_dev.csv", "intent_dev.csv"} {
		for _, e := range devSet(t, f) {
			texts = append(texts, e.Text)
		}
	}
	for _, f := range []string{"train/intent_train.csv", "train/sentiment_train.csv", "train/intent_buyer_phrasing.csv"} {
		ex, _, err := readEmbeddedLabels(embeddedTrain, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ex {
			texts = append(texts, e.Text)
		}
	}
	texts = append(texts, p.lex.phrases()...)
	if dir := DefaultDataDir(); dir != "" {
		// Real text too: every JDDC turn and the food-delivery reviews.
		turns, _, err := readJDDCTurns(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range turns {
			texts = append(texts, tr.Text)
		}
		ex, _, err := readReviewFile(dir, FileWaimai)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ex {
			texts = append(texts, e.Text)
		}
	}
	texts = append(texts, "一", "的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的的")
	runs := 0
	for _, text := range texts {
		nb := normalize(nil, ToSimplified(text))
		for i := 0; i < len(nb); {
			r, size := decodeRune(string(nb[i:]))
			if !isHan(r) {
				i += size
				continue
			}
			j := i + size
			for j < len(nb) {
				r2, n2 := decodeRune(string(nb[j:]))
				if !isHan(r2) {
					break
				}
				j += n2
			}
			var want, got [][2]int
			for _, sg := range p.seg.gse.Segment(nb[i:j]) {
				want = append(want, [2]int{sg.Start(), sg.End()})
			}
			p.seg.segmentRun(nb[i:j], func(s, e int) { got = append(got, [2]int{s, e}) })
			if !slices.Equal(got, want) {
				t.Fatalf("%q: segmentRun %v, gse %v", nb[i:j], got, want)
			}
			runs++
			i = j
		}
	}
	if runs < 1000 {
		t.Fatalf("only %d runs compared", runs)
	}
}
