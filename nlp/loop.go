package nlp

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The labelling loop (docs/nlp.md, "The labelling loop"): a shop labels a
// sample of its own messages, Retrain merges those labels with the base
// training data, keeps part of them (whole conversations) as the shop's
// own held-out set, and gates the candidate against the active model on
// that set and on the built-in held-out sets.

// The built-in held-out sets of the gate are HeldOutSets (the nlp
// package's, never trained on) and copies of nlp/testdata's dev sets, also
// never trained on (TestHeldOutCopiesMatchTestdata keeps them equal).
//
//go:embed devsets/*.csv
var heldOutFiles embed.FS

// NamedSet is a labelled set with a name for reports and manifests.
type NamedSet struct {
	Name     string
	Examples []Example
}

// BuiltinHeldOut returns the built-in held-out sets for task: the dev set
// and every HeldOutSets set whose text is at hand (dataDir holds the
// public corpora); skipped says which were not, and why.
func BuiltinHeldOut(task, dataDir string) (sets []NamedSet, skipped []string, err error) {
	s, err := readEmbeddedSet(heldOutFiles, "devsets/"+task+"_dev.csv")
	if err != nil {
		return nil, nil, err
	}
	sets = append(sets, s)
	for _, h := range HeldOutSets(task, dataDir) {
		if h.Missing != nil || len(h.Examples) == 0 {
			skipped = append(skipped, fmt.Sprintf("%s: %v", h.Key(), h.Missing))
			continue
		}
		sets = append(sets, NamedSet{Name: "builtin:" + h.Key(), Examples: h.Examples})
	}
	return sets, skipped, nil
}

func readEmbeddedSet(fsys embed.FS, name string) (NamedSet, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return NamedSet{}, fmt.Errorf("embedded %s: %w", name, err)
	}
	defer f.Close()
	ex, err := ReadLabels(f)
	if err != nil {
		return NamedSet{}, fmt.Errorf("embedded %s: %w", name, err)
	}
	return NamedSet{Name: "builtin:" + strings.TrimSuffix(name[strings.IndexByte(name, '/')+1:], ".csv"), Examples: ex}, nil
}

// ShopLabel is one labelled row of a shop's file.
type ShopLabel struct {
	ConversationID string
	EventID        string
	Text           string
	Label          string // canonical (aliases mapped)
	// OrderReferenced is the message's context as ingest read it (the
	// sample's order_referenced column; false when the file has none).
	OrderReferenced bool
	Line            int
}

// ShopFile is a shop's labelling file as read.
type ShopFile struct {
	Name    string
	SHA256  string
	Labels  []ShopLabel
	Skipped int // rows with an empty label (not labelled yet)
}

// LabelError lists every refused label of a file, with its line.
type LabelError struct {
	File     string
	Task     string
	Problems []string
	Known    []string
}

func (e *LabelError) Error() string {
	var b strings.Builder
	kind := "intents"
	if e.Task == TaskSentiment {
		kind = "sentiment labels"
	}
	fmt.Fprintf(&b, "%s: %d rows refused; fix them (or empty the label column to skip a row) and train again:\n", e.File, len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "  … and %d more\n", len(e.Problems)-20)
			break
		}
		fmt.Fprintf(&b, "  %s\n", p)
	}
	fmt.Fprintf(&b, "known %s: %s", kind, strings.Join(e.Known, ", "))
	return b.String()
}

// ReadShopLabelsFile reads a labelling file (see ReadShopLabels).
func ReadShopLabelsFile(path, task string, known []string) (ShopFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return ShopFile{}, err
	}
	sum := sha256.Sum256(b)
	sf, err := ReadShopLabels(strings.NewReader(string(b)), path, task, known)
	sf.SHA256 = hex.EncodeToString(sum[:])
	return sf, err
}

