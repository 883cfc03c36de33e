package ingest

import (
	"testing"
	"time"

	"github.com/convintel/convintel/nlp"
)

// The model version on each enriched row costs no allocation: the
// enricher allocates what Analyze does and no more, and a warmed-up Rows
// appends the message (nlp_model column included) without allocating.
func TestModelVersionCostsNoAllocation(t *testing.T) {
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	m = m.WithVersion("v0042")
	enrich := NLPEnricher(m, false)
	const text = "亲，这款保质期多久啊？还没收到货"
	e := Event{EventID: "e1", Type: TypeMessage, Sender: SenderCustomer, Text: text}
	enrich(&e)
	if e.Enrichment.Model != "v0042" {
		t.Fatalf("enriched row records model %q, want v0042", e.Enrichment.Model)
	}
	analyze := testing.AllocsPerRun(200, func() { m.Analyze(text, "", 0) })
	enriched := testing.AllocsPerRun(200, func() {
		e.Text, e.Intent, e.IntentConfidence = text, "", 0
		enrich(&e)
	})
	if enriched > analyze {
		t.Fatalf("enricher allocates %.0f per message, Analyze %.0f", enriched, analyze)
	}
	var r Rows
	now := time.Now()
	for i := 0; i < 1000; i++ {
		r.Add(&e, now)
	}
	r.Reset()
	if a := testing.AllocsPerRun(500, func() { r.Add(&e, now) }); a != 0 {
		t.Fatalf("Rows.Add allocates %.1f per message", a)
	}
	if got := r.Messages.nlpModel[0]; got != "v0042" {
		t.Fatalf("nlp_model column holds %q", got)
	}
	bot := Event{Type: TypeMessage, Sender: "bot", Text: "您好"}
	enrich(&bot)
	if bot.Enrichment.Model != "" {
		t.Fatalf("bot text records model %q; only what the model read carries a version", bot.Enrichment.Model)
	}
}

// A swapped model takes over from the next event, and the rows say so.
func TestModelHolderSwap(t *testing.T) {
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	h := NewModelHolder(m.WithVersion("v0001"), false)
	enrich := h.Enricher()
	e := Event{Type: TypeMessage, Sender: SenderCustomer, Text: "还没收到货"}
	enrich(&e)
	if e.Enrichment.Model != "v0001" {
		t.Fatalf("before the swap: %q", e.Enrichment.Model)
	}
	if prev := h.Swap(m.WithVersion("v0002")); prev != "v0001" || h.Version() != "v0002" {
		t.Fatalf("swap returned %q, holds %q", prev, h.Version())
	}
	e = Event{Type: TypeMessage, Sender: SenderCustomer, Text: "还没收到货"}
	enrich(&e)
	if e.Enrichment.Model != "v0002" {
		t.Fatalf("after the swap: %q", e.Enrichment.Model)
	}
}
