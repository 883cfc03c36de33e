package ingest

import (
	"testing"

	"github.com/convintel/convintel/nlp"
)

// The enricher reads a customer message in its conversation: the same words
// mean delivery_time before an order and order_status once the conversation
// references one; 「没有了」 after 「还有其他问题吗」 closes the conversation.
func TestNLPEnricherUsesConversationContext(t *testing.T) {
	m, err := nlp.Default()
	if err != nil {
		t.Fatal(err)
	}
	enrich := NLPEnricher(m, false)
	msg := func(conv, sender, text, order string) *Event {
		e := &Event{Type: TypeMessage, ConversationID: conv, Sender: sender, Text: text, OrderID: order}
		enrich(e)
		return e
	}
	if got := msg("c1", SenderCustomer, "什么时候能到", "").Intent; got != "delivery_time" {
		t.Errorf("before any order: %s, want delivery_time", got)
	}
	msg("c2", SenderCustomer, "[订单x]", "2024050112345")
	if got := msg("c2", SenderCustomer, "什么时候能到", "").Intent; got != "order_status" {
		t.Errorf("after an order was referenced: %s, want order_status", got)
	}
	msg("c3", SenderAgent, "已经为您处理好了，请问还有其他问题吗", "")
	if got := msg("c3", SenderCustomer, "没有了", "").Intent; got != "thanks_bye" {
		t.Errorf("after 还有其他问题吗: %s, want thanks_bye", got)
	}
	// state is per conversation
	if got := msg("c4", SenderCustomer, "什么时候能到", "").Intent; got != "delivery_time" {
		t.Errorf("another conversation: %s, want delivery_time", got)
	}
	// the kept reply is a copy, bounded, starting at a rune boundary
	if s := tail("一二三四五六七八九十", 7); s != "九十" {
		t.Errorf("tail = %q", s)
	}
}
