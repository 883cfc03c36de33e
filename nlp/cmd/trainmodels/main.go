// Command trainmodels trains the default intent and sentiment models from
// the training sets in nlp/train and writes them to nlp/models, where the
// nlp package embeds them. Training is deterministic: rerunning it on the
// same data gives byte-identical files. Run from the module root:
//
//	go run ./nlp/cmd/trainmodels
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/convintel/convintel/nlp"
)

func main() {
	trainDir := flag.String("train", "nlp/train", "directory with intent_train.csv and sentiment_train.csv")
	out := flag.String("out", "nlp/models", "directory the models are written to")
	devDir := flag.String("dev", "testdata/nlp", "directory with intent_dev.csv and sentiment_dev.csv, for the report only (never trained on)")
	flag.Parse()
	for _, task := range []string{nlp.TaskIntent, nlp.TaskSentiment} {
		ex, err := nlp.ReadLabelsFile(filepath.Join(*trainDir, task+"_train.csv"))
		if err != nil {
			log.Fatal(err)
		}
		c, err := nlp.Train(task, ex, nlp.TrainOptions{})
		if err != nil {
			log.Fatalf("%s: %v", task, err)
		}
		if err := c.Save(*out); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: trained on %d examples, %d labels -> %s\n", task, len(ex), len(c.Labels), filepath.Join(*out, task+".model"))
		dev, err := nlp.ReadLabelsFile(filepath.Join(*devDir, task+"_dev.csv"))
		if err != nil {
			log.Printf("no dev report: %v", err)
			continue
		}
		ev := nlp.Evaluate(c, dev)
		ev.Format(os.Stdout)
		if os.Getenv("TRAINMODELS_ERRORS") != "" {
			ev.FormatErrors(os.Stdout, 1000)
		}
		fmt.Println()
	}
}
