package nlp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The hidden-layer review reader (session 20, docs/nlp.md "Measured,
// eighteenth round"), measured beside the linear sentiment model in the
// development harness and not taken. TestDevExperiment with
// CONVINTEL_NLP_EXPERIMENT=sentiment and X_READER=1 trains it after the
// linear model, prints the linear model's figures as before and then, for
// each X_RCONF entry "use:mix" (default 100:0.5), the figures of the two
// read together: for a text of use characters or more, the class
// probabilities are (1−mix)·linear + mix·reader. Knobs: X_RBITS (hash bits
// of the embedding table, default 18), X_RDIM (embedding size, 32), X_RHID
// (hidden units, 32), X_REPOCHS (5), X_RLR (AdaGrad step, 0.05), X_RDROP
// (dropout of the hidden units), X_RFDROP (dropout of input features),
// X_RMIN (train on texts of this many characters or more), X_RSENT=true
// (sentence pooling), X_RSTACK=1 (the linear model's out-of-fold
// log-probabilities as inputs), X_RENS (networks of that many seeds
// averaged). The session's best: X_RBITS=20 X_RDIM=16 X_REPOCHS=3
// X_RDROP=0.3 (X_RSTACK=1).

// reviewReader is a one-hidden-layer network over the sentiment model's
// hashed features, read for long texts (reviews) beside the linear model:
// each feature is an embedding of dim numbers; the text is the mean and the
// element-wise maximum of its features' embeddings (2·dim numbers), a
// hidden ReLU layer of hid units reads that, and a softmax layer the
// hidden units. With sent, each sentence of the text is featurised on its
// own too, and the input adds the mean embedding of the last sentence and
// the element-wise maximum and minimum over the sentences' mean embeddings
// (5·dim numbers): where in the review an opinion sits, and how strong its
// strongest sentence is each way. Trained deterministically (one thread,
// fixed seed, AdaGrad).
type reviewReader struct {
	labels []string
	bits   int
	dim    int
	hid    int
	sent   bool
	// stack: the linear model's log-probabilities are inputs too
	// (trained on out-of-fold readings, stackInputs).
	stack bool
	emb   []float32 // 2^bits × dim
	w1    []float32 // hid × nin
	b1    []float32 // hid
	w2    []float32 // k × hid
	b2    []float32 // k
	// minRunes: texts whose normalised form has this many characters or
	// more are read by the network too.
	minRunes int
	// mix: the weight of the network's probabilities against the linear
	// model's.
	mix float32
	// more: further networks (other seeds) whose probabilities are
	// averaged with this one's.
	more []*reviewReader
}

func (m *reviewReader) nin() int {
	n := 2 * m.dim
	if m.sent {
		n = 5 * m.dim
	}
	if m.stack {
		n += stackWidth
	}
	return n
}

// stackWidth: the linear model's three log-probabilities.
const stackWidth = 3

// stackOf writes the stacked inputs of the linear model's probabilities.
func stackOf(dst, probs []float32) {
	for j := range dst {
		dst[j] = float32(math.Log(float64(max(probs[j], 1e-4))))
	}
}

// readerOptions tune trainReader.
type readerOptions struct {
	bits, dim, hid int
	epochs         int
	lr             float64
	minRunes       int // training texts at least this long
	seed           uint64
	dropout        float64 // of each hidden unit, in training
	featDrop       float64 // of each input feature, in training
	sent           bool
	// stack: the linear model's out-of-fold probabilities of each
	// example (aligned with the examples), nil: no stacking.
	stack [][]float32
}

func (o *readerOptions) defaults() {
	if o.bits == 0 {
		o.bits = 18
	}
	if o.dim == 0 {
		o.dim = 32
	}
	if o.hid == 0 {
		o.hid = 32
	}
	if o.epochs == 0 {
		o.epochs = 5
	}
	if o.lr == 0 {
		o.lr = 0.05
	}
	if o.seed == 0 {
		o.seed = 1
	}
}

// readerInput is one text as the network reads it: its features and, with
// sent, each sentence's (masked to the network's bits).
type readerInput struct {
	fs    []uint32
	sents [][]uint32
	lr    []float32 // stack: the linear model's probabilities
}

// readerState is the per-call work space of the network.
type readerState struct {
	in   []float32 // nin: mean, max[, last sentence, sentence max, sentence min]
	arg  []int32   // dim: the feature index of each max
	sarg []int32   // 2·dim: the sentence of each sentence max and min
	sm   []float32 // sentences × dim: each sentence's mean
	z    []float32 // hid
	h    []float32
	gin  []float32
	drop []bool  // hidden units dropped in this training step
	keep float32 // 1/(1−dropout): the kept units are scaled up (inverted dropout)
}

func (m *reviewReader) newState() *readerState {
	return &readerState{in: make([]float32, m.nin()), arg: make([]int32, m.dim), sarg: make([]int32, 2*m.dim),
		z: make([]float32, m.hid), h: make([]float32, m.hid), gin: make([]float32, m.nin())}
}

// meanOf adds the mean embedding of fs into dst.
func (m *reviewReader) meanOf(dst []float32, fs []uint32) {
	d := m.dim
	clear(dst)
	for _, f := range fs {
		row := m.emb[int(f)*d : int(f)*d+d]
		for j, v := range row {
			dst[j] += v
		}
	}
	inv := 1 / float32(max(len(fs), 1))
	for j := range dst {
		dst[j] *= inv
	}
}

// forward writes the class probabilities of x into p.
func (m *reviewReader) forward(x *readerInput, st *readerState, p []float32) {
	d := m.dim
	fs := x.fs
	mean, mx := st.in[:d], st.in[d:2*d]
	clear(mean)
	for j := range mx {
		mx[j] = float32(math.Inf(-1))
	}
	for i, f := range fs {
		row := m.emb[int(f)*d : int(f)*d+d]
		for j, v := range row {
			mean[j] += v
			if v > mx[j] {
				mx[j] = v
				st.arg[j] = int32(i)
			}
		}
	}
	if len(fs) == 0 {
		clear(mx)
	}
	inv := 1 / float32(max(len(fs), 1))
	for j := range mean {
		mean[j] *= inv
	}
	if m.sent {
		ns := len(x.sents)
		if cap(st.sm) < ns*d {
			st.sm = make([]float32, ns*d)
		}
		st.sm = st.sm[:ns*d]
		last, smax, smin := st.in[2*d:3*d], st.in[3*d:4*d], st.in[4*d:5*d]
		clear(last)
		clear(smax)
		clear(smin)
		for s, sfs := range x.sents {
			mv := st.sm[s*d : s*d+d]
			m.meanOf(mv, sfs)
			for j, v := range mv {
				if s == 0 || v > smax[j] {
					smax[j], st.sarg[j] = v, int32(s)
				}
				if s == 0 || v < smin[j] {
					smin[j], st.sarg[d+j] = v, int32(s)
				}
			}
			if s == ns-1 {
				copy(last, mv)
			}
		}
	}
	nin := m.nin()
	if m.stack {
		stackOf(st.in[nin-stackWidth:], x.lr)
	}
	for u := 0; u < m.hid; u++ {
		s := m.b1[u]
		row := m.w1[u*nin : u*nin+nin]
		for j, v := range row {
			s += v * st.in[j]
		}
		st.z[u] = s
		st.h[u] = max(s, 0)
	}
	if st.drop != nil {
		for u := range st.h {
			if st.drop[u] {
				st.h[u] = 0
			} else {
				st.h[u] *= st.keep
			}
		}
	}
	for c := range p {
		s := m.b2[c]
		row := m.w2[c*m.hid : c*m.hid+m.hid]
		for u, v := range row {
			s += v * st.h[u]
		}
		p[c] = s
	}
	softmax(p)
}

// sentences splits norm at sentence ends (。！？!?；; and newlines; not at
// commas), at most maxSentences (the rest joins the last).
func sentences(norm string) []string {
	var out []string
	from := 0
	for i, c := range norm {
		if !strings.ContainsRune("。！？!?；;\n…", c) {
			continue
		}
		end := i + utf8.RuneLen(c)
		if strings.TrimSpace(norm[from:end]) != "" && len(out) < maxSentences-1 {
			out = append(out, norm[from:end])
			from = end
		}
	}
	if strings.TrimSpace(norm[from:]) != "" {
		out = append(out, norm[from:])
	}
	return out
}

const maxSentences = 32

// input prepares the network's input for a text whose features (as
// featurize returns them) are feats and normalised form norm.
func (m *reviewReader) input(feats []uint32, norm string) *readerInput {
	mask := uint32(1)<<m.bits - 1
	x := &readerInput{fs: make([]uint32, len(feats))}
	for i, f := range feats {
		x.fs[i] = f & mask
	}
	if m.sent {
		sc := getScratch()
		for _, s := range sentences(norm) {
			f, _ := sc.featurize(TaskSentiment, s, Context{})
			sf := make([]uint32, len(f))
			for i, h := range f {
				sf[i] = h & mask
			}
			x.sents = append(x.sents, sf)
		}
		putScratch(sc)
		if len(x.sents) == 0 {
			x.sents = [][]uint32{x.fs}
		}
	}
	return x
}

// probs reads raw feature hashes (as featurize returns them) of norm, with
// lr the linear model's probabilities.
func (m *reviewReader) probs(feats []uint32, norm string, lr, p []float32) {
	x := m.input(feats, norm)
	x.lr = lr
	m.forward(x, m.newState(), p)
	if len(m.more) > 0 {
		q := make([]float32, len(p))
		for _, o := range m.more {
			o.probs(feats, norm, lr, q)
			for j := range p {
				p[j] += q[j]
			}
		}
		for j := range p {
			p[j] /= float32(1 + len(m.more))
		}
	}
}

// trainReader fits a reviewReader on the examples of at least
// o.minRunes characters, with labels (sorted, the linear model's).
func trainReader(examples []Example, labels []string, o readerOptions) *reviewReader {
	o.defaults()
	k := len(labels)
	m := &reviewReader{labels: labels, bits: o.bits, dim: o.dim, hid: o.hid, sent: o.sent, stack: o.stack != nil}
	n := 1 << o.bits
	d, nin := o.dim, m.nin()
	rng := rand.New(rand.NewPCG(o.seed, 0x72656164))
	uni := func(s float64) float32 { return float32((rng.Float64()*2 - 1) * s) }
	m.emb = make([]float32, n*d)
	for i := range m.emb {
		m.emb[i] = uni(0.1)
	}
	m.w1 = make([]float32, o.hid*nin)
	s1 := math.Sqrt(6 / float64(nin+o.hid))
	for i := range m.w1 {
		m.w1[i] = uni(s1)
	}
	m.b1 = make([]float32, o.hid)
	m.w2 = make([]float32, k*o.hid)
	s2 := math.Sqrt(6 / float64(o.hid+k))
	for i := range m.w2 {
		m.w2[i] = uni(s2)
	}
	m.b2 = make([]float32, k)

	var xs []*readerInput
	var ys []int
	sc := getScratch()
	for i, e := range examples {
		if utf8.RuneCountInString(e.Text) < o.minRunes {
			continue
		}
		f, _ := sc.featurize(TaskSentiment, e.Text, Context{})
		x := m.input(f, sc.norm)
		if m.stack {
			x.lr = o.stack[i]
		}
		xs = append(xs, x)
		y, _ := slices.BinarySearch(labels, e.Label)
		ys = append(ys, y)
	}
	putScratch(sc)

	gE := make([]float32, n*d)
	gW1 := make([]float32, len(m.w1))
	gB1 := make([]float32, len(m.b1))
	gW2 := make([]float32, len(m.w2))
	gB2 := make([]float32, len(m.b2))
	lr := float32(o.lr)
	upd := func(w, acc *float32, g float32) {
		*acc += g * g
		*w -= lr * g / float32(math.Sqrt(float64(*acc)+1e-8))
	}
	// spread gives the features fs the gradient g (d numbers) of their mean.
	spread := func(fs []uint32, g []float32) {
		inv := 1 / float32(max(len(fs), 1))
		for _, f := range fs {
			row := m.emb[int(f)*d : int(f)*d+d]
			acc := gE[int(f)*d : int(f)*d+d]
			for j := range row {
				if g[j] != 0 {
					upd(&row[j], &acc[j], g[j]*inv)
				}
			}
		}
	}
	st := m.newState()
	if o.dropout > 0 {
		st.drop = make([]bool, o.hid)
		st.keep = float32(1 / (1 - o.dropout))
	}
	p := make([]float32, k)
	gh := make([]float32, o.hid)
	one := make([]float32, d)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	var kept readerInput
	for ep := 0; ep < o.epochs; ep++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			x := xs[i]
			if o.featDrop > 0 {
				kept.fs = kept.fs[:0]
				for _, f := range x.fs {
					if rng.Float64() >= o.featDrop {
						kept.fs = append(kept.fs, f)
					}
				}
				if len(kept.fs) > 0 {
					kept.sents, kept.lr = x.sents, x.lr
					x = &kept
				}
			}
			if st.drop != nil {
				for u := range st.drop {
					st.drop[u] = rng.Float64() < o.dropout
				}
			}
			m.forward(x, st, p)
			p[ys[i]] -= 1
			// output layer
			clear(gh)
			for c := 0; c < k; c++ {
				g := p[c]
				row := m.w2[c*o.hid : c*o.hid+o.hid]
				acc := gW2[c*o.hid : c*o.hid+o.hid]
				for u := range row {
					gh[u] += g * row[u]
					upd(&row[u], &acc[u], g*st.h[u])
				}
				upd(&m.b2[c], &gB2[c], g)
			}
			// hidden layer
			clear(st.gin)
			for u := 0; u < o.hid; u++ {
				g := gh[u]
				if st.z[u] <= 0 || st.drop != nil && st.drop[u] {
					continue
				}
				if st.drop != nil {
					g *= st.keep
				}
				row := m.w1[u*nin : u*nin+nin]
				acc := gW1[u*nin : u*nin+nin]
				for j := range row {
					st.gin[j] += g * row[j]
					upd(&row[j], &acc[j], g*st.in[j])
				}
				upd(&m.b1[u], &gB1[u], g)
			}
			// embeddings: a mean spreads its gradient over its features, a
			// max gives each dimension's to its arg-max feature (or
			// sentence).
			if len(x.fs) == 0 {
				continue
			}
			if m.sent {
				ns := len(x.sents)
				spread(x.sents[ns-1], st.gin[2*d:3*d])
				for j := 0; j < d; j++ {
					for t, s := range [2]int32{st.sarg[j], st.sarg[d+j]} {
						clear(one)
						one[j] = st.gin[(3+t)*d+j]
						spread(x.sents[s], one)
					}
				}
			}
			spread(x.fs, st.gin[:d])
			for j := 0; j < d; j++ {
				f := x.fs[st.arg[j]]
				upd(&m.emb[int(f)*d+j], &gE[int(f)*d+j], st.gin[d+j])
			}
		}
	}
	return m
}

