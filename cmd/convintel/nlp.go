package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/nlp"
)

// nlpConfig is what the nlp commands need from the application config:
// the directory trained models are saved to and loaded from ("" = only the
// embedded models) and an optional topics YAML file.
type nlpConfig interface {
	NLPModelDir() string
	NLPTopicsFile() string
}

// newNLPCmd builds `convintel nlp sample|train|models|eval|predict`.
func newNLPCmd(cfg nlpConfig) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nlp",
		Short: "Train, evaluate and try the message enrichment models (intent, sentiment)",
		Long: `Every customer message is enriched on the way in with an intent, product
topics and a sentiment score by the active model (the embedded one until
you train your own). The labelling loop that adapts it to a shop:

  nlp sample   draw a small sample of stored messages into a CSV to label
  nlp train    retrain with the labelled CSV; the new version goes live only
               if it is not worse on the held-out sets
  nlp models   list, activate or roll back the versions
  nlp eval     measure the active model; nlp predict tries it on text

docs/nlp.md has the models, the label taxonomy and the measured accuracy.`,
		Example: `  echo "这个奶粉保质期多久" | convintel nlp predict
  convintel nlp sample --from 2026-12-01 --to 2026-12-01 --out labels-1201.csv
  convintel nlp train --labels labels-1201.csv
  convintel nlp models list`,
	}
	cmd.AddCommand(newNLPTrainCmd(cfg), newNLPEvalCmd(cfg), newNLPPredictCmd(cfg))
	addNLPLoopCmds(cmd, cfg)
	return cmd
}

