package nlp

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

//go:embed models
var embeddedModels embed.FS

//go:embed dict/stopwords.txt
var stopWordsText string

// Analysis is what Analyze derives from one customer message.
type Analysis struct {
	MaskedText       string
	Intent           string  // upstream intent when given (mapped by CanonicalIntent), else predicted
	IntentSource     string  // "upstream" or "model"
	IntentConfidence float32 // upstream confidence, or the model's probability of the label (ruledConfidence when a rule moved the reading)
	Topics           []string
	SentimentScore   float32 // P(positive) - P(negative), in [-1, 1]
	SentimentLabel   string  // negative | neutral | positive
	Signature        string  // sorted unique content words; groups repeated and unanswered questions
}

// Intent sources.
const (
	SourceUpstream = "upstream"
	SourceModel    = "model"
)

// Model bundles segmenter, intent classifier, sentiment model, topic
// dictionary and PII masker. It is immutable and safe for concurrent use.
type Model struct {
	*pipeline
	intent    *Classifier
	sentiment *Classifier
	topics    *topicDict
	version   string // registry version (see registry.go); "" = derived from the classifiers
}

// pipeline is the text processing every model shares; it is built once.
type pipeline struct {
	seg   *segmenter
	lex   *lexicon
	stop  map[string]bool
	deftp map[string][]string
	cueTp *topicDict // the embedded topics, read as cues of product_info
}

var basePipeline = sync.OnceValues(func() (*pipeline, error) {
	lx, err := parseLexicon(sentimentLexicon)
	if err != nil {
		return nil, err
	}
	tp, err := parseTopics(bytes.NewReader(defaultTopicsYAML))
	if err != nil {
		return nil, fmt.Errorf("embedded topics: %w", err)
	}
	var extra []string
	for _, syns := range tp {
		extra = append(extra, syns...)
	}
	extra = append(extra, lx.phrases()...)
	seg, err := newSegmenter(extra)
	if err != nil {
		return nil, fmt.Errorf("segmenter dictionary: %w", err)
	}
	stop := map[string]bool{}
	for _, w := range strings.Fields(stopWordsText) {
		stop[w] = true
	}
	return &pipeline{seg: seg, lex: lx, stop: stop, deftp: tp, cueTp: newTopicDict(tp)}, nil
})

func mustPipeline() *pipeline {
	p, err := basePipeline()
	if err != nil {
		panic("nlp: embedded resources are broken: " + err.Error())
	}
	return p
}

var defaultModel = sync.OnceValues(func() (*Model, error) {
	p, err := basePipeline()
	if err != nil {
		return nil, err
	}
	m := &Model{pipeline: p, topics: p.cueTp}
	for _, task := range []string{TaskIntent, TaskSentiment} {
		b, err := embeddedModels.ReadFile("models/" + task + ".model")
		if err != nil {
			return nil, fmt.Errorf("embedded %s model missing (run go run ./nlp/cmd/trainmodels): %w", task, err)
		}
		c, err := ReadClassifier(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("embedded %s model: %w", task, err)
		}
		m.setClassifier(c)
	}
	return m, nil
})

// Default returns the model embedded in the binary. It is built once
// (~0.1 s, ~30 MB) and shared.
func Default() (*Model, error) { return defaultModel() }

// Load returns the default model with the classifiers found in dir
// (intent.model, sentiment.model as written by Classifier.Save) replacing
// the embedded ones; a missing file keeps the default, dir "" means none.
// topicsFile ("" = none) is YAML `topic: [synonyms…]` that adds topics and
// synonyms to the embedded dictionary.
func Load(dir, topicsFile string) (*Model, error) {
	def, err := Default()
	if err != nil {
		return nil, err
	}
	m := *def
	if dir != "" {
		for _, task := range []string{TaskIntent, TaskSentiment} {
			c, err := loadClassifierFile(filepath.Join(dir, task+".model"))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if c.Task != task {
				return nil, fmt.Errorf("%s: holds a %s model", filepath.Join(dir, task+".model"), c.Task)
			}
			m.setClassifier(c)
		}
	}
	if topicsFile != "" {
		extra, err := loadTopicsFile(topicsFile)
		if err != nil {
			return nil, err
		}
		m.topics = newTopicDict(m.deftp, extra)
	}
	return &m, nil
}

func (m *Model) setClassifier(c *Classifier) {
	if c.Task == TaskIntent {
		m.intent = c
	} else {
		m.sentiment = c
	}
}

// Classifier returns the model's classifier for task, or nil.
func (m *Model) Classifier(task string) *Classifier {
	switch task {
	case TaskIntent:
		return m.intent
	case TaskSentiment:
		return m.sentiment
	}
	return nil
}

// TopicNames returns the topics the model knows, sorted.
func (m *Model) TopicNames() []string { return slices.Clone(m.topics.names) }

