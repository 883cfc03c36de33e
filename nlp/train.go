package nlp

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// Example is one labelled message.
type Example struct {
	Text  string
	Label string
	// Context is the conversation around the message (zero: read alone).
	Context Context
}

// TrainOptions tune training; the zero value gives the defaults used for
// the embedded models.
type TrainOptions struct {
	Epochs       int     // passes over the data; default 30 for intent, 5 for sentiment (tens of thousands of reviews: more epochs overfit)
	LearningRate float64 // AdaGrad step; default 0.5 for intent, 0.2 for sentiment
	L2           float64 // L2 penalty per update; default 1e-5
	Seed         uint64  // shuffling seed; default 1
}

func (o *TrainOptions) defaults(task string) {
	if o.Epochs <= 0 {
		o.Epochs = 30
		if task == TaskSentiment {
			o.Epochs = 5
		}
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.5
		if task == TaskSentiment {
			// A smaller step fits the review domains less closely: on the
			// laptop development half (cross-domain) 0.859 -> 0.866.
			o.LearningRate = 0.2
		}
	}
	if o.L2 <= 0 {
		o.L2 = 1e-5
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
}

// Train fits a classifier for task (TaskIntent or TaskSentiment) on
// examples by multinomial logistic regression with AdaGrad. Labels are
// taken from the examples (sorted). Training is deterministic for the same
// examples and options.
func Train(task string, examples []Example, opts TrainOptions) (*Classifier, error) {
	if task != TaskIntent && task != TaskSentiment {
		return nil, fmt.Errorf("unknown task %q (want %s or %s)", task, TaskIntent, TaskSentiment)
	}
	opts.defaults(task)
	var labels []string
	for _, e := range examples {
		if !slices.Contains(labels, e.Label) {
			labels = append(labels, e.Label)
		}
	}
	if len(labels) < 2 {
		return nil, errors.New("training needs examples of at least two labels")
	}
	if len(labels) > maxLabels {
		return nil, fmt.Errorf("training data has %d labels, at most %d are supported: check the label column for typos", len(labels), maxLabels)
	}
	if task == TaskSentiment {
		for _, l := range labels {
			if !slices.Contains(SentimentLabels, l) {
				return nil, fmt.Errorf("sentiment label %q unknown (want one of %s)", l, strings.Join(SentimentLabels, ", "))
			}
		}
	}
	slices.Sort(labels)
	k := len(labels)

	feats := make([][]uint32, len(examples))
	ys := make([]int, len(examples))
	lexs := make([]float32, len(examples))
	sc := getScratch()
	mask := uint32(1)<<hashBits - 1 // new models use this build's hashBits
	for i, e := range examples {
		f, lex := sc.featurize(task, e.Text, e.Context)
		lexs[i] = lex
		feats[i] = make([]uint32, len(f))
		for j, h := range f {
			feats[i][j] = h & mask
		}
		ys[i], _ = slices.BinarySearch(labels, e.Label)
	}
	putScratch(sc)

	n := 1 << hashBits
	w := make([]float32, n*k)
	g2 := make([]float32, n*k)
	used := make([]bool, n)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x636f6e76))
	p := make([]float32, k)
	lr, l2 := float32(opts.LearningRate), float32(opts.L2)
	pow := defaultScalePow(task)
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			fs := feats[i]
			scale := featureScale(pow, len(fs))
			clear(p)
			for _, f := range fs {
				row := w[int(f)*k : int(f)*k+k]
				for j, v := range row {
					p[j] += v
				}
			}
			applyPrior(task, labels, p, scale, lexs[i])
			softmax(p)
			p[ys[i]] -= 1 // gradient of the log loss w.r.t. the scores
			for _, f := range fs {
				used[f] = true
				row := w[int(f)*k : int(f)*k+k]
				acc := g2[int(f)*k : int(f)*k+k]
				for j := range row {
					g := p[j]*scale + l2*row[j]
					acc[j] += g * g
					row[j] -= lr * g / float32(math.Sqrt(float64(acc[j])+1e-8))
				}
			}
		}
	}

	c := &Classifier{Task: task, Labels: labels, TrainedOn: len(examples), scalePow: pow, bits: hashBits, rows: make([]int32, n)}
	for b := 0; b < n; b++ {
		c.rows[b] = -1
		if !used[b] {
			continue
		}
		row := w[b*k : b*k+k]
		var big float32
		for _, v := range row {
			big = max(big, float32(math.Abs(float64(v))))
		}
		if big < 1e-3 {
			continue // pruned: too small to change a prediction
		}
		c.rows[b] = int32(len(c.w) / k)
		c.w = append(c.w, row...)
	}
	c.densify()
	return c, nil
}