func newNLPEvalCmd(cfg nlpConfig) *cobra.Command {
	var task, labels, data string
	var errorsN int
	cmd := &cobra.Command{
		Use:   "eval [--task intent|sentiment] [--labels FILE.csv] [--data DIR]",
		Short: "Print accuracy, macro-F1, per-label recall and confusions of the active models",
		Long: `Measure the active models (the model dir's, else the embedded ones).

Without --labels: every built-in held-out set (never trained on), each with
accuracy, macro-F1, per-label precision/recall, the most frequent confusions
and the confusion matrix, then a summary beside the figures recorded for the
embedded models. Sets whose text is not in the repository (JDDC chats,
ChnSentiCorp laptop reviews) are read from --data (default
$CONVINTEL_NLP_DATA or ../shared/nlp-data) and skipped, with a note, when
it is absent.

With --labels FILE.csv (header text,label; review or content for the text
and intent or sentiment for the label are read too, and tabs for commas):
that file, for --task. Optional columns give each row the context it is
read in: order_referenced (1/0, the conversation references an order, as
nlp sample records it) and prev_reply
(the last bot or agent message). Labels may be the taxonomy's or a known
alias of one, as nlp train reads them (退款 or refund_request for refund;
1/0, pos/neg, 好评/差评 for a review's sentiment); a label the model cannot
give is named in a warning, and its rows count as errors.

A sentiment set labelled only positive and negative (star-rated reviews) is
read on the sign of the sentiment score, P(positive) - P(negative), the
score stored beside each label: which way the text leans. The stored
three-class label, which may also say neutral (no opinion voiced, as most
chat questions are), is scored beside it ("the stored three-class label
agrees on ...").`,
		Example: `  convintel nlp eval
  convintel nlp eval --task intent --labels labels-1201.csv --errors 20
  convintel nlp eval --task sentiment --labels reviews.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := loadActiveModel(cfg)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if labels != "" {
				c := m.Classifier(task)
				if c == nil {
					return fmt.Errorf("--labels needs --task %s or %s", nlp.TaskIntent, nlp.TaskSentiment)
				}
				ex, err := nlp.ReadLabelsFile(labels)
				if err != nil {
					return err
				}
				if unknown := nlp.CanonicalizeLabels(task, m, ex); len(unknown) > 0 {
					names := slices.Sorted(maps.Keys(unknown))
					var parts []string
					for _, l := range names {
						parts = append(parts, fmt.Sprintf("%q ×%d", l, unknown[l]))
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s: labels the model cannot give, each row counted as an error: %s (the %s labels are %s)\n",
						labels, strings.Join(parts, ", "), task, strings.Join(nlp.KnownLabels(task, m), ", "))
				}
				ev := nlp.Evaluate(c, ex)
				ev.Format(w)
				if errorsN > 0 && len(ev.Errors) > 0 {
					fmt.Fprintln(w, "\nmisclassified:")
					ev.FormatErrors(w, errorsN)
				}
				return nil
			}
			if task != "" && m.Classifier(task) == nil {
				return fmt.Errorf("unknown task %q (want %s or %s)", task, nlp.TaskIntent, nlp.TaskSentiment)
			}
			if data == "" {
				data = nlp.DefaultDataDir()
			}
			sets := nlp.HeldOutSets(task, data)
			evs, scores := nlp.EvaluateSets(m, sets)
			rec, _ := nlp.RecordedScores()
			for _, s := range sets {
				fmt.Fprintf(w, "== %s: %s\n", s.Key(), s.Source)
				if s.Missing != nil {
					fmt.Fprintf(w, "skipped: %v\n\n", s.Missing)
					continue
				}
				evs[s.Key()].Format(w)
				if errorsN > 0 {
					fmt.Fprintln(w, "\nmisclassified:")
					evs[s.Key()].FormatErrors(w, errorsN)
				}
				fmt.Fprintln(w)
			}
			width := len("held-out set")
			for _, k := range scores.Keys() {
				width = max(width, len(k))
			}
			fmt.Fprintf(w, "%-*s %6s %9s %9s   %s\n", width, "held-out set", "n", "accuracy", "macro-F1", "recorded for the embedded model")
			for _, k := range scores.Keys() {
				sc, r := scores[k], rec[k]
				fmt.Fprintf(w, "%-*s %6d %9.4f %9.4f   %.4f / %.4f\n", width, k, sc.N, sc.Accuracy, sc.MacroF1, r.Accuracy, r.MacroF1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&task, "task", "", "intent or sentiment (default: both)")
	cmd.Flags().StringVar(&labels, "labels", "", "CSV file with header text,label instead of the built-in held-out sets")
	cmd.Flags().StringVar(&data, "data", "", "directory with the public corpora (default $CONVINTEL_NLP_DATA or ../shared/nlp-data)")
	cmd.Flags().IntVar(&errorsN, "errors", 0, "also print up to this many misclassified examples per set")
	return cmd
}

type predictSentiment struct {
	Score float32 `json:"score"`
	Label string  `json:"label"`
}

type prediction struct {
	Text             string           `json:"text"`
	Intent           string           `json:"intent"`
	IntentConfidence float32          `json:"intent_confidence"`
	Topics           []string         `json:"topics"`
	Sentiment        predictSentiment `json:"sentiment"`
}

func newNLPPredictCmd(cfg nlpConfig) *cobra.Command {
	return &cobra.Command{
		Use:   "predict [FILE|-]",
		Short: "Analyse one customer message per line; print one JSON object per line (text is masked)",
		Long: `predict reads one customer message per line from FILE (or standard input,
also with -) and prints, per line, a JSON object with the masked text,
the intent and its confidence (0..1), the product topics and the sentiment
score (−1 negative .. 1 positive) with its label, as the active model
would store them.`,
		Example: `  echo "在吗 这个奶粉保质期多久" | convintel nlp predict
  convintel nlp predict messages.txt | jq -r .intent | sort | uniq -c`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := loadActiveModel(cfg)
			if err != nil {
				return err
			}
			var in io.Reader = cmd.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			return predictLines(m, in, cmd.OutOrStdout())
		},
	}
}

func predictLines(m *nlp.Model, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		a := m.Analyze(sc.Text(), "", 0)
		p := prediction{Text: a.MaskedText, Intent: a.Intent, IntentConfidence: a.IntentConfidence,
			Topics: a.Topics, Sentiment: predictSentiment{a.SentimentScore, a.SentimentLabel}}
		if p.Topics == nil {
			p.Topics = []string{}
		}
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return bw.Flush()
}
