package simulate

import (
	"math"
	"testing"
)

// The planted forbidden phrases fall into the four categories by their
// weights, not in turn (which showed 30/30/30/32 a week on the QA page).
func TestPhraseCategoryWeights(t *testing.T) {
	const n = 20000
	var got [4]int
	for i := 1; i <= n; i++ {
		got[phraseCategory(i)]++
	}
	for c, w := range phraseCategoryWeights {
		if share := float64(got[c]) / n; math.Abs(share-w) > 0.015 {
			t.Errorf("%s: %.3f of planted phrases, want %.2f ± 0.015", phraseCategoryNames[c], share, w)
		}
	}
	// and the first week's worth does not come out level
	var week [4]int
	for i := 1; i <= 120; i++ {
		week[phraseCategory(i)]++
	}
	if week[0] == week[1] && week[1] == week[2] {
		t.Errorf("120 planted phrases split evenly: %v", week)
	}
}