// maxLabels bounds the labels of a classifier (ReadClassifier and Train
// refuse more): the scratch arrays hold that many class scores.
const maxLabels = 64

// scratch holds per-call buffers so Analyze does not allocate them.
type scratch struct {
	nb    []byte
	nb2   []byte  // the text without pasted order cards (ordercard.go)
	toks2 []token // its tokens
	toks  []token
	feats []uint32
	probs [maxLabels]float32
	// iprobs keeps the intent probabilities of an after-sale reading while
	// sentiment reuses probs (AnalyzeInContext).
	iprobs [maxLabels]float32
	seen   []bool
	words  []string
	nbase  int // len(feats) before the context features
	// Set by featurize for sentiment: the normalised text (aliasing nb)
	// and the lexicon's reading of it, for sentimentLabel's question guard.
	norm string
	lex  lexResult
	// contrast is lastContrast(norm), for the features and applyVerdict.
	contrast int
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch  { return scratchPool.Get().(*scratch) }
func putScratch(s *scratch) { scratchPool.Put(s) }

// prepare masks, normalises and tokenises text into the scratch buffers,
// finds its topics when td is not nil and, when intent is set, computes the
// intent features into sc.feats (an upstream intent makes them unneeded).
// The returned string aliases sc.nb and must not outlive sc's next use.
func (sc *scratch) prepare(p *pipeline, text string, ctx Context, td *topicDict, intent bool) (masked, norm string, topics []string) {
	masked = Mask(text)
	sc.nb = normalize(sc.nb[:0], ToSimplified(masked))
	if len(sc.nb) > 0 {
		norm = unsafe.String(&sc.nb[0], len(sc.nb))
	}
	sc.toks = p.seg.tokenize(sc.toks[:0], norm, sc.nb)
	if td != nil {
		if cap(sc.seen) < len(td.names) {
			sc.seen = make([]bool, len(td.names))
		}
		topics = td.find(norm, sc.seen[:len(td.names)])
	}
	if !intent {
		sc.feats = sc.feats[:0]
		return masked, norm, topics
	}
	itoks, inorm, card := sc.toks, norm, false
	if useCardStrip && hasOrderCard(norm) {
		sc.nb2 = stripOrderCards(sc.nb2[:0], norm)
		if len(sc.nb2) > 0 {
			n2 := unsafe.String(&sc.nb2[0], len(sc.nb2))
			if sc.toks2 = p.seg.tokenize(sc.toks2[:0], n2, sc.nb2); len(sc.toks2) > 0 {
				itoks, inorm, card = sc.toks2, n2, true
			}
		}
	}
	sc.feats = appendFeatures(sc.feats[:0], itoks, inorm)
	if card {
		sc.feats = append(sc.feats, hashOf(nsWord, "<order card>"))
	}
	if useIntentCues {
		// The product-topic cue reads the embedded topics; when they are
		// the model's own (no topics file), the scan above answers it.
		var hit bool
		if td == p.cueTp {
			hit = len(topics) > 0
		} else {
			hit = p.cueTp.any(inorm)
		}
		sc.feats = appendCueFeatures(sc.feats, inorm, hit)
	}
	sc.nbase = len(sc.feats)
	sc.feats = appendContextFeatures(sc.feats, itoks, ctx)
	return masked, norm, topics
}

// featurize returns the features task's classifier sees for text.
func (sc *scratch) featurize(task, text string, ctx Context) ([]uint32, float32) {
	p := mustPipeline()
	_, norm, _ := sc.prepare(p, text, ctx, nil, task != TaskSentiment)
	if task != TaskSentiment {
		return sc.feats, 0
	}
	return sc.feats, sc.sentimentFeatures(p.lex, norm).score
}

// sentimentFeatures puts the sentiment features of norm (prepared in sc)
// in sc.feats and keeps norm and the lexicon's reading of it for
// sentimentLabel; Analyze and the classifier both read sentiment so.
func (sc *scratch) sentimentFeatures(lx *lexicon, norm string) lexResult {
	sc.contrast = lastContrast(norm)
	sc.feats = appendSentimentBase(sc.feats[:0], sc.toks, norm, sc.contrast) // sentiment reads the text alone
	var r lexResult
	sc.feats, r = lx.score(norm, sc.feats)
	sc.feats = appendLexiconFeatures(sc.feats, r, sc.toks)
	sc.norm, sc.lex = norm, r
	return r
}

// sentimentLabel is the label of the classifier's best class, except that
// a plain question (question.go) and a closing (closingOnly: 没别的问题了)
// are never negative, and a plain question never positive (质量好吗 asks whether it is good): the stored
// label (Analyze) and what `nlp eval` scores (Classifier.Predict) pass
// through this one rule.
func sentimentLabel(labels []string, best int, norm string, r lexResult) int {
	switch labels[best] {
	case "negative":
		if !plainQuestion(norm, r) && !closingOnly(norm) {
			return best
		}
	case "positive":
		if !askingAboutPraise(norm, r) {
			return best
		}
	case "neutral":
		if impatientReading && r.pos == 0 && impatient(norm) {
			if i := slices.Index(labels, "negative"); i >= 0 {
				return i
			}
		}
		return best
	default:
		return best
	}
	if i := slices.Index(labels, "neutral"); i >= 0 {
		return i
	}
	return best
}

// Analyze enriches one customer message read on its own (no conversation
// context). upstreamIntent, when non-empty, is trusted (mapped onto the
// taxonomy when it is a known alias) and upstreamConfidence reported with
// it; otherwise the intent is predicted.
func (m *Model) Analyze(text, upstreamIntent string, upstreamConfidence float32) Analysis {
	return m.AnalyzeInContext(text, Context{}, upstreamIntent, upstreamConfidence)
}

// AnalyzeInContext is Analyze for a message of a conversation: ctx (does
// the conversation reference an order, the previous bot/agent reply)
// informs the predicted intent. Sentiment, topics and signature read the
// text alone.
func (m *Model) AnalyzeInContext(text string, ctx Context, upstreamIntent string, upstreamConfidence float32) Analysis {
	sc := getScratch()
	defer putScratch(sc)
	masked, norm, topics := sc.prepare(m.pipeline, text, ctx, m.topics, upstreamIntent == "")
	a := Analysis{MaskedText: masked, Topics: topics}

	// An after-sale reading waits for the lexicon's reading, which sentiment
	// makes below (intentOpinionRule); its label's probabilities are kept.
	intentBest, intentRead := -1, -1
	if upstreamIntent != "" {
		a.Intent, a.IntentSource, a.IntentConfidence = CanonicalIntent(upstreamIntent), SourceUpstream, upstreamConfidence
	} else if len(sc.toks) == 0 {
		a.Intent, a.IntentSource, a.IntentConfidence = "other", SourceModel, 1
	} else {
		n := len(m.intent.Labels)
		read := m.intent.scores(sc.feats, sc.probs[:n], 0)
		best := intentReadingRule(m.intent.Labels, sc.probs[:n], read, sc.toks, sc.nb, ctx)
		a.Intent, a.IntentSource, a.IntentConfidence = m.intent.Labels[best], SourceModel, ruledConfidence(sc.probs[:n], read, best)
		if opinionRuled[a.Intent] {
			intentBest, intentRead = best, read
			sc.iprobs = sc.probs
		}
	}

	a.SentimentLabel = "neutral"
	if len(sc.toks) > 0 {
		r := sc.sentimentFeatures(m.lex, norm)
		c := m.sentiment
		best := c.scores(sc.feats, sc.probs[:len(c.Labels)], r.score)
		label, score := applyVerdict(c.Labels, sentimentLabel(c.Labels, best, norm, r), polarity(c.Labels, sc.probs[:len(c.Labels)]), norm, sc.contrast)
		a.SentimentLabel, a.SentimentScore = c.Labels[label], score
		if intentBest >= 0 {
			if b := intentOpinionRule(m.intent.Labels, intentBest, m.lex, norm, r); b != intentBest {
				a.Intent, a.IntentConfidence = m.intent.Labels[b], ruledConfidence(sc.iprobs[:len(m.intent.Labels)], intentRead, b)
			}
		}
	}

	a.Signature = m.signature(sc)
	return a
}

// signature joins the sorted unique content words of the prepared text:
// no stop words, punctuation, emoji, numbers or PII placeholders.
func (m *Model) signature(sc *scratch) string {
	words := sc.words[:0]
	for _, t := range sc.toks {
		if (t.kind == tokHan || t.kind == tokWord) && !m.stop[t.text] {
			words = append(words, t.text)
		}
	}
	slices.Sort(words)
	words = slices.Compact(words)
	sc.words = words[:0]
	n := 0
	for _, w := range words {
		n += len(w) + 1
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	clear(sc.words[:cap(sc.words)]) // drop references into the text buffer
	return b.String()
}

// SameQuestion reports whether two customer messages ask the same thing:
// equal signatures, or the same intent and signatures sharing at least 60%
// of their words (Jaccard). Empty signatures never match.
func SameQuestion(a, b Analysis) bool {
	if a.Signature == "" || b.Signature == "" {
		return false
	}
	if a.Signature == b.Signature {
		return true
	}
	if a.Intent != b.Intent {
		return false
	}
	wa, wb := strings.Fields(a.Signature), strings.Fields(b.Signature)
	inter := 0
	for _, w := range wa {
		if _, ok := slices.BinarySearch(wb, w); ok {
			inter++
		}
	}
	union := len(wa) + len(wb) - inter
	return inter*10 >= union*6
}
