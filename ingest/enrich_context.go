package ingest

import (
	"hash/maphash"
	"sync"
	"unicode/utf8"

	"github.com/convintel/convintel/nlp"
)

// convContexts remembers, per conversation, what the NLP needs to read a
// customer message in context (nlp.Context): whether a message of the
// conversation carried an order id, and the tail of the last bot or agent
// message. Enrichment runs on several decode workers at once, so the state
// is sharded under mutexes; it is bounded by dropping a shard when it grows
// past shardCap conversations (a conversation lasts minutes, a shard holds
// thousands, so only long-idle ones are lost, and losing one only means
// reading its next message without context).
type convContexts struct {
	seed   maphash.Seed
	shards [convShards]convShard
}

const (
	convShards = 64
	shardCap   = 8192
	// replyTail bytes of the previous reply are kept: the model reads only
	// its last dozen characters (the question it ends on).
	replyTail = 96
)

type convShard struct {
	mu sync.Mutex
	m  map[string]*convState
}

type convState struct {
	orderRef bool
	reply    string
}

func newConvContexts() *convContexts {
	return &convContexts{seed: maphash.MakeSeed()}
}

func (cc *convContexts) shard(conv string) *convShard {
	return &cc.shards[maphash.String(cc.seed, conv)%convShards]
}

// observe updates the conversation's state with message e and returns the
// context for e (the state before a bot/agent reply, including e's own
// order id).
func (cc *convContexts) observe(e *Event) nlp.Context {
	if e.ConversationID == "" {
		return nlp.Context{OrderReferenced: e.OrderID != ""}
	}
	s := cc.shard(e.ConversationID)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.m[e.ConversationID]
	if st == nil {
		if s.m == nil || len(s.m) >= shardCap {
			s.m = make(map[string]*convState, 256)
		}
		st = &convState{}
		// the key must not alias the decoder's arena, which is reused
		s.m[string([]byte(e.ConversationID))] = st
	}
	if e.OrderID != "" {
		st.orderRef = true
	}
	ctx := nlp.Context{OrderReferenced: st.orderRef, PrevReply: st.reply}
	if e.Sender != SenderCustomer {
		st.reply = tail(e.Text, replyTail)
	}
	return ctx
}

// tail returns a copy of the last n bytes of s, starting at a rune boundary.
func tail(s string, n int) string {
	if len(s) > n {
		s = s[len(s)-n:]
		for len(s) > 0 && !utf8.RuneStart(s[0]) {
			s = s[1:]
		}
	}
	return string([]byte(s))
}