// ReadLabelsFile reads a labelled CSV file (see ReadLabels); errors name the file.
func ReadLabelsFile(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ex, err := ReadLabels(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ex, nil
}

// ReadLabels reads a CSV file with the header `text,label` and returns its
// rows. Two optional columns give a row its conversation context:
// order_referenced (1/0: the conversation references an order, as the
// sample of `convintel nlp sample` records it) and prev_reply (the last
// bot or agent message before it). Other columns are ignored. A file
// whose header names its columns as the public corpora do (review,
// content, sentence or message for the text; intent or sentiment for the
// label: waimai_10k's `label,review`) reads the same, and so does one
// separated by tabs. Errors name the line.
func ReadLabels(r io.Reader) ([]Example, error) {
	br := bufio.NewReader(r)
	var cr recordReader
	if head, _ := br.Peek(4096); isTabSeparated(head) {
		sc := bufio.NewScanner(br)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20) // a long review is one line
		cr = &tsvReader{sc: sc}
	} else {
		c := csv.NewReader(br)
		c.FieldsPerRecord = -1
		c.ReuseRecord = true
		cr = c
	}
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("labels: empty file, want a header `text,label`")
	}
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	ti, li, oi, pi := -1, -1, -1, -1
	ta, la := -1, -1 // a column named as the corpora name the text or the label
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "text":
			ti = i
		case "label":
			li = i
		case "review", "content", "sentence", "message":
			if ta < 0 {
				ta = i
			}
		case "intent", "sentiment":
			if la < 0 {
				la = i
			}
		case "order_referenced":
			oi = i
		case "prev_reply":
			pi = i
		}
	}
	if ti < 0 {
		ti = ta
	}
	if li < 0 {
		li = la
	}
	if ti < 0 || li < 0 {
		return nil, fmt.Errorf("labels: line 1: header %q lacks text and label columns (want a first line naming them, e.g. text,label)", strings.Join(head, ","))
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) <= max(ti, li) {
			return nil, fmt.Errorf("labels: line %d: %d fields, want at least %d", line, len(rec), max(ti, li)+1)
		}
		text, label := strings.TrimSpace(rec[ti]), strings.TrimSpace(rec[li])
		if text == "" {
			return nil, fmt.Errorf("labels: line %d: empty text", line)
		}
		if label == "" {
			return nil, fmt.Errorf("labels: line %d: empty label", line)
		}
		e := Example{Text: text, Label: label}
		if oi >= 0 && oi < len(rec) {
			if e.Context.OrderReferenced, err = parseFlag(rec[oi]); err != nil {
				return nil, fmt.Errorf("labels: line %d: order_referenced %w", line, err)
			}
		}
		if pi >= 0 && pi < len(rec) {
			e.Context.PrevReply = strings.TrimSpace(rec[pi])
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, errors.New("labels: no examples after the header")
	}
	return out, nil
}

// recordReader is what ReadLabels reads rows with: a csv.Reader, or a
// tsvReader for a file separated by tabs.
type recordReader interface {
	Read() ([]string, error)
	FieldPos(field int) (line, column int)
}

// tsvReader reads lines of fields separated by tabs, with no quoting: a
// quote in a review is a character of it.
type tsvReader struct {
	sc   *bufio.Scanner
	line int
}

func (r *tsvReader) Read() ([]string, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	r.line++
	return strings.Split(strings.TrimSuffix(r.sc.Text(), "\r"), "\t"), nil
}

func (r *tsvReader) FieldPos(int) (int, int) { return r.line, 1 }

// isTabSeparated reports whether the first line of b holds a tab and no
// comma: a TSV header such as ChnSentiCorp's `text<TAB>label`.
func isTabSeparated(b []byte) bool {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return bytes.IndexByte(b, '\t') >= 0 && bytes.IndexByte(b, ',') < 0
}
