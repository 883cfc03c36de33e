package nlp

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"unsafe"
)

// The cache returns what the model returns, for every combination of
// upstream intent and order context, after evictions too, and keeps its own
// copies of texts that live in a buffer the caller reuses.
func TestCacheIsTheModel(t *testing.T) {
	m := testModel(t)
	texts := append([]string{"", "好的", "在吗", "包邮吗", "什么时候到", "我的电话13812345678", "質量太差了",
		"亲，在吗？这款衣服有没有XL码的，还有，这个衣服会不会掉色，洗了以后缩不缩水啊，急"}, benchMessages...)
	c := NewCache(m, 2*cacheShards*4) // 4 per generation per shard: evicts
	buf := make([]byte, 0, 256)
	for round := 0; round < 3; round++ {
		for _, text := range texts {
			for _, up := range []string{"", "Refund-Request"} {
				for _, order := range []bool{false, true} {
					want := m.AnalyzeInContext(text, Context{OrderReferenced: order}, up, 0.7)
					// The caller's text in a reused buffer, overwritten after the call.
					buf = append(buf[:0], text...)
					var s string
					if len(buf) > 0 {
						s = unsafe.String(&buf[0], len(buf))
					}
					got := c.AnalyzeInContext(s, Context{OrderReferenced: order}, up, 0.7)
					got.MaskedText = string([]byte(got.MaskedText)) // compare by value, before the overwrite
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("round %d %q upstream %q order %v:\n got %+v\nwant %+v", round, text, up, order, got, want)
					}
					for i := range buf {
						buf[i] = 'x'
					}
				}
			}
		}
	}
	// What the cache kept is intact after the buffer was overwritten.
	for _, text := range texts {
		want := m.AnalyzeInContext(text, Context{}, "", 0)
		if got := c.AnalyzeInContext(text, Context{}, "", 0); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q after overwrite:\n got %+v\nwant %+v", text, got, want)
		}
	}
	st := c.Stats()
	if st.Hits == 0 || st.Misses == 0 || st.Entries > 2*cacheShards*4 {
		t.Fatalf("stats %+v: want hits, misses and at most %d entries", st, 2*cacheShards*4)
	}
	// A previous reply in the context bypasses the cache.
	before := c.Stats()
	c.AnalyzeInContext("好的", Context{PrevReply: "还有其他问题吗"}, "", 0)
	if c.Stats() != before {
		t.Fatal("a message with a previous reply was looked up")
	}
}

// TestCacheHitRate measures how often the buyer turns of the real JDDC
// sample repeat an earlier turn's exact text: the cache's hit rate on real
// chat (docs/nlp.md). It needs the data directory.
func TestCacheHitRate(t *testing.T) {
	dir := DefaultDataDir()
	if dir == "" {
		t.Skip("no data directory")
	}
	turns, _, err := readJDDCTurns(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCache(testModel(t), 0)
	n, bypass := 0, 0
	for _, tr := range turns {
		if tr.Agent {
			continue
		}
		n++
		if len(tr.Text) > CacheMaxTextBytes {
			bypass++
		}
		c.AnalyzeInContext(tr.Text, Context{}, "", 0)
	}
	st := c.Stats()
	t.Log(fmt.Sprintf("JDDC buyer turns %d: %d longer than %d bytes (not cached); of the rest %d hits, %d misses: hit rate %.3f, %.3f of all turns",
		n, bypass, CacheMaxTextBytes, st.Hits, st.Misses, st.HitRate(), float64(st.Hits)/float64(n)))
	if st.Hits == 0 {
		t.Fatal("no buyer turn of the JDDC sample repeats another: the sample changed?")
	}
}

func BenchmarkAnalyzeCached(b *testing.B) {
	c := NewCache(testModel(b), 0)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.AnalyzeInContext(benchMessages[i%len(benchMessages)], Context{}, "", 0)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// Goroutines sharing one cache (ingest's workers) get the model's results;
// run with -race to check the locking.
func TestCacheConcurrent(t *testing.T) {
	m := testModel(t)
	c := NewCache(m, 2*cacheShards*2) // tiny: generations turn over all the time
	want := make([]Analysis, len(benchMessages))
	for i, s := range benchMessages {
		want[i] = m.AnalyzeInContext(s, Context{}, "", 0)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				k := (i*7 + g) % len(benchMessages)
				if got := c.AnalyzeInContext(benchMessages[k], Context{}, "", 0); !reflect.DeepEqual(got, want[k]) {
					errs <- fmt.Sprintf("%q: got %+v, want %+v", benchMessages[k], got, want[k])
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestCacheKeepsNoPersonalData: a text with a phone number, an email or an
// order number is analysed each time and never becomes a cache key.
func TestCacheKeepsNoPersonalData(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c := NewCache(m, 64)
	for _, text := range []string{"13812345678", "a@b.cn", "订单１２３到了吗", "在吗"} {
		for range 2 {
			c.AnalyzeInContext(text, Context{}, "", 0)
		}
	}
	st := c.Stats()
	if st.Entries != 1 || st.Hits != 1 || st.Misses != 1 {
		t.Errorf("after two rounds of three PII texts and 在吗: %+v, want only 在吗 cached (1 entry, 1 hit, 1 miss)", st)
	}
}
