package nlp

import "unicode/utf8"

// phraseTrie finds dictionary phrases (topic synonyms, lexicon entries) in
// normalised text by leftmost-longest matching. Phrases that begin or end
// with a Latin letter only match at word boundaries ("size" is not found in
// "oversized"); an English plural "s"/"es" is allowed after such a phrase.
type phraseTrie struct {
	ascii [128]int32 // root children for ASCII runes, 0 = none
	// first has a bit set for each rune below 2^16 that starts a phrase:
	// most characters of a message start none, and the bit answers that
	// without the root's map (a third of the scan's time before).
	first [1 << 16 / 64]uint64
	nodes []trieNode
}

// trieNode's children: the first one inline (most nodes have one child),
// the others in next.
type trieNode struct {
	one     rune
	oneN    int32 // 0 = no child
	next    map[rune]int32
	val     int32 // -1: no phrase ends here
	wordEnd bool  // the phrase ends with a Latin letter
}

func (nd *trieNode) child(r rune) int32 {
	if nd.one == r && nd.oneN != 0 {
		return nd.oneN
	}
	if nd.next == nil {
		return 0
	}
	return nd.next[r]
}

func (nd *trieNode) setChild(r rune, n int32) {
	if nd.oneN == 0 {
		nd.one, nd.oneN = r, n
		return
	}
	if nd.next == nil {
		nd.next = make(map[rune]int32, 2)
	}
	nd.next[r] = n
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
		} else {
			next = t.nodes[n].child(r)
		}
		if next == 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{val: -1})
			if n == 0 && r < 128 {
				t.ascii[r] = next
			} else {
				t.nodes[n].setChild(r, next)
				if n == 0 && r < 1<<16 {
					t.first[r/64] |= 1 << (r % 64)
				}
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
		if r < 1<<16 && t.first[r/64]&(1<<(r%64)) == 0 {
			return -1, 0
		}
		n = t.nodes[0].child(r)
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
		if j >= len(s) || nd.oneN == 0 {
			break
		}
		r, size := rune(s[j]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[j:])
		}
		n = nd.child(r)
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