// mixInto averages, for a long text (minRunes characters or more), the
// reader's probabilities into the linear model's probs and returns the
// best class.
func (m *reviewReader) mixInto(feats []uint32, norm string, probs []float32, best int) int {
	if m == nil || len(norm) < m.minRunes || utf8.RuneCountInString(norm) < m.minRunes {
		return best
	}
	q := make([]float32, len(probs))
	m.probs(feats, norm, probs, q)
	best = 0
	for j := range probs {
		probs[j] = (1-m.mix)*probs[j] + m.mix*q[j]
		if probs[j] > probs[best] {
			best = j
		}
	}
	return best
}

// stackInputs returns the out-of-fold probabilities of the linear model for
// each example: the examples are split in two by a hash of their text (a
// text repeated stays in one half), a linear model is trained on each half
// and reads the other.
func stackInputs(examples []Example, opts TrainOptions) ([][]float32, error) {
	fold := func(e Example) int { return int(fnvAdd(fnvOffset, e.Text) >> 7 & 1) }
	out := make([][]float32, len(examples))
	for f := 0; f < 2; f++ {
		var train []Example
		for _, e := range examples {
			if fold(e) != f {
				train = append(train, e)
			}
		}
		c, err := Train(TaskSentiment, train, opts)
		if err != nil {
			return nil, err
		}
		sc := getScratch()
		for i, e := range examples {
			if fold(e) != f {
				continue
			}
			feats, lex := sc.featurize(TaskSentiment, e.Text, Context{})
			p := make([]float32, len(c.Labels))
			c.scores(feats, p, lex)
			out[i] = p
		}
		putScratch(sc)
	}
	return out, nil
}