// ReadShopLabels reads a shop's labelling CSV: the file `convintel nlp
// sample` writes with its label column filled in, or any CSV with text
// and label columns (conversation_id and event_id are optional; without a
// conversation the row is its own conversation for the held-out split).
// Rows with an empty label are skipped. A label must be one of known
// (intent aliases such as 退款 or refund_request are mapped first);
// otherwise the file is refused with a *LabelError naming every bad line.
func ReadShopLabels(r io.Reader, name, task string, known []string) (ShopFile, error) {
	sf := ShopFile{Name: name}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return sf, fmt.Errorf("%s: empty file, want a header with text and label columns", name)
	}
	if err != nil {
		return sf, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ti, ok1 := col["text"]
	li, ok2 := col["label"]
	if !ok1 || !ok2 {
		return sf, fmt.Errorf("%s: line 1: header %q lacks a text and a label column (use the file `convintel nlp sample` writes)", name, strings.Join(head, ","))
	}
	ci, hasConv := col["conversation_id"]
	ei, hasEvent := col["event_id"]
	oi, hasOrder := col["order_referenced"]
	lerr := &LabelError{File: name, Task: task, Known: known}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sf, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		label, text := get(li), get(ti)
		if label == "" {
			sf.Skipped++
			continue
		}
		if text == "" {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("line %d: label %q on an empty text", line, label))
			continue
		}
		canon, why := checkLabel(task, label, known)
		if why != "" {
			lerr.Problems = append(lerr.Problems, fmt.Sprintf("line %d: %s", line, why))
			continue
		}
		l := ShopLabel{Text: text, Label: canon, Line: line}
		if hasOrder {
			if l.OrderReferenced, err = parseFlag(get(oi)); err != nil {
				lerr.Problems = append(lerr.Problems, fmt.Sprintf("line %d: order_referenced %v", line, err))
				continue
			}
		}
		if hasConv {
			l.ConversationID = get(ci)
		}
		if hasEvent {
			l.EventID = get(ei)
		}
		sf.Labels = append(sf.Labels, l)
	}
	if len(lerr.Problems) > 0 {
		return sf, lerr
	}
	return sf, nil
}

// sentimentAliases are the other names review corpora and labellers give
// the sentiment classes: ChnSentiCorp and waimai_10k label 1 and 0, star
// ratings say 好评 and 差评.
var sentimentAliases = map[string]string{
	"1": "positive", "pos": "positive", "正面": "positive", "积极": "positive", "好评": "positive",
	"0": "negative", "neg": "negative", "负面": "negative", "消极": "negative", "差评": "negative",
	"neu": "neutral", "中性": "neutral", "中评": "neutral",
}

// checkLabel maps label onto known or says why it cannot.
func checkLabel(task, label string, known []string) (string, string) {
	canon := strings.ToLower(strings.TrimSpace(label))
	switch task {
	case TaskIntent:
		canon = CanonicalIntent(label)
	case TaskSentiment:
		if a, ok := sentimentAliases[canon]; ok {
			canon = a
		}
	}
	if slices.Contains(known, canon) {
		return canon, ""
	}
	why := fmt.Sprintf("label %q is not a known %s", label, task)
	if s := closest(strings.ToLower(label), known); s != "" {
		why += fmt.Sprintf(" — did you mean %q?", s)
	}
	return "", why
}

// closest returns the known label within edit distance 2 of s, if any.
func closest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// HeldOutConversation reports whether a conversation belongs to the shop's
// held-out set: a hash of its id below fraction. The split depends on the
// id only, so a conversation stays on its side in every later training
// run and no model is ever trained on the conversations it is judged on.
func HeldOutConversation(id string, fraction float64) bool {
	h := fnv.New64a()
	io.WriteString(h, id)
	return float64(h.Sum64()%100_000) < fraction*100_000
}

// RetrainInput is what Retrain merges, trains on and gates with.
type RetrainInput struct {
	Task string
	// Base is the base training data: BaseCorpus, the data the embedded
	// model was trained on (with the public corpora when at hand).
	Base *Corpus
	// Shop are the shop's labelling files.
	Shop []ShopFile
	// BuiltinHeldOut are held-out sets no training step sees (BuiltinHeldOut).
	BuiltinHeldOut []NamedSet
	// HeldOutFraction of the shop's conversations are kept out of
	// training as the shop's held-out set (0: none; nlp train's default 0.2).
	HeldOutFraction float64
	// Tolerance is how far (accuracy, absolute) below the active model a
	// candidate may score on a held-out set and still pass whatever the
	// test says; default 0.01, the one point the CI accuracy gate allows.
	// A larger drop refuses the candidate when it is significant (Gate).
	Tolerance float64
	Train     TrainOptions
}

