package metrics

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/convintel/convintel/nlp"
)

// normalizeText is the form forbidden phrases are matched in (metrics.md
// §9): NFKC, which folds full-width letters, digits and signs to ASCII
// (ＶＸ → VX, １００％ → 100%), then lower case. Chat text is almost all
// ASCII, CJK ideographs, CJK punctuation and full-width forms; those are
// folded here directly (NFKC maps U+FF01..U+FF5E to ASCII and U+3000 to a
// space, and leaves the others alone), and only text with any other
// character goes through the general NFKC, which costs several times more.
func normalizeText(s string) string {
	simple, changes := true, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			changes = changes || c >= 'A' && c <= 'Z'
			i++
			continue
		}
		r, n := runeAt(s, i)
		switch {
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3001 && r <= 0x3011:
		case r >= 0xFF01 && r <= 0xFF5E, r == 0x3000:
			changes = true
		default:
			simple = false
		}
		i += n
	}
	if !simple {
		return strings.ToLower(norm.NFKC.String(s))
	}
	if !changes {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// phraseHit is the first phrase of one category found in a message.
type phraseHit struct {
	category int // index in PhraseCategories
	phrase   string
}

// phraseMatcher finds forbidden phrases in normalised text. Phrases are
// indexed by their first character (a bitset over its low 16 bits answers
// "could a phrase start here" without a map lookup) and tried longest
// first: messages are short and almost no character starts a phrase, so
// this beats building an automaton for a few hundred phrases.
type phraseMatcher struct {
	starts   [1 << 16 / 64]uint64
	byPrefix map[rune][]matchPhrase
	n        int
}

// runeAt decodes the character at s[i], with a fast path for ASCII and
// the three-byte sequences of CJK text.
func runeAt(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

type matchPhrase struct {
	text     string
	category int
}

func newPhraseMatcher(lists []PhraseLists) *phraseMatcher {
	m := &phraseMatcher{byPrefix: map[rune][]matchPhrase{}}
	seen := map[string]bool{}
	for _, l := range lists {
		for ci, phrases := range l.byCategory() {
			for _, p := range phrases {
				t := normalizeText(p)
				key := t + "\x00" + PhraseCategories[ci]
				if len(t) < 2 || seen[key] {
					continue
				}
				seen[key] = true
				k, _ := runeAt(t, 0)
				m.byPrefix[k] = append(m.byPrefix[k], matchPhrase{t, ci})
				m.starts[uint16(k)/64] |= 1 << (uint16(k) % 64)
				m.n++
			}
		}
	}
	for _, l := range m.byPrefix {
		slices.SortStableFunc(l, func(a, b matchPhrase) int { return len(b.text) - len(a.text) })
	}
	return m
}

// match appends to dst one hit per category found in text, in category
// order. The text is masked first (a raw phone number or e-mail stored by
// a keep-raw-text deployment is masked the same way) and cut at mask
// placeholders, so a phrase never matches inside or across one: "qq" in
// [EMAIL] (once abc@qq.com) or 加微[PHONE]信 is no match.
func (m *phraseMatcher) match(text string, dst []phraseHit) []phraseHit {
	if m.n == 0 || text == "" {
		return dst
	}
	text = nlp.Mask(text)
	var found [4]string
	for len(text) > 0 {
		seg, rest := nextSegment(text)
		m.matchSegment(normalizeText(seg), &found)
		text = rest
	}
	for ci, p := range found {
		if p != "" {
			dst = append(dst, phraseHit{ci, p})
		}
	}
	return dst
}

func (m *phraseMatcher) matchSegment(s string, found *[4]string) {
	for i, n := 0, 0; i < len(s); i += n {
		var k rune
		k, n = runeAt(s, i)
		if m.starts[uint16(k)/64]&(1<<(uint16(k)%64)) == 0 {
			continue
		}
		for _, p := range m.byPrefix[k] {
			if found[p.category] == "" && strings.HasPrefix(s[i:], p.text) {
				found[p.category] = p.text
			}
		}
	}
}

// nextSegment returns the text before the first mask placeholder and the
// text after it. A placeholder is '[' + 2..16 of A-Z or '_' + ']', the form
// of nlp's MaskPhone, MaskEmail, … placeholders.
func nextSegment(s string) (seg, rest string) {
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		j := i + 1
		for j < len(s) && j-i <= 17 && (s[j] >= 'A' && s[j] <= 'Z' || s[j] == '_') {
			j++
		}
		if j < len(s) && s[j] == ']' && j-i-1 >= 2 && j-i-1 <= 16 {
			return s[:i], s[j+1:]
		}
	}
	return s, ""
}

// shopRules are the resolved QA settings of one shop.
type shopRules struct {
	hours            serviceHours
	replySLA         int64 // ms
	firstResponseSLA int64
	matcher          *phraseMatcher
}

// qaRules resolves the settings per shop: the shared rules and phrase
// lists, with each configured shop's overrides.
type qaRules struct {
	q       QASettings
	shared  shopRules
	shops   map[string]shopRules
	weights [4]int // phrase category weights
}

func newQARules(q QASettings) (*qaRules, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	files, err := q.phraseFiles()
	if err != nil {
		return nil, err
	}
	base := append(files, q.Phrases)
	h, _ := parseServiceHours(q.ServiceHours)
	r := &qaRules{q: q, shops: map[string]shopRules{},
		weights: [4]int{q.Weights.Rude, q.Weights.AbsoluteClaim, q.Weights.Diversion, q.Weights.Inducement}}
	r.shared = shopRules{hours: h, replySLA: q.ReplySLA.Milliseconds(), firstResponseSLA: q.FirstResponseSLA.Milliseconds(),
		matcher: newPhraseMatcher(base)}
	for _, s := range q.Shops {
		sr := r.shared
		if s.ServiceHours != "" {
			sr.hours, _ = parseServiceHours(s.ServiceHours)
		}
		if s.ReplySLA > 0 {
			sr.replySLA = s.ReplySLA.Milliseconds()
		}
		if s.FirstResponseSLA > 0 {
			sr.firstResponseSLA = s.FirstResponseSLA.Milliseconds()
		}
		if len(s.Phrases.Rude)+len(s.Phrases.AbsoluteClaim)+len(s.Phrases.Diversion)+len(s.Phrases.Inducement) > 0 {
			sr.matcher = newPhraseMatcher(append(slices.Clone(base), s.Phrases))
		}
		r.shops[s.ShopID] = sr
	}
	return r, nil
}

func (r *qaRules) forShop(shop string) shopRules {
	if s, ok := r.shops[shop]; ok {
		return s
	}
	return r.shared
}
