package nlp

import (
	"fmt"
	"os"
	"regexp"
	"testing"
)

func TestZZScan(t *testing.T) {
	dir := os.Getenv("CONVINTEL_NLP_DATA")
	re := regexp.MustCompile(os.Getenv("ZZ_RE"))
	labels, _ := embeddedTrain.ReadFile("train/jddc_intent_labels.csv")
	ex, _, err := loadJDDC(dir, labels, "x")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ex {
		if re.MatchString(e.Text) {
			fmt.Printf("%s\t%s\n", e.Label, e.Text)
		}
	}
}