// ShopHeldOutSet is the name of the shop's own held-out set in gate tables.
const ShopHeldOutSet = "shop held-out"

// GateResult compares a candidate with the active model on the held-out sets.
type GateResult struct {
	Active    string    `json:"active"` // version compared against
	Metric    string    `json:"metric"`
	Tolerance float64   `json:"tolerance"`
	Rows      []GateRow `json:"rows"`
	Passed    bool      `json:"passed"`
}

// GateRow is one held-out set's figures, side by side.
type GateRow struct {
	Set       string  `json:"set"`
	N         int     `json:"n"`
	Active    float64 `json:"active"`
	Candidate float64 `json:"candidate"`
	Delta     float64 `json:"delta"`
	// Lost and Won count the examples only the active model, and only the
	// candidate, got right; P is the one-sided exact binomial (McNemar)
	// probability of losing at least Lost of Lost+Won by chance.
	Lost  int     `json:"lost"`
	Won   int     `json:"won"`
	P     float64 `json:"p"`
	Worse bool    `json:"worse"`
}

// gateSignificance is the level below which a drop counts as real.
const gateSignificance = 0.05

// Format writes the gate's table and verdict.
func (g *GateResult) Format(w io.Writer) {
	width := len("set")
	for _, r := range g.Rows {
		width = max(width, len(r.Set))
	}
	fmt.Fprintf(w, "%-*s %6s %9s %9s %8s  %s\n", width, "set", "n", "active", "candidate", "delta", g.Metric)
	for _, r := range g.Rows {
		verdict := "ok"
		switch {
		case r.N == 0:
			verdict = "empty: not judged"
		case r.Worse:
			verdict = fmt.Sprintf("WORSE (lost %d, won %d, p=%.4f)", r.Lost, r.Won, r.P)
		case r.Delta < -g.Tolerance:
			verdict = fmt.Sprintf("ok: lost %d, won %d, p=%.2f, within chance", r.Lost, r.Won, r.P)
		}
		fmt.Fprintf(w, "%-*s %6d %9.4f %9.4f %+8.4f  %s\n", width, r.Set, r.N, r.Active, r.Candidate, r.Delta, verdict)
	}
	if g.Passed {
		fmt.Fprintf(w, "gate: passed (not worse than %s on any held-out set)\n", g.Active)
	} else {
		fmt.Fprintf(w, "gate: REFUSED (worse than %s on a held-out set: more than %.3f below and p < %.2f)\n", g.Active, g.Tolerance, gateSignificance)
	}
}

// Gate evaluates active and candidate for task on every set. The
// candidate is worse on a set when its accuracy is more than tol below the
// active model's and the examples it lost against those it won are
// unlikely by chance (one-sided exact McNemar test, p < 0.05): retraining
// with a few more examples moves a 361-example set by a point either way,
// which is noise, not a worse model. Empty sets are shown, not judged.
//
// The built-in sets are also judged pooled (PooledSet), by the same rule: a
// candidate that loses a little on every one of them (a labeller who
// shifted a column: intent_dev lost 14 won 6, JDDC lost 17 won 11, written
// buyer questions lost 11 won 5, each within chance) is a worse model, and
// only the pooled count has the examples to show it.
func Gate(task string, active, candidate *Model, activeVersion string, sets []NamedSet, tol float64) (*GateResult, []HeldOutScore) {
	g := &GateResult{Active: activeVersion, Metric: "accuracy", Tolerance: tol, Passed: true}
	var scores []HeldOutScore
	ca, cc := active.Classifier(task), candidate.Classifier(task)
	pooled, pooledOKA, pooledOKC, nPooled := GateRow{Set: PooledSet}, 0, 0, 0
	for _, s := range sets {
		row := GateRow{Set: s.Name, N: len(s.Examples)}
		var okA, okC int
		if row.N > 0 {
			for _, e := range s.Examples {
				a, c := predictExample(ca, e) == e.Label, predictExample(cc, e) == e.Label
				switch {
				case a && !c:
					row.Lost++
				case c && !a:
					row.Won++
				}
				if a {
					okA++
				}
				if c {
					okC++
				}
			}
			row.judge(okA, okC, tol)
			ec := Evaluate(cc, s.Examples)
			scores = append(scores, HeldOutScore{Set: s.Name, N: row.N, Accuracy: row.Candidate, MacroF1: round4(ec.MacroF1)})
			if s.Name != ShopHeldOutSet {
				pooled.N += row.N
				pooled.Lost += row.Lost
				pooled.Won += row.Won
				pooledOKA, pooledOKC = pooledOKA+okA, pooledOKC+okC
				nPooled++
			}
		}
		if row.Worse {
			g.Passed = false
		}
		g.Rows = append(g.Rows, row)
	}
	if nPooled > 1 {
		pooled.judge(pooledOKA, pooledOKC, tol)
		if pooled.Worse {
			g.Passed = false
		}
		g.Rows = append(g.Rows, pooled)
	}
	return g, scores
}

