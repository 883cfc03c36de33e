package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type nlpTestConfig struct{ dir string }

func (c nlpTestConfig) NLPModelDir() string   { return c.dir }
func (c nlpTestConfig) NLPTopicsFile() string { return "" }

func runNLP(t *testing.T, cfg nlpConfig, args ...string) string {
	t.Helper()
	cmd := newNLPEvalCmd(cfg)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("nlp %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// `nlp eval` without --labels reports every built-in held-out set with its
// per-label scores and confusions and a summary beside the recorded figures
// (sets whose text is in the data directory are skipped with a note when it
// is absent); with --labels it scores that file.
func TestNLPEvalHeldOut(t *testing.T) {
	for _, k := range os.Environ() {
		if strings.HasPrefix(k, "CONVINTEL_") && !strings.HasPrefix(k, "CONVINTEL_NLP_DATA=") {
			t.Setenv(strings.SplitN(k, "=", 2)[0], "")
		}
	}
	out := runNLP(t, nlpTestConfig{}, "--task", "intent", "--data", t.TempDir())
	for _, want := range []string{"== intent/colloquial", "recall", "top confusions", "intent/colloquial", "skipped:"} {
		if !strings.Contains(out, want) {
			t.Fatalf("eval output lacks %q:\n%s", want, out)
		}
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "labels.csv")
	os.WriteFile(csv, []byte("text,label\n发货了吗,order_status\n快递到哪了,order_status\n包邮吗,shipping_fee\n运费多少,shipping_fee\n"), 0o644)
	out = runNLP(t, nlpTestConfig{}, "--task", "intent", "--labels", csv)
	if !strings.Contains(out, "task intent: 4 examples, accuracy 1.0000") {
		t.Fatalf("eval on a labels file:\n%s", out)
	}
}

// TestNLPEvalLabelAliases: a file labelled in a person's own words (退款,
// refund_request; a review corpus' 1 and 0) is scored on the labels they
// mean, as the labelling loop reads them; a label the model cannot give is
// named in a warning instead of silently counting its rows as errors.
func TestNLPEvalLabelAliases(t *testing.T) {
	for _, k := range os.Environ() {
		if strings.HasPrefix(k, "CONVINTEL_") {
			t.Setenv(strings.SplitN(k, "=", 2)[0], "")
		}
	}
	dir := t.TempDir()
	intent := filepath.Join(dir, "intent.csv")
	os.WriteFile(intent, []byte("\ufefftext,label\r\n发货了吗,订单状态\r\n包邮吗,包邮\r\n运费多少,Shipping-Cost\r\n"), 0o644)
	out := runNLP(t, nlpTestConfig{}, "--task", "intent", "--labels", intent)
	if !strings.Contains(out, "task intent: 3 examples, accuracy 1.0000") || strings.Contains(out, "warning") {
		t.Fatalf("intent aliases:\n%s", out)
	}
	reviews := filepath.Join(dir, "reviews.csv")
	os.WriteFile(reviews, []byte("text,label\n质量很好 非常满意,1\n太差了 再也不买了,0\n一般般吧,3\n"), 0o644)
	out = runNLP(t, nlpTestConfig{}, "--task", "sentiment", "--labels", reviews)
	if !strings.Contains(out, `warning: `+reviews+`: labels the model cannot give, each row counted as an error: "3" ×1`) {
		t.Fatalf("no warning for the unknown label:\n%s", out)
	}
	if !strings.Contains(out, "task sentiment: 3 examples, accuracy 0.6667") {
		t.Fatalf("1 and 0 not read as positive and negative:\n%s", out)
	}
}