// trainReaderExperiment trains the reader on corpus c (the linear model cl
// trained on it) with the X_R… knobs.
func trainReaderExperiment(t *testing.T, c *Corpus, cl *Classifier, opts TrainOptions) *reviewReader {
	ro := readerOptions{seed: opts.Seed}
	envScan(t, "X_RBITS", &ro.bits)
	envScan(t, "X_RDIM", &ro.dim)
	envScan(t, "X_RHID", &ro.hid)
	envScan(t, "X_REPOCHS", &ro.epochs)
	envScan(t, "X_RLR", &ro.lr)
	envScan(t, "X_RMIN", &ro.minRunes)
	envScan(t, "X_RDROP", &ro.dropout)
	envScan(t, "X_RFDROP", &ro.featDrop)
	envScan(t, "X_RSENT", &ro.sent)
	start := time.Now()
	if os.Getenv("X_RSTACK") != "" {
		var err error
		if ro.stack, err = stackInputs(c.Examples, opts); err != nil {
			t.Fatal(err)
		}
	}
	r := trainReader(c.Examples, cl.Labels, ro)
	var ens int
	envScan(t, "X_RENS", &ens)
	for e := 1; e < ens; e++ {
		o := ro
		o.seed = ro.seed + 100*uint64(e)
		r.more = append(r.more, trainReader(c.Examples, cl.Labels, o))
	}
	fmt.Printf("reader trained in %v\n", time.Since(start).Round(time.Millisecond))
	return r
}

