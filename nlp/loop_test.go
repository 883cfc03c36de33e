package nlp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSampleQuotas(t *testing.T) {
	strata := []Stratum{{"stock", 900}, {"refund", 100}, {"invoice", 4}, {"greeting", 0}}
	q := SampleQuotas(strata, 0.03)
	sum := 0
	for _, v := range q {
		sum += v
	}
	if sum != 31 { // ceil(0.03 × 1004)
		t.Fatalf("quotas %v sum to %d, want 31", q, sum)
	}
	if q["invoice"] < 1 || q["refund"] <= 31*100/1004 || q["stock"] >= 31*900/1004 {
		t.Fatalf("quotas %v: rare intents should get more than their share, common ones less", q)
	}
	if _, ok := q["greeting"]; ok {
		t.Fatalf("an empty stratum got a quota: %v", q)
	}
	// Caps: a stratum never gets more than it has, the rest is handed on.
	q = SampleQuotas([]Stratum{{"a", 2}, {"b", 1000}}, 0.5)
	if q["a"] != 2 || q["b"] != 499 {
		t.Fatalf("capped quotas %v, want a=2 b=499", q)
	}
	if q := SampleQuotas([]Stratum{{"a", 3}}, 1); q["a"] != 3 {
		t.Fatalf("rate 1 takes everything: %v", q)
	}
	if SampleWeight(0.3)/SampleWeight(0.99) < 3 {
		t.Fatal("low confidence must weigh at least 3 times high confidence")
	}
}