// PooledSet names the gate's row of every built-in held-out set together.
const PooledSet = "built-in sets, pooled"

// judge fills r's accuracies from okA and okC correct answers of r.N and
// says whether the candidate is worse: more than tol below and p <
// gateSignificance.
func (r *GateRow) judge(okA, okC int, tol float64) {
	accA, accC := float64(okA)/float64(r.N), float64(okC)/float64(r.N)
	r.Active, r.Candidate, r.Delta = round4(accA), round4(accC), round4(accC-accA)
	r.P = round4(binomialTail(r.Lost, r.Lost+r.Won))
	r.Worse = accC < accA-tol-1e-9 && r.P < gateSignificance
}

// predictExample is the classifier's label for a labelled example.
func predictExample(c *Classifier, e Example) string {
	l, _ := c.PredictInContext(e.Text, e.Context)
	return l
}

// binomialTail is P(X >= k) for X ~ Binomial(n, 1/2); 1 when n is 0.
func binomialTail(k, n int) float64 {
	if n == 0 || k <= 0 {
		return 1
	}
	var p float64
	for i := k; i <= n; i++ {
		lg := lgamma(n+1) - lgamma(i+1) - lgamma(n-i+1) - float64(n)*math.Ln2
		p += math.Exp(lg)
	}
	return min(p, 1)
}

