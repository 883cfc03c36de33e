package nlp

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Evaluation scores a classifier against labelled examples.
type Evaluation struct {
	Task      string
	N         int
	Accuracy  float64
	MacroF1   float64 // mean F1 over the labels that occur in the gold set
	Labels    []string
	PerLabel  []LabelScore
	Confusion [][]int // [gold][predicted], indexed like Labels
	Errors    []Misclassified

	// Polar: a sentiment set whose gold labels are positive and negative
	// only (reviews with a star verdict) is a two-way question, which way
	// the text leans, and is scored on the sign of the sentiment score,
	// P(positive) − P(negative), the SentimentScore Analyze stores. The
	// stored three-class label may also say neutral (no opinion voiced);
	// LabelAccuracy is that label's agreement and NeutralRead how many it
	// read neutral, so both readings stay in view.
	Polar         bool
	LabelAccuracy float64
	NeutralRead   int
}

// LabelScore is the precision, recall and F1 of one label.
type LabelScore struct {
	Label                 string
	Precision, Recall, F1 float64
	Support               int
}

// Misclassified is one wrong prediction.
type Misclassified struct {
	Text, Gold, Predicted string
}

// Evaluate predicts every example with c. Gold labels c does not know are
// added to the label set (and always count as errors).
func Evaluate(c *Classifier, examples []Example) *Evaluation {
	ev := &Evaluation{Task: c.Task, N: len(examples), Labels: slices.Clone(c.Labels), Polar: polarSet(c.Task, examples)}
	for _, e := range examples {
		if !slices.Contains(ev.Labels, e.Label) {
			ev.Labels = append(ev.Labels, e.Label)
		}
	}
	k := len(ev.Labels)
	ev.Confusion = make([][]int, k)
	for i := range ev.Confusion {
		ev.Confusion[i] = make([]int, k)
	}
	correct, labelCorrect := 0, 0
	for _, e := range examples {
		pred, _, score := c.read(e.Text, e.Context)
		if ev.Polar {
			if pred == e.Label {
				labelCorrect++
			}
			if pred == "neutral" {
				ev.NeutralRead++
			}
			pred = polarLabel(score)
		}
		g, p := slices.Index(ev.Labels, e.Label), slices.Index(ev.Labels, pred)
		ev.Confusion[g][p]++
		if g == p {
			correct++
		} else {
			ev.Errors = append(ev.Errors, Misclassified{e.Text, e.Label, pred})
		}
	}
	if ev.N > 0 {
		ev.Accuracy = float64(correct) / float64(ev.N)
		ev.LabelAccuracy = ev.Accuracy
		if ev.Polar {
			ev.LabelAccuracy = float64(labelCorrect) / float64(ev.N)
		}
	}
	present := 0
	for i, l := range ev.Labels {
		tp, fp, fn := ev.Confusion[i][i], 0, 0
		for j := 0; j < k; j++ {
			if j != i {
				fp += ev.Confusion[j][i]
				fn += ev.Confusion[i][j]
			}
		}
		s := LabelScore{Label: l, Support: tp + fn}
		if tp+fp > 0 {
			s.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			s.Recall = float64(tp) / float64(tp+fn)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		ev.PerLabel = append(ev.PerLabel, s)
		if s.Support > 0 {
			ev.MacroF1 += s.F1
			present++
		}
	}
	if present > 0 {
		ev.MacroF1 /= float64(present)
	}
	return ev
}

// polarSet reports whether examples are a sentiment set of positive and
// negative gold labels only.
func polarSet(task string, examples []Example) bool {
	if task != TaskSentiment || len(examples) == 0 {
		return false
	}
	for _, e := range examples {
		if e.Label != "positive" && e.Label != "negative" {
			return false
		}
	}
	return true
}

// polarLabel is the way a sentiment score leans; a score of exactly 0
// leans neither way.
func polarLabel(score float32) string {
	switch {
	case score > 0:
		return "positive"
	case score < 0:
		return "negative"
	}
	return "neutral"
}

// Format writes a human-readable report: accuracy, macro-F1, per-label
// scores and the confusion matrix (rows gold, columns predicted).
func (ev *Evaluation) Format(w io.Writer) {
	fmt.Fprintf(w, "task %s: %d examples, accuracy %.4f, macro-F1 %.4f\n", ev.Task, ev.N, ev.Accuracy, ev.MacroF1)
	if ev.Polar {
		fmt.Fprintf(w, "positive/negative set: read on the sign of the sentiment score, P(positive) − P(negative);\n"+
			"the stored three-class label agrees on %.4f (%d read neutral: no opinion voiced)\n", ev.LabelAccuracy, ev.NeutralRead)
	}
	fmt.Fprintln(w)
	width := 8
	for _, l := range ev.Labels {
		width = max(width, len(l))
	}
	fmt.Fprintf(w, "%-*s %9s %9s %9s %7s\n", width, "label", "precision", "recall", "f1", "support")
	for _, s := range ev.PerLabel {
		fmt.Fprintf(w, "%-*s %9.3f %9.3f %9.3f %7d\n", width, s.Label, s.Precision, s.Recall, s.F1, s.Support)
	}
	if pairs := ev.TopConfusions(8); len(pairs) > 0 {
		fmt.Fprintf(w, "\ntop confusions (gold -> predicted):\n")
		for _, p := range pairs {
			fmt.Fprintf(w, "  %-*s -> %-*s %d\n", width, p.Gold, width, p.Predicted, p.N)
		}
	}
	fmt.Fprintf(w, "\nconfusion matrix (rows gold, columns predicted; column k = label k):\n%-*s", width, "")
	for j := range ev.Labels {
		fmt.Fprintf(w, " %4d", j)
	}
	fmt.Fprintln(w)
	for i, l := range ev.Labels {
		fmt.Fprintf(w, "%-*s", width, fmt.Sprintf("%d %s", i, l))
		for _, n := range ev.Confusion[i] {
			if n == 0 {
				fmt.Fprintf(w, " %4s", ".")
			} else {
				fmt.Fprintf(w, " %4d", n)
			}
		}
		fmt.Fprintln(w)
	}
}

// FormatErrors writes up to n misclassified examples.
func (ev *Evaluation) FormatErrors(w io.Writer, n int) {
	for i, e := range ev.Errors {
		if i == n {
			break
		}
		fmt.Fprintf(w, "gold %-18s got %-18s %s\n", e.Gold, e.Predicted, strings.ReplaceAll(e.Text, "\n", " "))
	}
}

// Confusion is one off-diagonal cell of the confusion matrix.
type Confusion struct {
	Gold, Predicted string
	N               int
}

// TopConfusions returns the n most frequent (gold, predicted) mistakes,
// most frequent first (ties by label order).
func (ev *Evaluation) TopConfusions(n int) []Confusion {
	var out []Confusion
	for i, row := range ev.Confusion {
		for j, c := range row {
			if i != j && c > 0 {
				out = append(out, Confusion{ev.Labels[i], ev.Labels[j], c})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Confusion) int { return b.N - a.N })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
