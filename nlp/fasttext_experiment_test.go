package nlp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// ftModel is a fastText-style supervised classifier tried beside the
// logistic regression (TestFastTextExperiment): the same hashed features,
// each an embedding of dim numbers, averaged, then a linear softmax layer.
type ftModel struct {
	labels []string
	dim    int
	emb    []float32 // 2^hashBits × dim
	out    []float32 // k × dim
}

func trainFT(examples []Example, labels []string, dim, epochs int, lr0 float64, seed uint64) *ftModel {
	k := len(labels)
	n := 1 << hashBits
	mask := uint32(n - 1)
	m := &ftModel{labels: labels, dim: dim, emb: make([]float32, n*dim), out: make([]float32, k*dim)}
	rng := rand.New(rand.NewPCG(seed, 0x66747874))
	for i := range m.emb {
		m.emb[i] = float32((rng.Float64()*2 - 1) / float64(dim))
	}
	feats := make([][]uint32, len(examples))
	ys := make([]int, len(examples))
	sc := getScratch()
	for i, e := range examples {
		f, _ := sc.featurize(TaskIntent, e.Text, e.Context)
		feats[i] = make([]uint32, len(f))
		for j, h := range f {
			feats[i][j] = h & mask
		}
		ys[i], _ = slices.BinarySearch(labels, e.Label)
	}
	putScratch(sc)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	h := make([]float32, dim)
	gh := make([]float32, dim)
	p := make([]float32, k)
	total := float64(epochs * len(examples))
	step := 0
	for ep := 0; ep < epochs; ep++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			lr := float32(lr0 * (1 - float64(step)/total))
			step++
			fs := feats[i]
			clear(h)
			for _, f := range fs {
				row := m.emb[int(f)*dim : int(f)*dim+dim]
				for d, v := range row {
					h[d] += v
				}
			}
			inv := 1 / float32(len(fs))
			for d := range h {
				h[d] *= inv
			}
			for j := 0; j < k; j++ {
				var s float32
				row := m.out[j*dim : j*dim+dim]
				for d, v := range row {
					s += v * h[d]
				}
				p[j] = s
			}
			softmax(p)
			p[ys[i]] -= 1
			clear(gh)
			for j := 0; j < k; j++ {
				g := p[j]
				row := m.out[j*dim : j*dim+dim]
				for d := range row {
					gh[d] += g * row[d]
					row[d] -= lr * g * h[d]
				}
			}
			for _, f := range fs {
				row := m.emb[int(f)*dim : int(f)*dim+dim]
				for d := range row {
					row[d] -= lr * gh[d] * inv
				}
			}
		}
	}
	return m
}

func (m *ftModel) probs(text string, ctx Context, p []float32) []token {
	sc := getScratch()
	defer putScratch(sc)
	fs, _ := sc.featurize(TaskIntent, text, ctx)
	k, dim := len(m.labels), m.dim
	h := make([]float32, dim)
	mask := uint32(1)<<hashBits - 1
	for _, f := range fs {
		row := m.emb[int(f&mask)*dim : int(f&mask)*dim+dim]
		for d, v := range row {
			h[d] += v
		}
	}
	for d := range h {
		h[d] /= float32(len(fs))
	}
	for j := 0; j < k; j++ {
		var s float32
		for d, v := range m.out[j*dim : j*dim+dim] {
			s += v * h[d]
		}
		p[j] = s
	}
	softmax(p)
	return slices.Clone(sc.toks)
}

// TestFastTextExperiment (CONVINTEL_NLP_EXPERIMENT=fasttext) trains the
// fastText-style model on the development split and reports it alone and
// averaged with the logistic regression.
func TestFastTextExperiment(t *testing.T) {
	if os.Getenv("CONVINTEL_NLP_EXPERIMENT") != "fasttext" {
		t.Skip("set CONVINTEL_NLP_EXPERIMENT=fasttext")
	}
	dir := DefaultDataDir()
	skipSession = jddcValSession
	defer func() { skipSession = nil }()
	c, err := BaseCorpus(TaskIntent, dir)
	if err != nil {
		t.Fatal(err)
	}
	lr, err := TrainCorpus(c, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dim, epochs, rate := 32, 30, 0.5
	fmt.Sscan(os.Getenv("X_DIM"), &dim)
	fmt.Sscan(os.Getenv("X_EPOCHS"), &epochs)
	fmt.Sscan(os.Getenv("X_LR"), &rate)
	ft := trainFT(c.Examples, lr.Labels, dim, epochs, rate, 1)
	val := jddcValidation(t, dir)
	alone := make([]Example, len(val))
	for i, e := range val {
		alone[i] = Example{Text: e.Text, Label: e.Label}
	}
	for _, set := range []struct {
		name string
		ex   []Example
	}{{"jddc-val (context)", val}, {"jddc-val (text)", alone}, {"intent/dev", devSet(t, "intent_dev.csv")}} {
		var okLR, okFT, okEns int
		k := len(lr.Labels)
		pl, pf, pe := make([]float32, k), make([]float32, k), make([]float32, k)
		for _, e := range set.ex {
			sc := getScratch()
			fs, _ := sc.featurize(TaskIntent, e.Text, e.Context)
			lr.scores(fs, pl, 0)
			putScratch(sc)
			toks := ft.probs(e.Text, e.Context, pf)
			for j := range pe {
				pe[j] = (pl[j] + pf[j]) / 2
			}
			pick := func(p []float32) string {
				best := 0
				for j := range p {
					if p[j] > p[best] {
						best = j
					}
				}
				if lr.Labels[best] == "greeting" && !onlyGreeting(toks) {
					best = secondBest(p, best)
				}
				return lr.Labels[best]
			}
			if pick(pl) == e.Label {
				okLR++
			}
			if pick(pf) == e.Label {
				okFT++
			}
			if pick(pe) == e.Label {
				okEns++
			}
		}
		n := float64(len(set.ex))
		fmt.Printf("%-20s n=%d  LR %.4f  fastText %.4f  average %.4f\n", set.name, len(set.ex), float64(okLR)/n, float64(okFT)/n, float64(okEns)/n)
	}
	_ = math.Sqrt
}
