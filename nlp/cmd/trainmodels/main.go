// Command trainmodels trains the default intent and sentiment models and
// writes them to nlp/models, where the nlp package embeds them, with
// nlp/models/scores.json: their figures on the held-out sets, which
// TestHeldOutScores holds them to. Training is deterministic: rerunning it
// on the same data gives byte-identical files. Run from the module root:
//
//	go run ./nlp/cmd/trainmodels -data ../shared/nlp-data
//
// The data directory holds the public corpora the repository may not carry
// (JDDC chat text, ChnSentiCorp, hotel and waimai reviews); see docs/nlp.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/convintel/convintel/nlp"
)

func main() {
	data := flag.String("data", nlp.DefaultDataDir(), "directory with the public corpora (jddc_sample_chat.txt, chnsenticorp_*.tsv, waimai_10k.csv, …)")
	out := flag.String("out", "nlp/models", "directory the models and scores.json are written to")
	devDir := flag.String("dev", "nlp/testdata", "directory with the earlier dev sets intent_dev.csv and sentiment_dev.csv (reported, never trained on)")
	vendor := flag.Bool("vendor-bitext", false, "regenerate nlp/train/bitext_intent.csv from the data directory's Bitext CSV, then exit")
	errs := flag.Int("errors", 0, "print up to this many misclassified examples per set")
	flag.Parse()
	if *data == "" {
		log.Fatal("no data directory: pass -data DIR (the folder holding the public corpora, e.g. ../shared/nlp-data)")
	}
	if *vendor {
		b, n, err := nlp.VendorBitext(*data)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile("nlp/train/bitext_intent.csv", b, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("nlp/train/bitext_intent.csv: %d rows\n", n)
		return
	}
	var models []*nlp.Classifier
	var crossScore nlp.SetScore
	for _, task := range []string{nlp.TaskIntent, nlp.TaskSentiment} {
		c, err := nlp.BaseCorpus(task, *data)
		if err != nil {
			log.Fatal(err)
		}
		cl, err := nlp.TrainCorpus(c, nlp.TrainOptions{})
		if err != nil {
			log.Fatalf("%s: %v", task, err)
		}
		if err := cl.Save(*out); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: trained on %d examples, %d labels -> %s\n", task, len(c.Examples), len(cl.Labels), filepath.Join(*out, task+".model"))
		for _, s := range c.Sources {
			fmt.Printf("  %s\n", s)
		}
		models = append(models, cl)
	}
	m, err := nlp.Load(*out, "")
	if err != nil {
		log.Fatal(err)
	}
	sets := nlp.HeldOutSets("", *data)
	evs, scores := nlp.EvaluateSets(m, sets)
	for _, s := range sets {
		if s.Missing != nil {
			log.Fatalf("held-out set %s: %v", s.Key(), s.Missing)
		}
		fmt.Printf("\n== held-out %s (%s)\n", s.Key(), s.Source)
		evs[s.Key()].Format(os.Stdout)
		if *errs > 0 {
			evs[s.Key()].FormatErrors(os.Stdout, *errs)
		}
	}
	// The cross-domain figure: a sentiment model that has read no laptop
	// review, scored on the same held-out laptop reviews (not embedded, not
	// gated; docs/nlp.md keeps it beside the embedded model's).
	cross, err := nlp.CrossDomainSentimentCorpus(*data)
	if err != nil {
		log.Fatal(err)
	}
	crossCl, err := nlp.TrainCorpus(cross, nlp.TrainOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sets {
		if s.Task == nlp.TaskSentiment && s.Name == "laptop" {
			ev := nlp.Evaluate(crossCl, s.Examples)
			fmt.Printf("\n== held-out %s, cross-domain model (trained on %d examples, no laptop review; not embedded)\n", s.Key(), len(cross.Examples))
			ev.Format(os.Stdout)
			crossScore = nlp.SetScore{N: ev.N, Accuracy: nlp.Round4(ev.Accuracy), MacroF1: nlp.Round4(ev.MacroF1)}
		}
	}
	for _, task := range []string{nlp.TaskIntent, nlp.TaskSentiment} {
		dev, err := nlp.ReadLabelsFile(filepath.Join(*devDir, task+"_dev.csv"))
		if err != nil {
			log.Printf("no dev report: %v", err)
			continue
		}
		ev := nlp.Evaluate(m.Classifier(task), dev)
		fmt.Printf("\n== dev %s (nlp/testdata, looked at while developing)\n", task)
		ev.Format(os.Stdout)
		scores[task+"/dev"] = nlp.SetScore{N: ev.N, Accuracy: nlp.Round4(ev.Accuracy), MacroF1: nlp.Round4(ev.MacroF1)}
	}
	b, err := json.MarshalIndent(scores, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "scores.json"), append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	for _, k := range scores.Keys() {
		fmt.Printf("%-24s n=%-5d accuracy %.4f macro-F1 %.4f\n", k, scores[k].N, scores[k].Accuracy, scores[k].MacroF1)
	}
	fmt.Printf("%-24s n=%-5d accuracy %.4f macro-F1 %.4f (cross-domain model, not embedded)\n", "sentiment/laptop", crossScore.N, crossScore.Accuracy, crossScore.MacroF1)
	_ = models
}
