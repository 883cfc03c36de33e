package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

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
func newNLPCmd(cfg nlpLoopConfig) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "nlp",
		Short: "Train, evaluate and try the message enrichment models (intent, sentiment)",
	}
	cmd.AddCommand(newNLPSampleCmd(cfg), newNLPTrainCmd(cfg), newNLPModelsCmd(cfg), newNLPEvalCmd(cfg), newNLPPredictCmd(cfg))
	return cmd
}

func newNLPEvalCmd(cfg nlpConfig) *cobra.Command {
	var task, labels string
	var errorsN int
	cmd := &cobra.Command{
		Use:   "eval --task intent|sentiment --labels FILE.csv",
		Short: "Print accuracy, macro-F1 and the confusion matrix of the active model on labelled data",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := loadActiveModel(cfg)
			if err != nil {
				return err
			}
			c := m.Classifier(task)
			if c == nil {
				return fmt.Errorf("unknown task %q (want %s or %s)", task, nlp.TaskIntent, nlp.TaskSentiment)
			}
			ex, err := nlp.ReadLabelsFile(labels)
			if err != nil {
				return err
			}
			ev := nlp.Evaluate(c, ex)
			ev.Format(cmd.OutOrStdout())
			if errorsN > 0 && len(ev.Errors) > 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "\nmisclassified:")
				ev.FormatErrors(cmd.OutOrStdout(), errorsN)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&task, "task", "", "intent or sentiment")
	cmd.Flags().StringVar(&labels, "labels", "", "CSV file with header text,label")
	cmd.Flags().IntVar(&errorsN, "errors", 0, "also print up to this many misclassified examples")
	cmd.MarkFlagRequired("task")
	cmd.MarkFlagRequired("labels")
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
		Args:  cobra.MaximumNArgs(1),
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
