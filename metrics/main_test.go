package metrics

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/convintel/convintel/ingest"
	"github.com/convintel/convintel/nlp"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// enricher runs the project's NLP on customer messages, the way ingest
// does; a fixture may pin a message's sentiment with "x_sentiment" so the
// expected values do not depend on model weights.
func enricher(t testing.TB) ingest.Enricher {
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	return func(e *ingest.Event) {
		if e.Sender != ingest.SenderCustomer {
			return
		}
		a := m.Analyze(e.Text, e.Intent, e.IntentConfidence)
		e.Text = a.MaskedText
		e.Intent = a.Intent
		label := a.SentimentLabel
		if e.Extra != "" {
			var x struct {
				Sentiment string `json:"x_sentiment"`
			}
			if json.Unmarshal([]byte(e.Extra), &x) == nil && x.Sentiment != "" {
				label = x.Sentiment
			}
		}
		e.Enrichment = ingest.Enrichment{IntentSource: a.IntentSource, Topics: a.Topics, SentimentScore: a.SentimentScore,
			SentimentLabel: label, Signature: a.Signature}
	}
}

// loadLines decodes, enriches and stores events through the ingest writer.
func loadLines(t testing.TB, conn warehouse.Conn, lines func(emit func([]byte) error) error, enrich ingest.Enricher) int {
	t.Helper()
	w := ingest.NewWriter(conn, nil, nil)
	dec := ingest.NewDecoder()
	rows := new(ingest.Rows)
	now := time.Now()
	n := 0
	flush := func() {
		if rows.Len() == 0 {
			return
		}
		if err := w.Write(context.Background(), rows); err != nil {
			t.Fatalf("write events: %v", err)
		}
		rows.Reset()
	}
	err := lines(func(b []byte) error {
		var e ingest.Event
		if err := dec.Decode(b, &e); err != nil {
			t.Fatalf("decode %s: %v", b, err)
		}
		if e.Type == ingest.TypeMessage && enrich != nil {
			enrich(&e)
		}
		rows.Add(&e, now)
		n++
		if rows.Len() >= 50000 {
			flush()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	flush()
	return n
}

func loadFile(t testing.TB, conn warehouse.Conn, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	loadLines(t, conn, func(emit func([]byte) error) error {
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if len(sc.Bytes()) == 0 {
				continue
			}
			if err := emit(sc.Bytes()); err != nil {
				return err
			}
		}
		return sc.Err()
	}, enricher(t))
}
