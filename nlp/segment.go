package nlp

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// zhDict is gse's simplified-Chinese dictionary trimmed to words with
// frequency >= 50 (see docs/nlp.md); the full one costs ~200 MB of heap and
// 1.7 s of start-up, the trimmed one ~15 MB and ~0.1 s.
//
//go:embed dict/zh.txt
var zhDict string

// domainDict adds e-commerce vocabulary the general dictionary lacks.
//
//go:embed dict/domain.txt
var domainDict string

type tokenKind uint8

const (
	tokWord  tokenKind = iota // Latin letters, possibly with digits
	tokNum                    // digits only
	tokHan                    // a Chinese word from the segmenter
	tokEmoji                  // one emoji
	tokPunct                  // "!", "!!", "?" or "??" (repeated)
	tokMask                   // a PII placeholder such as "[phone]"
)

type token struct {
	text string
	kind tokenKind
}

// segmenter splits normalised text into tokens: gse for runs of Han
// characters, a hand scan for everything else.
type segmenter struct {
	gse gse.Segmenter
}

// newSegmenter builds the segmenter from the embedded dictionaries plus
// extra words (topic synonyms, lexicon entries) that must come out whole.
func newSegmenter(extra []string) (*segmenter, error) {
	s := &segmenter{}
	s.gse.SkipLog = true
	s.gse.NotLoadHMM = true
	var b strings.Builder
	b.Grow(len(zhDict) + len(domainDict) + len(extra)*16)
	b.WriteString(zhDict)
	b.WriteByte('\n')
	b.WriteString(domainDict)
	for _, w := range extra {
		if !hasHan(w) || strings.ContainsAny(w, " \t") {
			continue
		}
		b.WriteByte('\n')
		b.WriteString(w)
		b.WriteString(" 3000")
	}
	if err := s.gse.LoadDictStr(b.String()); err != nil {
		return nil, err
	}
	return s, nil
}

func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}

var maskTokens = []string{"[phone]", "[idcard]", "[email]", "[card]", "[address]"}

// tokenize appends the tokens of norm (normalised text) to dst. nb holds
// the same bytes as norm; gse reads it without copying.
func (s *segmenter) tokenize(dst []token, norm string, nb []byte) []token {
	for i := 0; i < len(norm); {
		c := norm[i]
		if c < utf8.RuneSelf {
			switch {
			case isASCIIAlnum(c):
				j := i
				digits := true
				for j < len(norm) && (isASCIIAlnum(norm[j]) || norm[j] == '\'' && j+1 < len(norm) && isASCIILetter(norm[j+1])) {
					if !isDigit(norm[j]) {
						digits = false
					}
					j++
				}
				k := tokWord
				if digits {
					k = tokNum
				}
				dst = append(dst, token{norm[i:j], k})
				i = j
			case c == '!' || c == '?':
				j := i
				for j < len(norm) && (norm[j] == '!' || norm[j] == '?') {
					j++
				}
				t := "?"
				q := strings.IndexByte(norm[i:j], '?') >= 0
				if !q {
					t = "!"
				}
				if j-i > 1 {
					t += t
				}
				dst = append(dst, token{t, tokPunct})
				i = j
			case c == '[':
				n := 1
				for _, m := range maskTokens {
					if strings.HasPrefix(norm[i:], m) {
						dst = append(dst, token{m, tokMask})
						n = len(m)
						break
					}
				}
				i += n
			default:
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(norm[i:])
		switch {
		case isHan(r):
			j := i + size
			for j < len(norm) {
				r2, n2 := utf8.DecodeRuneInString(norm[j:])
				if !isHan(r2) {
					break
				}
				j += n2
			}
			for _, sg := range s.gse.Segment(nb[i:j]) {
				dst = append(dst, token{norm[i+sg.Start() : i+sg.End()], tokHan})
			}
			i = j
		case isEmoji(r):
			dst = append(dst, token{norm[i : i+size], tokEmoji})
			i += size
		default:
			i += size
		}
	}
	return dst
}

// Tokens returns the tokens of text as the models see them (normalised,
// lower case). It is meant for debugging and tools, not the hot path.
func (m *Model) Tokens(text string) []string {
	nb := normalize(nil, text)
	norm := string(nb)
	var out []string
	for _, t := range m.seg.tokenize(nil, norm, nb) {
		out = append(out, t.text)
	}
	return out
}
