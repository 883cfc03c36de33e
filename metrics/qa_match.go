package metrics

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/convintel/convintel/nlp"
)

// normalizeText is the form forbidden phrases are matched in (metrics.md
// §9): NFKC, which folds full-width letters, digits and signs to ASCII
// (ＶＸ → VX, １００％ → 100%), then lower case.
func normalizeText(s string) string {
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return lowerFrom(s, i)
		}
	}
	return s
}

// lowerFrom lower-cases s, whose first i bytes are known to be lower-case
// ASCII already; it returns s itself when nothing changes (CJK text).
func lowerFrom(s string, i int) string {
	for j := i; j < len(s); {
		r, n := utf8.DecodeRuneInString(s[j:])
		if unicode.ToLower(r) != r {
			return strings.ToLower(s)
		}
		j += n
	}
	return s
}

// phraseHit is the first phrase of one category found in a message.
type phraseHit struct {
	category int // index in PhraseCategories
	phrase   string
}

// phraseMatcher finds forbidden phrases in normalised text. Phrases are
// indexed by their first byte and tried longest first at each position:
// messages are short and most positions start no phrase, so this beats
// building an automaton for a few hundred phrases.
type phraseMatcher struct {
	byFirst [256][]matchPhrase
	n       int
}

type matchPhrase struct {
	text     string
	category int
}

func newPhraseMatcher(lists []PhraseLists) *phraseMatcher {
	m := &phraseMatcher{}
	seen := map[string]bool{}
	for _, l := range lists {
		for ci, phrases := range l.byCategory() {
			for _, p := range phrases {
				t := normalizeText(p)
				key := t + "\x00" + PhraseCategories[ci]
				if t == "" || seen[key] {
					continue
				}
				seen[key] = true
				m.byFirst[t[0]] = append(m.byFirst[t[0]], matchPhrase{t, ci})
				m.n++
			}
		}
	}
	for i := range m.byFirst {
		slices.SortStableFunc(m.byFirst[i], func(a, b matchPhrase) int { return len(b.text) - len(a.text) })
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
	for i := 0; i < len(s); i++ {
		for _, p := range m.byFirst[s[i]] {
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