// readWithReader is Classifier.read for sentiment with the reader's
// probabilities mixed into the linear model's (mixInto) before the rules.
func readWithReader(c *Classifier, r *reviewReader, text string) (string, float32) {
	sc := getScratch()
	defer putScratch(sc)
	feats, lex := sc.featurize(TaskSentiment, text, Context{})
	probs := sc.probs[:len(c.Labels)]
	best := r.mixInto(feats, sc.norm, probs, c.scores(feats, probs, lex))
	best = sentimentLabel(c.Labels, best, sc.norm, sc.lex)
	score := polarity(c.Labels, probs)
	best, score = applyVerdict(c.Labels, best, score, sc.norm, sc.contrast)
	return c.Labels[best], score
}

// readerAccuracy is Evaluate's accuracy of the linear model and the reader
// read together (a polar set on the sign of the score).
func readerAccuracy(c *Classifier, r *reviewReader, ex []Example) float64 {
	polar := polarSet(c.Task, ex)
	ok := 0
	for _, e := range ex {
		label, score := readWithReader(c, r, e.Text)
		if polar {
			label = polarLabel(score)
		}
		if label == e.Label {
			ok++
		}
	}
	return float64(ok) / float64(max(len(ex), 1))
}

// reportReader prints, for each X_RCONF entry, the reader's figures on
// sets (ChnSentiCorp's dev file also per domain) and the sentiment probes.
func reportReader(t *testing.T, c *Classifier, r *reviewReader, sets map[string][]Example) {
	confs := os.Getenv("X_RCONF")
	if confs == "" {
		confs = "100:0.5"
	}
	if cs := sets["chnsenticorp-dev"]; cs != nil {
		for _, e := range cs {
			name := "chnsenticorp-dev-hotel"
			switch {
			case IsLaptopReview(e.Text):
				name = "chnsenticorp-dev-laptop"
			case IsBookReview(e.Text):
				name = "chnsenticorp-dev-book"
			}
			sets[name] = append(sets[name], e)
		}
	}
	for _, part := range []string{"a", "b", "d", "f", "g", "h", "i", "j", "l", "m", "n", "o"} {
		ex, err := ReadLabelsFile("testdata/sentiment_probe_" + part + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		sets["probe-"+part] = ex
	}
	var names []string
	for k, ex := range sets {
		if len(ex) > 0 {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, conf := range strings.Split(confs, ",") {
		if _, err := fmt.Sscanf(conf, "%d:%f", &r.minRunes, &r.mix); err != nil {
			t.Fatalf("X_RCONF %q: %v", conf, err)
		}
		for _, k := range names {
			fmt.Printf("[%d:%.2f] %-26s n=%-5d accuracy %.4f\n", r.minRunes, r.mix, k, len(sets[k]), readerAccuracy(c, r, sets[k]))
		}
	}
}

// BenchmarkReviewReader: what reading a long review costs with the linear
// model alone (lr) and with the reader beside it (reader: the session's
// shape, 2^20 × 16 embeddings, 32 hidden units, stacked), on the embedded
// sentiment model; the reader's weights are random (its cost does not
// depend on them). Chat messages (under 100 characters) would not reach
// the reader.
func BenchmarkReviewReader(b *testing.B) {
	c := testModel(b).Classifier(TaskSentiment)
	review := "这本书是朋友推荐的，拿到手之后一口气读完了。前半部分写得很有意思，人物也立得住，可惜后半部分节奏拖沓，很多情节前后矛盾，结尾更是草草收场。纸张和印刷倒是不错，但内容实在配不上这个价格，不太推荐。希望作者下一本能用心一些。"
	if utf8.RuneCountInString(review) < 100 {
		b.Fatal("the review is too short to reach the reader")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	r := &reviewReader{labels: c.Labels, bits: 20, dim: 16, hid: 32, stack: true, minRunes: 100, mix: 0.5}
	r.emb = make([]float32, (1<<r.bits)*r.dim)
	for i := range r.emb {
		r.emb[i] = float32(rng.Float64() - 0.5)
	}
	r.w1, r.b1 = make([]float32, r.hid*r.nin()), make([]float32, r.hid)
	r.w2, r.b2 = make([]float32, len(c.Labels)*r.hid), make([]float32, len(c.Labels))
	for _, w := range [][]float32{r.w1, r.w2} {
		for i := range w {
			w[i] = float32(rng.Float64() - 0.5)
		}
	}
	b.Run("lr", func(b *testing.B) {
		for b.Loop() {
			c.read(review, Context{})
		}
	})
	b.Run("reader", func(b *testing.B) {
		for b.Loop() {
			readWithReader(c, r, review)
		}
	})
}
