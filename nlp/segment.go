package nlp

import (
	_ "embed"
	"math"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

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
	// gse's path distance and length in characters of each dictionary
	// token, by its index in gse's Dict.Tokens (tok0 = &Tokens[0]), for
	// segmentRun.
	dist  []float32
	nchar []int32
	tok0  uintptr
	pool  sync.Pool // *segScratch
}

// segScratch holds segmentRun's buffers between calls.
type segScratch struct {
	words []gse.Text
	toks  []*gse.Token
	jump  []segJumper
}

type segJumper struct {
	min   float32 // shortest path distance to the end of this character
	nchar int32   // characters of the word of that path ending here
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
	toks := s.gse.Dict.Tokens
	s.dist = make([]float32, len(toks))
	s.nchar = make([]int32, len(toks))
	if len(toks) > 0 {
		s.tok0 = uintptr(unsafe.Pointer(&toks[0]))
	}
	// As gse's CalcToken computes a token's distance, to the bit.
	logTotalFreq := float32(math.Log2(s.gse.Dict.TotalFreq()))
	for i := range toks {
		s.dist[i] = logTotalFreq - float32(math.Log2(toks[i].Freq()))
		s.nchar[i] = int32(len(s.gse.SplitTextToWords([]byte(toks[i].Text()))))
	}
	s.pool.New = func() any { return new(segScratch) }
	return s, nil
}

// segmentRun segments run, a run of Han characters (3 bytes each in
// UTF-8), exactly as gse's Segment does (shortest path over the
// dictionary's distances, a lone character costing 32), and calls fn with
// the byte range of each word. gse's Segment allocates its character list,
// path table and result on every call (~840 bytes a message, a third of
// all of Analyze's allocation); this keeps them in a pooled scratch.
// TestSegmentRunIsGse holds the equality.
func (s *segmenter) segmentRun(run []byte, fn func(start, end int)) {
	n := len(run) / 3
	if n == 0 {
		return
	}
	sc := s.pool.Get().(*segScratch)
	defer s.pool.Put(sc)
	sc.words = sc.words[:0]
	for i := 0; i+3 <= len(run); i += 3 {
		sc.words = append(sc.words, run[i:i+3])
	}
	maxLen := s.gse.Dict.MaxTokenLen()
	if len(sc.toks) < maxLen {
		sc.toks = make([]*gse.Token, maxLen)
	}
	if cap(sc.jump) < n {
		sc.jump = make([]segJumper, n)
	}
	jump := sc.jump[:n]
	clear(jump)
	size := unsafe.Sizeof(gse.Token{})
	update := func(j *segJumper, d float32, nchar int32) {
		if j.min == 0 || j.min > d {
			j.min, j.nchar = d, nchar
		}
	}
	for cur := 0; cur < n; cur++ {
		var base float32
		if cur > 0 {
			base = jump[cur-1].min
		}
		k := s.gse.Dict.LookupTokens(sc.words[cur:min(cur+maxLen, n)], sc.toks)
		firstLen := int32(0)
		for t := 0; t < k; t++ {
			idx := (uintptr(unsafe.Pointer(sc.toks[t])) - s.tok0) / size
			nc := s.nchar[idx]
			if t == 0 {
				firstLen = nc
			}
			update(&jump[cur+int(nc)-1], base+s.dist[idx], nc)
		}
		if k == 0 || firstLen > 1 {
			update(&jump[cur], base+32, 1)
		}
	}
	// The path from the back, then its words from the front.
	var stack [64]int32
	st := stack[:0]
	for i := n - 1; i >= 0; i -= int(jump[i].nchar) {
		st = append(st, int32(i))
	}
	for k := len(st) - 1; k >= 0; k-- {
		end := int(st[k]) + 1
		fn((end-int(jump[st[k]].nchar))*3, end*3)
	}
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
			s.segmentRun(nb[i:j], func(start, end int) {
				dst = append(dst, token{norm[i+start : i+end], tokHan})
			})
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