func TestReadShopLabels(t *testing.T) {
	in := "conversation_id,event_id,shop_id,time,text,predicted,confidence,model,label\n" +
		"c1,e1,s,t,还没收到货,delivery_time,0.4,v1,order_status\n" +
		"c1,e2,s,t,在吗,greeting,0.9,v1,\n" + // not labelled: skipped
		"c2,e3,s,t,退钱,other,0.3,v1,退款\n" + // alias
		"c2,e4,s,t,发票,invoice,0.8,v1,Invoice\n"
	sf, err := ReadShopLabels(strings.NewReader(in), "shop.csv", TaskIntent, Intents)
	if err != nil {
		t.Fatal(err)
	}
	if len(sf.Labels) != 3 || sf.Skipped != 1 {
		t.Fatalf("got %d labels, %d skipped: %+v", len(sf.Labels), sf.Skipped, sf.Labels)
	}
	if l := sf.Labels[1]; l.Label != "refund" || l.ConversationID != "c2" || l.EventID != "e3" || l.Line != 4 {
		t.Fatalf("alias row: %+v", l)
	}
	if sf.Labels[2].Label != "invoice" {
		t.Fatalf("case: %+v", sf.Labels[2])
	}

	// The sample's order_referenced column is the context the message was
	// read in; a labelled row trains with it.
	in = "text,order_referenced,label\n什么时候能到,1,order_status\n什么时候能到,0,delivery_time\n多久到,maybe,delivery_time\n"
	sf, err = ReadShopLabels(strings.NewReader(in), "ctx.csv", TaskIntent, Intents)
	var ctxErr *LabelError
	if !errors.As(err, &ctxErr) || len(ctxErr.Problems) != 1 || !strings.Contains(ctxErr.Problems[0], "line 4: order_referenced") {
		t.Fatalf("want line 4's flag refused, got %v", err)
	}
	if len(sf.Labels) != 2 || !sf.Labels[0].OrderReferenced || sf.Labels[1].OrderReferenced {
		t.Fatalf("order context: %+v", sf.Labels)
	}

	bad := "text,label\n好,refnd\nok,thanks_bye\n怎么退,退货退款吧\n,refund\n"
	_, err = ReadShopLabels(strings.NewReader(bad), "bad.csv", TaskIntent, Intents)
	var le *LabelError
	if !errors.As(err, &le) || len(le.Problems) != 3 {
		t.Fatalf("want 3 refused rows, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"bad.csv", "line 2", `"refnd"`, `did you mean "refund"`, "line 4", "line 5", "empty text", "known intents: greeting"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if _, err := ReadShopLabels(strings.NewReader("text\nx\n"), "h.csv", TaskIntent, Intents); err == nil || !strings.Contains(err.Error(), "label column") {
		t.Fatalf("header without label: %v", err)
	}
}

// The embedded held-out sets are copies of nlp/testdata's dev sets.
func TestHeldOutCopiesMatchTestdata(t *testing.T) {
	for _, name := range []string{"intent_dev.csv", "sentiment_dev.csv"} {
		a, err := os.ReadFile(filepath.Join("devsets", name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("nlp/devsets/%s differs from nlp/testdata/%s: cp nlp/testdata/%s nlp/devsets/", name, name, name)
		}
	}
}

func TestHeldOutConversationIsStable(t *testing.T) {
	n := 0
	for i := 0; i < 10_000; i++ {
		id := "conv-" + string(rune('a'+i%26)) + strings.Repeat("x", i%7) + string(rune(i))
		if HeldOutConversation(id, 0.2) {
			n++
		}
		if HeldOutConversation(id, 0.2) != HeldOutConversation(id, 0.2) {
			t.Fatal("split not deterministic")
		}
	}
	if n < 1800 || n > 2200 {
		t.Fatalf("%d of 10000 held out at 0.2", n)
	}
}

func TestRegistryActivateRollback(t *testing.T) {
	reg := Registry{Dir: t.TempDir()}
	def := testModel(t)
	m, err := reg.LoadActive("")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version() != BuiltinModelVersion() || !strings.HasPrefix(m.Version(), "builtin-") {
		t.Fatalf("empty registry loads %q, want the embedded %q", m.Version(), BuiltinModelVersion())
	}
	v1, err := reg.Add(def, Manifest{Task: TaskIntent, State: StateAccepted})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := reg.Add(def, Manifest{Task: TaskIntent, State: StateRefused})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != "v0001" || v2.Version != "v0002" {
		t.Fatalf("versions %s %s", v1.Version, v2.Version)
	}
	if _, err := reg.Activate("v0002", false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a refused version activated without --force: %v", err)
	}
	if _, err := reg.Activate("v0009", false); !errors.Is(err, ErrNoVersion) {
		t.Fatalf("unknown version: %v", err)
	}
	if _, err := reg.Activate("v0001", false); err != nil {
		t.Fatal(err)
	}
	if m, err := reg.LoadActive(""); err != nil || m.Version() != "v0001" {
		t.Fatalf("active after activate: %v %v", m, err)
	}
	if _, err := reg.Activate("v0002", true); err != nil {
		t.Fatal(err)
	}
	st, err := reg.Rollback()
	if err != nil || st.Version != "v0001" {
		t.Fatalf("rollback to %q: %v", st.Version, err)
	}
	st, err = reg.Rollback()
	if err != nil || st.Version != BuiltinVersion {
		t.Fatalf("second rollback to %q: %v", st.Version, err)
	}
	if _, err := reg.Rollback(); err == nil || !strings.Contains(err.Error(), "nothing to roll back") {
		t.Fatalf("rollback past the start: %v", err)
	}
	if m, _ := reg.LoadActive(""); m.Version() != BuiltinModelVersion() {
		t.Fatalf("builtin active loads %q", m.Version())
	}
	vs, err := reg.Versions()
	if err != nil || len(vs) != 2 || vs[1].State != StateRefused {
		t.Fatalf("versions: %+v %v", vs, err)
	}
}

// A model trained on deliberately wrong labels is refused with the
// figures side by side; one trained on right labels passes.
func TestRetrainGate(t *testing.T) {
	// The active model: the base corpus without the public corpora (which
	// the embedded model may have had and this machine may lack).
	base, err := BaseCorpus(TaskIntent, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := TrainCorpus(base, TrainOptions{Epochs: 10}) // short: the test is about the gate
	if err != nil {
		t.Fatal(err)
	}
	def := testModel(t).WithClassifier(c)
	held, _, err := BuiltinHeldOut(TaskIntent, "")
	if err != nil {
		t.Fatal(err)
	}
	hand, _, err := readEmbeddedLabels(embeddedTrain, "train/intent_train.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Shop labels: the hand-written training rows (right labels) and the
	// same texts with every label rotated (wrong labels).
	var right, wrong ShopFile
	for i, ex := range hand {
		conv := "c" + string(rune('a'+i%50))
		right.Labels = append(right.Labels, ShopLabel{ConversationID: conv, Text: ex.Text, Label: ex.Label})
		j := (indexOf(Intents, ex.Label) + 5) % len(Intents)
		wrong.Labels = append(wrong.Labels, ShopLabel{ConversationID: conv, Text: ex.Text, Label: Intents[j]})
	}
	right.Name, wrong.Name = "right.csv", "wrong.csv"
	in := RetrainInput{Task: TaskIntent, Base: base, BuiltinHeldOut: held, HeldOutFraction: 0.2, Train: TrainOptions{Epochs: 10}}

	in.Shop = []ShopFile{wrong}
	_, man, err := Retrain(context.Background(), def, "builtin", in)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	man.Gate.Format(&b)
	t.Logf("wrong labels:\n%s", b.String())
	if man.State != StateRefused || man.Gate.Passed || !strings.Contains(b.String(), "REFUSED") || !strings.Contains(b.String(), "builtin:intent_dev") {
		t.Fatalf("wrong labels passed the gate:\n%s", b.String())
	}

	in.Shop = []ShopFile{right}
	cand, man, err := Retrain(context.Background(), def, "builtin", in)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	man.Gate.Format(&b)
	t.Logf("right labels:\n%s", b.String())
	if man.State != StateAccepted {
		t.Fatalf("right labels refused:\n%s", b.String())
	}
	if cand.Classifier(TaskSentiment) != def.Classifier(TaskSentiment) {
		t.Fatal("retraining intent replaced the sentiment classifier")
	}
	src := man.Sources[len(man.Sources)-1]
	if src.Kind != "shop" || src.Train+src.HeldOut != len(right.Labels) || src.HeldOut == 0 {
		t.Fatalf("shop source %+v", src)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return 0
}

func TestBinomialTail(t *testing.T) {
	for _, c := range []struct {
		k, n int
		want float64
	}{{10, 16, 0.2272}, {0, 5, 1}, {3, 3, 0.125}, {24, 29, 0.0003}} {
		if got := binomialTail(c.k, c.n); got < c.want-0.0001 || got > c.want+0.0001 {
			t.Errorf("P(X >= %d | n=%d) = %.4f, want %.4f", c.k, c.n, got, c.want)
		}
	}
}

// TestGatePoolsTheBuiltInSets: a weaker candidate that no set can refuse
// alone (sets of 4 examples: even 4 lost against 0 won is p = 1/16) is
// refused on the pooled row, which has the examples to show it.
func TestGatePoolsTheBuiltInSets(t *testing.T) {
	def := testModel(t)
	hand, _, err := readEmbeddedLabels(embeddedTrain, "train/intent_train.csv")
	if err != nil {
		t.Fatal(err)
	}
	weak, err := TrainCorpus(&Corpus{Task: TaskIntent, Examples: hand[:len(hand)/4]}, TrainOptions{Epochs: 3})
	if err != nil {
		t.Fatal(err)
	}
	cand := def.WithClassifier(weak)
	held, _, err := BuiltinHeldOut(TaskIntent, "")
	if err != nil {
		t.Fatal(err)
	}
	var all []Example
	for _, s := range held {
		all = append(all, s.Examples...)
	}
	// Sets of 4: even 4 lost against 0 won is p = 1/16, within chance.
	var sets []NamedSet
	for i := 0; i+4 <= len(all) && len(sets) < 100; i += 4 {
		sets = append(sets, NamedSet{Name: fmt.Sprintf("builtin:part-%02d", len(sets)), Examples: all[i : i+4]})
	}
	g, _ := Gate(TaskIntent, def, cand, "builtin", sets, 0.01)
	var b strings.Builder
	g.Format(&b)
	last := g.Rows[len(g.Rows)-1]
	if last.Set != PooledSet || last.N != 4*len(sets) {
		t.Fatalf("no pooled row over the %d sets:\n%s", len(sets), b.String())
	}
	alone := 0
	for _, r := range g.Rows[:len(g.Rows)-1] {
		if r.Worse {
			alone++
		}
	}
	if !last.Worse || g.Passed {
		t.Fatalf("a weaker model passed the pooled row:\n%s", b.String())
	}
	if alone > 0 {
		t.Fatalf("%d sets of 4 refused the candidate alone (p >= 1/16 cannot):\n%s", alone, b.String())
	}
	t.Logf("none of %d sets refuses alone; pooled: lost %d, won %d, p=%.4f", len(sets), last.Lost, last.Won, last.P)
}
