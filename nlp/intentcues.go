package nlp

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// Intent cues (dict/intent_cues.txt): phrases that point at an intent
// wherever they appear. The linear model sees the words themselves too; the
// cue feature ("cue:<intent>", one per intent, plus "cue:<intent>" conjoined
// with the message being short) lets a cue that is rare in training borrow
// the weight of that intent's common cues. Product-attribute topics
// (dict/topics.yaml) are cues of product_info.

//go:embed dict/intent_cues.txt
var intentCuesText string

const nsCue = 'C'

var useIntentCues = true

type intentCues struct {
	trie   *phraseTrie
	hash   []uint32 // trie value -> feature hash of its intent
	names  []string // trie value -> phrase
	intent []string // trie value -> intent
}

var defaultIntentCues = sync.OnceValue(func() *intentCues {
	c, err := parseIntentCues(intentCuesText)
	if err != nil {
		panic("nlp: dict/intent_cues.txt: " + err.Error())
	}
	return c
})

func parseIntentCues(src string) (*intentCues, error) {
	c := &intentCues{trie: newPhraseTrie()}
	seen := map[string]bool{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		intent, phrases, ok := strings.Cut(line, ":")
		if !ok || len(strings.Fields(phrases)) == 0 {
			return nil, fmt.Errorf("line %d: want `intent: phrase …`", n+1)
		}
		intent = strings.TrimSpace(intent)
		h := hashOf(nsCue, intent)
		for _, p := range strings.Fields(phrases) {
			p = string(normalize(nil, strings.ReplaceAll(p, "_", " ")))
			if seen[p] {
				return nil, fmt.Errorf("line %d: phrase %q is a cue of two intents", n+1, p)
			}
			seen[p] = true
			c.trie.add(p, int32(len(c.hash)))
			c.hash = append(c.hash, h)
			c.names = append(c.names, p)
			c.intent = append(c.intent, intent)
		}
	}
	return c, nil
}

// appendCueFeatures adds one feature per cue hit (the intent's, repeated
// hits of an intent count once per phrase) and, when the message names a
// product-attribute topic (topicHit), the product_info cue.
func appendCueFeatures(dst []uint32, norm string, topicHit bool) []uint32 {
	c := defaultIntentCues()
	c.trie.scan(norm, func(v int32, _, _ int) {
		dst = append(dst, c.hash[v])
	})
	if topicHit {
		dst = append(dst, hashOf(nsCue, "topic"))
	}
	return dst
}

// cueIntents returns the intents whose cues occur in text (normalised here).
func cueIntents(text string) map[string]bool {
	c := defaultIntentCues()
	out := map[string]bool{}
	c.trie.scan(string(normalize(nil, ToSimplified(Mask(text)))), func(v int32, _, _ int) {
		out[c.intent[v]] = true
	})
	return out
}

// praiseCues reports whether a cue of an after-sale intent (afterSale)
// occurs in norm, and whether a thanks cue does. A cue of another intent
// (到货 of stock, inside 收到货) is no request beside praise.
func praiseCues(norm string) (request, thanks bool) {
	c := defaultIntentCues()
	c.trie.scan(norm, func(v int32, _, _ int) {
		switch in := c.intent[v]; {
		case afterSale[in]:
			request = true
		case in == "thanks_bye":
			thanks = true
		}
	})
	return request, thanks
}
