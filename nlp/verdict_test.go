package nlp

import "testing"

// TestVerdictAfterAContrast: a review that turns and ends on the rating it
// gives is that rating, in the label and in the sign of the score, for
// Analyze and for the classifier `nlp eval` scores alike.
func TestVerdictAfterAContrast(t *testing.T) {
	m := testModel(t)
	for text, want := range map[string]string{
		"本来想差评的，因为快递太慢了，但是东西确实好，还是给个好评吧":   "positive",
		"差点给了差评，因为物流实在太慢，但是东西真的没毛病，还是给五星吧": "positive",
		"包装挺好看的，但是用了两天就坏了，差评":              "negative",
	} {
		a := m.Analyze(text, "", 0)
		if a.SentimentLabel != want || (a.SentimentScore > 0) != (want == "positive") {
			t.Errorf("Analyze(%q) = %s %.2f, want %s", text, a.SentimentLabel, a.SentimentScore, want)
		}
		if got, _ := m.sentiment.Predict(text); got != want {
			t.Errorf("Predict(%q) = %s, want %s", text, got, want)
		}
	}
	f := func(norm string, want int) {
		t.Helper()
		if got := verdict(norm, lastContrast(norm)); got != want {
			t.Errorf("verdict(%q) = %d, want %d", norm, got, want)
		}
	}
	f("东西很好,还是给个好评吧", 0) // no turn: the model reads it
	f("快递慢,但是东西好,好评", 1)
	f("东西好,但是不会给好评", 0)
	f("东西好,但是不推荐", -1)
}