func lgamma(x int) float64 {
	v, _ := math.Lgamma(float64(x))
	return v
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Retrain merges the shop's labels (less its held-out conversations) with
// the base data, trains task's classifier, and gates the result against
// active (reported as activeVersion). The candidate keeps active's other
// classifier and topics. The manifest is complete but for its Version;
// its State says whether the gate passed.
func Retrain(ctx context.Context, active *Model, activeVersion string, in RetrainInput) (*Model, Manifest, error) {
	if in.Task != TaskIntent && in.Task != TaskSentiment {
		return nil, Manifest{}, fmt.Errorf("unknown task %q (want %s or %s)", in.Task, TaskIntent, TaskSentiment)
	}
	if in.HeldOutFraction < 0 || in.HeldOutFraction >= 1 {
		return nil, Manifest{}, fmt.Errorf("held-out fraction %.2f leaves nothing to train on (use 0.1–0.3)", in.HeldOutFraction)
	}
	if in.Tolerance <= 0 {
		in.Tolerance = 0.01
	}
	man := Manifest{Created: time.Now().UTC().Truncate(time.Second), Task: in.Task, Parent: activeVersion}
	if in.Base == nil {
		return nil, man, errors.New("no base training data (nlp.BaseCorpus)")
	}
	corpus := &Corpus{Task: in.Task, Examples: slices.Clone(in.Base.Examples), Sources: slices.Clone(in.Base.Sources)}
	for _, b := range in.Base.Sources {
		name := b.Name
		if b.File != "" {
			name += ": " + b.File
		}
		man.Sources = append(man.Sources, DataSource{Kind: "base", Name: name, SHA256: b.SHA256, Rows: b.Rows, Train: b.Rows})
	}
	// The last label of an event wins (a file labelled again later).
	type keyed struct {
		file, idx int
	}
	byEvent := map[string]keyed{}
	for fi, f := range in.Shop {
		for li, l := range f.Labels {
			if l.EventID != "" {
				byEvent[l.EventID] = keyed{fi, li}
			}
		}
	}
	held := NamedSet{Name: ShopHeldOutSet}
	heldText := map[string]bool{}
	shopTrain := make([][]Example, len(in.Shop))
	for fi, f := range in.Shop {
		src := DataSource{Kind: "shop", Name: f.Name, SHA256: f.SHA256, Rows: len(f.Labels)}
		for li, l := range f.Labels {
			if l.EventID != "" && byEvent[l.EventID] != (keyed{fi, li}) {
				continue // labelled again later
			}
			conv := l.ConversationID
			if conv == "" {
				conv = l.EventID
			}
			if conv == "" {
				conv = l.Text
			}
			ex := Example{Text: l.Text, Label: l.Label, Context: Context{OrderReferenced: l.OrderReferenced}}
			if HeldOutConversation(conv, in.HeldOutFraction) {
				held.Examples = append(held.Examples, ex)
				heldText[normalizedText(l.Text)] = true
				src.HeldOut++
			} else {
				shopTrain[fi] = append(shopTrain[fi], ex)
				src.Train++
			}
		}
		man.Sources = append(man.Sources, src)
	}
	// A text that is also in the held-out set ("在吗", "好的") is not
	// trained on: the held-out figure would otherwise measure memory.
	for fi, f := range in.Shop {
		var keep []Example
		for _, ex := range shopTrain[fi] {
			if !heldText[normalizedText(ex.Text)] {
				keep = append(keep, ex)
			}
		}
		sum := f.SHA256
		if len(sum) > 16 {
			sum = sum[:16]
		}
		corpus.Add(Source{Name: "shop", File: filepath.Base(f.Name), SHA256: sum,
			Detail: "the shop's labels, less its held-out conversations and texts equal to a held-out text"}, keep)
		corpus.addRepeat("shop-repeat", keep, shopLabelWeight, "the shop's labels", ": its own buyers' text outweighs written text")
	}
	if err := ctx.Err(); err != nil {
		return nil, man, err
	}
	c, err := TrainCorpus(corpus, in.Train)
	if err != nil {
		return nil, man, fmt.Errorf("train %s: %w", in.Task, err)
	}
	man.TrainedOn = len(corpus.Examples)
	cand := active.WithClassifier(c)
	sets := append([]NamedSet{held}, in.BuiltinHeldOut...)
	gate, scores := Gate(in.Task, active, cand, activeVersion, sets, in.Tolerance)
	man.Gate, man.HeldOut = gate, scores
	man.State = StateAccepted
	if !gate.Passed {
		man.State = StateRefused
	}
	return cand, man, nil
}

// shopLabelWeight is how many times a shop's labelled message counts in a
// retraining: as much as a real JD buyer turn of the base data
// (jddcWeight), since it is the shop's own buyers' text. Counted once, the
// 3 % a day a shop labels was a hundred rows among twenty-eight thousand
// (session 11): it barely moved the model, and a labeller who shifted a
// column (TestLabellingLoop) changed it too little for the gate to see.
const shopLabelWeight = 4

func normalizedText(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// KnownLabels returns the labels a shop may use for task with model m:
// the taxonomy (intents) or the sentiment classes, plus any label m's
// classifier was trained with.
func KnownLabels(task string, m *Model) []string {
	var out []string
	if task == TaskSentiment {
		out = slices.Clone(SentimentLabels)
	} else {
		out = slices.Clone(Intents)
	}
	if c := m.Classifier(task); c != nil {
		for _, l := range c.Labels {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// CanonicalizeLabels maps the gold labels of ex onto the labels m knows
// for task, as the labelling loop reads a shop's labels (aliases such as
// refund_request, 退款, 1/0 for a review's sentiment), and returns the
// labels it could not map, with their counts: `nlp eval` scores a file a
// person labelled in their own words, and a label the model cannot give
// would count every row as an error without a word.
func CanonicalizeLabels(task string, m *Model, ex []Example) map[string]int {
	known := KnownLabels(task, m)
	unknown := map[string]int{}
	for i := range ex {
		if canon, why := checkLabel(task, ex[i].Label, known); why == "" {
			ex[i].Label = canon
		} else {
			unknown[ex[i].Label]++
		}
	}
	return unknown
}

// ErrGateRefused is returned (wrapped) when a candidate fails the gate.
var ErrGateRefused = errors.New("the new model is worse than the active one on a held-out set; it was kept as a refused version and not activated")
