package nlp

import (
	"math"
	"slices"
)

// Stratum is the number of messages a predicted intent has in the window
// `convintel nlp sample` draws from.
type Stratum struct {
	Intent   string
	Messages int
}

// SampleQuotas splits a sample of ceil(rate × all messages) over the
// predicted intents in proportion to the square root of their counts
// (capped at each intent's count, the rest handed on), so rare intents,
// where a model errs most, get more than their share and every intent
// the model predicts is seen whenever the sample has room for one each.
// The result is deterministic; keys are the intents with a quota > 0.
func SampleQuotas(strata []Stratum, rate float64) map[string]int {
	total := 0
	for _, s := range strata {
		total += s.Messages
	}
	out := map[string]int{}
	if total == 0 || rate <= 0 {
		return out
	}
	n := int(math.Ceil(rate * float64(total)))
	n = min(n, total)
	// Open strata, sorted by intent for a deterministic order.
	open := slices.Clone(strata)
	slices.SortFunc(open, func(a, b Stratum) int {
		if a.Intent < b.Intent {
			return -1
		}
		if a.Intent > b.Intent {
			return 1
		}
		return 0
	})
	left := n
	for left > 0 {
		var weight float64
		var live []Stratum
		for _, s := range open {
			if out[s.Intent] < s.Messages {
				live = append(live, s)
				weight += math.Sqrt(float64(s.Messages))
			}
		}
		if len(live) == 0 {
			break
		}
		// Largest remainder over the live strata, then cap.
		type share struct {
			i    int
			frac float64
		}
		given := 0
		var rem []share
		add := make([]int, len(live))
		for i, s := range live {
			exact := float64(left) * math.Sqrt(float64(s.Messages)) / weight
			add[i] = int(exact)
			given += add[i]
			rem = append(rem, share{i, exact - float64(add[i])})
		}
		slices.SortStableFunc(rem, func(a, b share) int {
			switch {
			case a.frac > b.frac:
				return -1
			case a.frac < b.frac:
				return 1
			}
			return 0
		})
		for k := 0; given < left && k < len(rem); k++ {
			add[rem[k].i]++
			given++
		}
		placed := 0
		for i, s := range live {
			take := min(add[i], s.Messages-out[s.Intent])
			out[s.Intent] += take
			placed += take
		}
		left -= placed
		if placed == 0 {
			break
		}
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}

// SampleWeight is how strongly a message with the model's confidence c is
// preferred within its intent: 1.25 − c, so a message read with 30 %
// confidence is drawn about 3.6 times as often as one read with 99 %.
// The SQL of `nlp sample` (sql/nlp/sample_messages.sql) computes the same
// weight in its Efraimidis–Spirakis key; this function documents it and
// lets the test check the sample's skew.
func SampleWeight(c float64) float64 { return 1.25 - min(max(c, 0), 1) }
