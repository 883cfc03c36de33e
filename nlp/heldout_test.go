package nlp

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeldOutScores is the accuracy gate: the embedded models must not fall
// more than one point (accuracy or macro-F1) below the figures recorded in
// models/scores.json when they were trained. The sets whose text lives in
// the data directory (JDDC chats, ChnSentiCorp laptop reviews) are checked
// when it is found (CONVINTEL_NLP_DATA or ../shared/nlp-data); the sets in
// the repository always are.
func TestHeldOutScores(t *testing.T) {
	rec, err := RecordedScores()
	if err != nil {
		t.Fatal(err)
	}
	m := testModel(t)
	sets := HeldOutSets("", DefaultDataDir())
	for _, task := range []string{TaskIntent, TaskSentiment} {
		sets = append(sets, EvalSet{Name: "dev", Task: task, Examples: readDev(t, task+"_dev.csv")})
	}
	evs, got := EvaluateSets(m, sets)
	checked := 0
	for _, s := range sets {
		if s.Missing != nil {
			t.Logf("%s not checked: %v", s.Key(), s.Missing)
			continue
		}
		want, ok := rec[s.Key()]
		if !ok {
			t.Errorf("%s: no recorded figures in models/scores.json (run go run ./nlp/cmd/trainmodels)", s.Key())
			continue
		}
		g := got[s.Key()]
		t.Logf("%-22s n=%-5d accuracy %.4f (recorded %.4f) macro-F1 %.4f (recorded %.4f)", s.Key(), g.N, g.Accuracy, want.Accuracy, g.MacroF1, want.MacroF1)
		if g.N != want.N {
			t.Errorf("%s: %d examples, recorded %d: the set changed; retrain (go run ./nlp/cmd/trainmodels) to record new figures", s.Key(), g.N, want.N)
		}
		if g.Accuracy < want.Accuracy-0.01 || g.MacroF1 < want.MacroF1-0.01 {
			var b strings.Builder
			evs[s.Key()].FormatErrors(&b, 20)
			t.Errorf("%s: accuracy %.4f / macro-F1 %.4f fell more than one point below the recorded %.4f / %.4f; errors:\n%s",
				s.Key(), g.Accuracy, g.MacroF1, want.Accuracy, want.MacroF1, b.String())
		}
		checked++
	}
	if checked < 4 {
		t.Fatalf("only %d sets checked", checked)
	}
}

// TestHeldOutNeverTrainedOn: no held-out text is in the base training
// data, and the JDDC training and held-out labels name disjoint sessions.
func TestHeldOutNeverTrainedOn(t *testing.T) {
	dir := DefaultDataDir()
	for _, task := range []string{TaskIntent, TaskSentiment} {
		c, err := BaseCorpus(task, dir)
		if err != nil {
			t.Fatal(err)
		}
		train := map[string]bool{}
		for _, e := range c.Examples {
			train[e.Text] = true
		}
		for _, s := range HeldOutSets(task, dir) {
			if s.Missing != nil {
				continue
			}
			n := 0
			for _, e := range s.Examples {
				if train[e.Text] {
					n++
					if n <= 5 {
						t.Logf("%s: %q is also a training text", s.Key(), e.Text)
					}
				}
			}
			// Real chats repeat short turns (「好的」, 「没有了」) across
			// sessions; a split by session cannot avoid those, so only
			// turns longer than a few characters must be new.
			if strings.HasPrefix(s.Name, "jddc-heldout") {
				n = 0
				for _, e := range s.Examples {
					if train[e.Text] && len([]rune(e.Text)) > 12 && !strings.Contains(e.Text, "订单") {
						n++
						t.Errorf("%s: long turn %q is also a training text", s.Key(), e.Text)
					}
				}
				continue
			}
			if n > 0 {
				t.Errorf("%s: %d held-out texts are in the %s training data", s.Key(), n, task)
			}
		}
	}
	sessions := func(path string) map[string]bool {
		b, err := embeddedTrain.ReadFile(path)
		if err != nil {
			b, err = embeddedHeldOut.ReadFile(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		ls, err := ReadJDDCLabels(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, l := range ls {
			m[l.Session] = true
		}
		return m
	}
	tr, ho := sessions("train/jddc_intent_labels.csv"), sessions("heldout/jddc_intent_heldout.csv")
	for s := range ho {
		if tr[s] {
			t.Errorf("JDDC session %s is in both the training and the held-out labels", s)
		}
	}
	if len(tr) < 350 || len(ho) < 60 {
		t.Errorf("JDDC sessions: %d training, %d held out", len(tr), len(ho))
	}
}

// TestEmbeddedModelsAreReproducible retrains both models from the base
// corpus and compares the bytes with the embedded files.
func TestEmbeddedModelsAreReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("retrains both models")
	}
	dir := DefaultDataDir()
	if dir == "" {
		t.Skip("no data directory (CONVINTEL_NLP_DATA or ../shared/nlp-data): the base corpus needs it")
	}
	for _, task := range []string{TaskIntent, TaskSentiment} {
		c, err := BaseCorpus(task, dir)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := TrainCorpus(c, TrainOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := cl.Write(&b); err != nil {
			t.Fatal(err)
		}
		want, err := embeddedModels.ReadFile("models/" + task + ".model")
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Fatalf("embedded %s model is not what the base corpus produces: run go run ./nlp/cmd/trainmodels", task)
		}
	}
}

func TestJDDCContext(t *testing.T) {
	turns := []Turn{
		{Session: "a", Index: 0, Text: "你好"},
		{Session: "a", Index: 1, Agent: true, Text: "您好，有什么可以帮您"},
		{Session: "a", Index: 2, Text: "[订单x] 什么时候到"},
		{Session: "a", Index: 3, Agent: true, Text: "预计明天送达，请问还有其他问题吗"},
		{Session: "a", Index: 4, Text: "没有了"},
		{Session: "b", Index: 0, Text: "多久能到"},
	}
	ex, err := JDDCExamples(turns, []JDDCLabel{{"a", 0, "greeting"}, {"a", 2, "order_status"}, {"a", 4, "thanks_bye"}, {"b", 0, "delivery_time"}})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(ex[0].Context, ex[1].Context.OrderReferenced, ex[2].Context, ex[3].Context)
	want := fmt.Sprint(Context{}, true, Context{OrderReferenced: true, PrevReply: "预计明天送达，请问还有其他问题吗"}, Context{})
	if got != want {
		t.Fatalf("contexts %s, want %s", got, want)
	}
	if _, err := JDDCExamples(turns, []JDDCLabel{{"a", 1, "other"}}); err == nil {
		t.Fatal("want an error for a label naming an agent turn")
	}
}

func TestDefaultDataDirFromEnv(t *testing.T) {
	t.Setenv("CONVINTEL_NLP_DATA", filepath.Join("x", "y"))
	if got := DefaultDataDir(); got != filepath.Join("x", "y") {
		t.Fatalf("DefaultDataDir = %q", got)
	}
}
