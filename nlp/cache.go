package nlp

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Cache remembers the Analysis of short messages by their exact text, so a
// message that chat repeats (在吗, 好的, 包邮吗, 谢谢) is analysed once.
// The result is the same as Model.AnalyzeInContext's: an Analysis depends
// on the text, on whether an upstream intent was given (its label and
// confidence are put back on each hit) and, without one, on
// Context.OrderReferenced; the key holds exactly those. Messages with a
// PrevReply context, and texts longer than CacheMaxTextBytes (rarely
// repeated), bypass the cache.
//
// It is bounded: each of its shards keeps two generations of at most
// entries/(2·shards) texts; when the current one is full it becomes the old
// one and the old one is dropped, and a hit in the old generation is moved
// to the current one. Safe for concurrent use. The cache keeps
// message text as keys in memory only, never written anywhere, and never
// a text that may carry personal data (see mayHoldPII): those are
// analysed and masked each time. A Cache serves one Model: a new
// model (ingest's model swap) gets a new cache.
type Cache struct {
	m      *Model
	seed   maphash.Seed
	shards [cacheShards]cacheShard
	limit  int // entries per generation per shard
}

// CacheMaxTextBytes: longer texts are analysed without the cache. Chat
// repeats short messages; 64 bytes is 21 Chinese characters.
const CacheMaxTextBytes = 64

// DefaultCacheEntries is the bound ingest uses: at most 32,768 texts of
// ≤ 64 bytes, a few MB of heap.
const DefaultCacheEntries = 1 << 15

const cacheShards = 8

type cacheKey struct {
	text  string
	flags uint8 // cacheUpstream | cacheOrder
}

const (
	cacheUpstream = 1 << iota // an upstream intent was given (the model's intent is not computed)
	cacheOrder                // Context.OrderReferenced, without an upstream intent
)

type cacheShard struct {
	mu           sync.Mutex
	cur, old     map[cacheKey]*Analysis
	hits, misses uint64
	_            [40]byte // keep shards on separate cache lines
}

// NewCache returns a cache of at most entries Analyses of m (entries ≤ 0:
// DefaultCacheEntries).
func NewCache(m *Model, entries int) *Cache {
	if entries <= 0 {
		entries = DefaultCacheEntries
	}
	c := &Cache{m: m, seed: maphash.MakeSeed(), limit: max(1, entries/(2*cacheShards))}
	for i := range c.shards {
		c.shards[i].cur = make(map[cacheKey]*Analysis)
	}
	return c
}

// Model returns the model the cache serves.
func (c *Cache) Model() *Model { return c.m }

// AnalyzeInContext is Model.AnalyzeInContext through the cache. The
// returned Topics slice may be shared with other results: do not modify it.
func (c *Cache) AnalyzeInContext(text string, ctx Context, upstreamIntent string, upstreamConfidence float32) Analysis {
	if len(text) > CacheMaxTextBytes || ctx.PrevReply != "" || mayHoldPII(text) {
		return c.m.AnalyzeInContext(text, ctx, upstreamIntent, upstreamConfidence)
	}
	k := cacheKey{text: text}
	if upstreamIntent != "" {
		k.flags = cacheUpstream
	} else if ctx.OrderReferenced {
		k.flags = cacheOrder
	}
	s := &c.shards[maphash.String(c.seed, text)%cacheShards]
	s.mu.Lock()
	a, ok := s.cur[k]
	if !ok {
		if a, ok = s.old[k]; ok {
			s.put(k, a, c.limit)
		}
	}
	if ok {
		s.hits++
	} else {
		s.misses++
	}
	s.mu.Unlock()
	if ok {
		r := *a
		if upstreamIntent != "" {
			r.Intent, r.IntentSource, r.IntentConfidence = CanonicalIntent(upstreamIntent), SourceUpstream, upstreamConfidence
		}
		return r
	}
	r := c.m.AnalyzeInContext(text, ctx, upstreamIntent, upstreamConfidence)
	// The text may live in a buffer the caller reuses (ingest decodes into
	// an arena), and MaskedText is the text itself when nothing was
	// masked: keep copies.
	k.text = strings.Clone(text)
	kept := r
	if kept.MaskedText == text {
		kept.MaskedText = k.text
	} else {
		kept.MaskedText = strings.Clone(kept.MaskedText)
	}
	s.mu.Lock()
	s.put(k, &kept, c.limit)
	s.mu.Unlock()
	return r
}

// mayHoldPII says whether text has a character personal data is written
// with: an ASCII or full-width digit, or an at sign.
func mayHoldPII(text string) bool {
	return strings.ContainsFunc(text, func(r rune) bool {
		return r >= '0' && r <= '9' || r >= '０' && r <= '９' || r == '@' || r == '＠'
	})
}

// put stores a in the current generation, turning it into the old one
// first when it is full. s.mu is held.
func (s *cacheShard) put(k cacheKey, a *Analysis, limit int) {
	if len(s.cur) >= limit {
		s.old, s.cur = s.cur, make(map[cacheKey]*Analysis, limit)
	}
	s.cur[k] = a
}

// CacheStats counts lookups: a hit returned a stored Analysis; a miss
// analysed the text. Texts that bypass the cache are not counted.
type CacheStats struct {
	Hits, Misses uint64
	Entries      int
}

// HitRate is Hits / (Hits + Misses), 0 when nothing was looked up.
func (s CacheStats) HitRate() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}

// Stats returns the counts so far.
func (c *Cache) Stats() CacheStats {
	var st CacheStats
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.Hits += s.hits
		st.Misses += s.misses
		st.Entries += len(s.cur) + len(s.old)
		s.mu.Unlock()
	}
	return st
}
