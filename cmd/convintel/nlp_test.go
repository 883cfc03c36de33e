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
