package nlp

import "unicode/utf8"

// phraseTrie finds dictionary phrases (topic synonyms, lexicon entries) in
// normalised text by leftmost-longest matching. Phrases that begin or end
// with a Latin letter only match at word boundaries ("size" is not found in
// "oversized"); an English plural "s"/"es" is allowed after such a phrase.
type phraseTrie struct {
	ascii [128]int32 // root children for ASCII runes, 0 = none
	nodes []trieNode
}

type trieNode struct {
	next    map[rune]int32
	val     int32 // -1: no phrase ends here
	wordEnd bool  // the phrase ends with a Latin letter
}

func newPhraseTrie() *phraseTrie {
	return &phraseTrie{nodes: []trieNode{{val: -1}}}
}

// add stores phrase (already normalised) with val >= 0, replacing any
// earlier value.
func (t *phraseTrie) add(phrase string, val int32) {
	if phrase == "" {
		return
	}
	n := int32(0)
	for _, r := range phrase {
		var next int32
		if n == 0 && r < 128 {
			next = t.ascii[r]
		} else if m := t.nodes[n].next; m != nil {
			next = m[r]
		}
		if next == 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{val: -1})
			if n == 0 && r < 128 {
				t.ascii[r] = next
			} else {
				if t.nodes[n].next == nil {
					t.nodes[n].next = make(map[rune]int32, 2)
				}
				t.nodes[n].next[r] = next
			}
		}
		n = next
	}
	t.nodes[n].val = val
	t.nodes[n].wordEnd = isASCIILetter(phrase[len(phrase)-1])
}

// longestAt returns the value and end of the longest phrase starting at
// byte i of s, or -1.
func (t *phraseTrie) longestAt(s string, i int) (int32, int) {
	c := s[i]
	if isASCIILetter(c) && i > 0 && isASCIILetter(s[i-1]) {
		return -1, 0 // inside a word
	}
	var n int32
	j := i
	if c < utf8.RuneSelf {
		n = t.ascii[c]
		j++
	} else {
		r, size := utf8.DecodeRuneInString(s[i:])
		n = t.nodes[0].next[r]
		j += size
	}
	best, bestEnd := int32(-1), 0
	for n != 0 {
		nd := &t.nodes[n]
		if nd.val >= 0 {
			if !nd.wordEnd || j == len(s) || !isASCIILetter(s[j]) {
				best, bestEnd = nd.val, j
			} else if e := pluralEnd(s, j); e > 0 {
				best, bestEnd = nd.val, e
			}
		}
		if j >= len(s) || nd.next == nil {
			break
		}
		r, size := rune(s[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[j:])
		}
		n = nd.next[r]
		j += size
	}
	return best, bestEnd
}

func pluralEnd(s string, j int) int {
	switch {
	case s[j] == 's' && (j+1 == len(s) || !isASCIILetter(s[j+1])):
		return j + 1
	case s[j] == 'e' && j+1 < len(s) && s[j+1] == 's' && (j+2 == len(s) || !isASCIILetter(s[j+2])):
		return j + 2
	}
	return 0
}

// scan calls fn for each leftmost-longest phrase in s.
func (t *phraseTrie) scan(s string, fn func(val int32, start, end int)) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && t.ascii[c] == 0 {
			i++
			continue
		}
		if v, e := t.longestAt(s, i); v >= 0 {
			fn(v, i, e)
			i = e
			continue
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
}
