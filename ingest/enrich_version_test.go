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
	if got := r.Messages.nlpModel.at(0); got != "v0042" {
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

// The enricher reads the context an event carries (its order id) and
// nothing it remembers: the same event gives the same labels whatever was
// enriched before it, and an order id on the message changes how
// 「什么时候到」 is read.
func TestEnrichmentContextIsTheEventOwn(t *testing.T) {
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	enrich := NLPEnricher(m, false)
	const text = "什么时候能到啊"
	fresh := func(order string) Event {
		e := Event{EventID: "e", Type: TypeMessage, ConversationID: "c1", Sender: SenderCustomer, Text: text, OrderID: order}
		enrich(&e)
		return e
	}
	alone, withOrder := fresh(""), fresh("O-1001")
	if alone.Intent != "delivery_time" || withOrder.Intent != "order_status" {
		t.Fatalf("without order id %s, with %s; want delivery_time, order_status", alone.Intent, withOrder.Intent)
	}
	// Earlier events of the conversation (an order, a reply) change nothing.
	for _, ev := range []Event{
		{EventID: "a", Type: TypeMessage, ConversationID: "c1", Sender: SenderCustomer, Text: "[订单x] 订单号 O-1001", OrderID: "O-1001"},
		{EventID: "b", Type: TypeMessage, ConversationID: "c1", Sender: "agent", Text: "请问还有其他问题吗"},
	} {
		enrich(&ev)
	}
	if again := fresh(""); again.Intent != alone.Intent || again.IntentConfidence != alone.IntentConfidence {
		t.Fatalf("after other events of the conversation: %s %.4f, before %s %.4f", again.Intent, again.IntentConfidence, alone.Intent, alone.IntentConfidence)
	}
}
