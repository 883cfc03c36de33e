package nlp

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed dict/sentiment.txt
var sentimentLexicon string

// SentimentLabels are the sentiment classes, in score order.
var SentimentLabels = []string{"negative", "neutral", "positive"}

type lexKind uint8

const (
	lexPolar lexKind = iota
	lexNegator
	lexDegree
	lexContrast // 但是/不过/就是/but: what follows outweighs what came before
	lexDim      // 大/热/重: no opinion alone, a complaint after an excess degree word (有点热, 太重)
	lexWord     // 快递/出差/显卡: a word holding a polar character that says nothing; matched so the character is not
)

type lexEntry struct {
	phrase     string
	kind       lexKind
	weight     float32 // polarity, or degree multiplier
	excess     bool    // a degree word that says "more than wanted" (太, 有点, 偏, 略)
	warn       bool    // an imperative negator (别, 不要): 别上当 warns, it does not praise
	such       bool    // a demonstrative degree word (这么, 如此): 没见过这么差的 is not 不差
	anyDeg     bool    // a dimension word that any degree word makes a complaint (很慢, 好贵), not only an excess one
	alone      float32 // a degree word that ends a clause after another degree word is this praise (非常好, 超级好)
	hPos, hNeg uint32  // feature hashes of the phrase read as is / negated
}

// lexicon scores sentiment by rules: polar phrases, flipped by a negator
// just before them (不好, not good) and scaled by degree words (太慢, very
// bad); a negator before a degree word softens instead (不太好).
type lexicon struct {
	trie    *phraseTrie
	entries []lexEntry
}

func parseLexicon(src string) (*lexicon, error) {
	lx := &lexicon{trie: newPhraseTrie()}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		e := lexEntry{kind: lexPolar}
		f := strings.Fields(line)
		switch f[0] {
		case "@neg":
			e.kind, f = lexNegator, f[1:]
		case "@deg":
			e.kind, f = lexDegree, f[1:]
		case "@but":
			e.kind, f = lexContrast, f[1:]
		case "@dim":
			e.kind, f = lexDim, f[1:]
		case "@word":
			e.kind, f = lexWord, f[1:]
		case "@warn":
			e.kind, e.warn, f = lexNegator, true, f[1:]
		case "@such":
			e.kind, e.such, f = lexDegree, true, f[1:]
		}
		if e.kind == lexDegree && len(f) > 2 && f[len(f)-1] == "!" {
			e.excess, f = true, f[:len(f)-1]
		}
		if e.kind == lexDegree && len(f) > 2 && strings.HasPrefix(f[len(f)-1], "=") {
			a, err := strconv.ParseFloat(f[len(f)-1][1:], 32)
			if err != nil {
				return nil, fmt.Errorf("sentiment lexicon line %d: %w", n+1, err)
			}
			e.alone, f = float32(a), f[:len(f)-1]
		}
		if e.kind == lexDim && len(f) > 2 && f[len(f)-1] == "*" {
			e.anyDeg, f = true, f[:len(f)-1]
		}
		if e.kind == lexNegator || e.kind == lexContrast || e.kind == lexWord {
			f = append(f, "0")
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("sentiment lexicon line %d: want `phrase weight`", n+1)
		}
		w, err := strconv.ParseFloat(f[len(f)-1], 32)
		if err != nil {
			return nil, fmt.Errorf("sentiment lexicon line %d: %w", n+1, err)
		}
		e.phrase = string(normalize(nil, strings.Join(f[:len(f)-1], " ")))
		e.weight = float32(w)
		e.hPos = hashOf(nsLexicon, e.phrase, "+")
		e.hNeg = hashOf(nsLexicon, e.phrase, "-")
		lx.trie.add(e.phrase, int32(len(lx.entries)))
		lx.entries = append(lx.entries, e)
	}
	return lx, nil
}

// phrases returns every lexicon phrase, for the segmenter dictionary.
func (lx *lexicon) phrases() []string {
	out := make([]string, 0, len(lx.entries))
	for _, e := range lx.entries {
		out = append(out, e.phrase)
	}
	return out
}

// lexResult is the rule-based reading of one message.
type lexResult struct {
	score    float32 // sum of signed, scaled polarities
	pos, neg int     // polar hits after negation
	negated  int     // polar hits flipped by a negator
	dims     int     // negative hits that are a dimension with an excess degree (偏大)
	// contrast: a contrast word followed an opinion; after is the score of
	// what came after the (last) contrast word.
	contrast bool
	after    float32
}

// Contrast weights: 「东西不错，但是物流太慢」 is a complaint. The score
// before the contrast word is discounted; the model also reads the words
// before it in a feature space of their own (contrast.go). A steep discount
// (0.4 before, 1.3 after) lost on reviews, where 但/就是 often join two
// complaints or qualify a small one: laptop development half 0.885 (0.4,
// 1.3) -> 0.895 (0.8, 1.0); 0.2/1.5 0.876, 1.0/1.0 0.896; sentiment/dev and
// the neutral chat turns unchanged.
var (
	contrastBefore float32 = 0.8
	contrastAfter  float32 = 1.0
)

// negWindow is how far (bytes) a degree word reaches: next to what it
// modifies, with at most one Chinese character or a space between.
// negScope is how far a negator reaches: up to three Chinese characters
// (没有想象中好, 不是特别满意) but never across a space or punctuation
// (别买 垃圾 is not negated).
const (
	negWindow = 3
	negScope  = 12
)

// score appends the lexicon features of norm to feats and returns them
// with the rule-based result. toks supplies punctuation and emphasis.
func (lx *lexicon) score(norm string, feats []uint32) ([]uint32, lexResult) {
	var r lexResult
	negEnd, degEnd := -1, -1
	var deg float32 = 1
	negThenDeg := false
	warn := false   // the pending negator is imperative (别, 不要)
	excess := false // the last degree word was an excess one
	// The last negative hit that no negator flipped, for 一点异味都没有
	// (negated after the fact); last < 0 when there is none.
	// lastW is its weight with degree, lastAfter whether it came after a
	// contrast word (its score was then scaled by contrastAfter).
	last, lastEnd, lastAfter := -1, 0, false
	var lastW float32
	var lastNeg uint32
	lx.trie.scan(norm, func(v int32, start, end int) {
		e := &lx.entries[v]
		kind, weight := e.kind, e.weight
		negOn := negEnd >= 0 && start-negEnd <= negScope && !hasClauseBreak(norm[negEnd:start]) &&
			(start-negEnd <= negWindow || !strings.Contains(norm[negEnd:start], " "))
		degOn := degEnd >= 0 && start-degEnd <= negWindow && !hasClauseBreak(norm[degEnd:start])
		if e.alone != 0 && degEnd == start && clauseEnds(norm[end:]) {
			// 非常好, 服务超好的: a degree word (好) ending the clause
			// after another degree word is the praise itself.
			kind, weight = lexPolar, e.alone
		}
		switch kind {
		case lexContrast:
			last = -1
			if r.pos+r.neg > 0 {
				r.score *= contrastBefore
				r.contrast = true
				r.after = 0
			}
			negEnd, degEnd = -1, -1
		case lexNegator:
			if last >= 0 && afterNegation(e.phrase, norm[lastEnd:start]) {
				// 一点异味都没有, 坏的也没有: what was just named is absent,
				// read as 没有异味 (faint praise).
				added, w := lastW, -lastW*0.5
				if lastAfter {
					added, w = added*contrastAfter, w*contrastAfter
					r.after += w - added
				}
				r.score += w - added
				r.neg--
				r.pos++
				r.negated++
				feats[last] = lastNeg
				last = -1
				return
			}
			if aNotANegator && aNotAAt(norm, start, end) {
				// 会不会有色差, 是不是坏了, 有没有异味: a question
				// between A and not A negates nothing (session 17:
				// 是不是坏了 read as praise, 坏 flipped).
				return
			}
			negEnd = end
			negThenDeg = false
			warn = e.warn
		case lexDegree:
			if e.such && negOn && strings.Contains(norm[negEnd:start], "过") {
				// 没见过这么差的, 从没吃过如此难吃的: never one this bad.
				negOn, negEnd = false, -1
			}
			if degOn {
				deg *= e.weight
			} else {
				deg = e.weight
			}
			degEnd = end
			excess = e.excess
			negThenDeg = negOn
			if negOn {
				negEnd = end
			}
		case lexDim:
			// 有点热, 太重, 偏大: a complaint; 很大, 不热 alone: no opinion.
			if !degOn || !excess && !e.anyDeg || negOn {
				degEnd = -1
				return
			}
			r.dims++
			fallthrough
		case lexPolar:
			if aNotANegator && aNotAAt(norm, start, start+len(e.phrase)) {
				// 好不好, 漏不漏水: the "not A" half of a question
				// (the polar phrase 不好 itself) negates nothing.
				return
			}
			w := weight
			if negOn && warn && w < 0 {
				negOn, negEnd = false, -1 // 别上当, 不要浪费钱: a warning
			}
			if degOn && !(negOn && negThenDeg) {
				w *= deg
			}
			h := e.hPos
			if negOn {
				h = e.hNeg
				r.negated++
				if negThenDeg {
					w = -w * 0.5 // 不太好: mildly the opposite, degree ignored
				} else if w > 0 {
					w = -w * 0.8 // 不好
				} else {
					w = -w * 0.5 // 不差: faint praise
				}
				negEnd = -1
			}
			degEnd = -1
			if w > 0 {
				r.pos++
			} else if w < 0 {
				r.neg++
			}
			if r.contrast {
				w *= contrastAfter
				r.after += w
			}
			r.score += w
			feats = append(feats, h)
			last = -1
			if w < 0 && !negOn {
				last, lastEnd, lastNeg, lastW, lastAfter = len(feats)-1, end, e.hNeg, weight, r.contrast
				if degOn {
					lastW *= deg
				}
			}
		}
	})
	return feats, r
}

// afterNegation reports whether negator, following a negative phrase with
// gap between them, says the phrase is absent: 异味都没有, 坏的也没有,
// 一点破损都没有 (gap 都 or 也, at most one more character before it).
func afterNegation(negator, gap string) bool {
	if negator != "没有" && negator != "没" {
		return false
	}
	g, ok := strings.CutSuffix(gap, "都")
	if !ok {
		g, ok = strings.CutSuffix(gap, "也")
	}
	return ok && utf8.RuneCountInString(g) <= 1 && !hasClauseBreak(g) && !strings.Contains(g, " ")
}

// clauseEnds reports whether rest, what follows a word, ends its clause:
// nothing, punctuation or a space, after at most two sentence-final
// particles (的, 啊, 呀, 了, 呢, 哦, 哈, 吧, 滴, 耶, 啦).
func clauseEnds(rest string) bool {
	for i := 0; i < 2; i++ {
		c, n := utf8.DecodeRuneInString(rest)
		if !strings.ContainsRune("的啊呀了呢哦哈吧滴耶啦", c) {
			break
		}
		rest = rest[n:]
	}
	c, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c)
}

func hasClauseBreak(s string) bool {
	return strings.ContainsAny(s, ",.!?;~")
}

// appendLexiconFeatures turns the rule-based result and the emphasis of
// the message into features for the sentiment classifier.
func appendLexiconFeatures(feats []uint32, r lexResult, toks []token) []uint32 {
	add := func(name string) { feats = append(feats, hashOf(nsLexicon, name)) }
	// The same lexicon score means more in a chat line than in a review of
	// twenty clauses, so the score bucket is also conjoined with the length.
	length := "|long"
	switch {
	case len(toks) <= 6:
		length = "|short"
	case len(toks) <= 20:
		length = "|mid"
	}
	bucket := "score=0"
	switch {
	case r.score >= 2:
		bucket = "score>=2"
	case r.score >= 0.8:
		bucket = "score>=0.8"
	case r.score > 0:
		bucket = "score>0"
	case r.score <= -2:
		bucket = "score<=-2"
	case r.score <= -0.8:
		bucket = "score<=-0.8"
	case r.score < 0:
		bucket = "score<0"
	}
	add(bucket)
	add(bucket + length)
	add(length)
	if r.pos > 0 && r.neg > 0 {
		add("mixed")
	}
	if r.negated > 0 {
		add("negated")
	}
	if r.contrast {
		switch {
		case r.after > 0:
			add("contrast+")
		case r.after < 0:
			add("contrast-")
		default:
			add("contrast0")
		}
	}
	for _, t := range toks {
		if t.kind == tokPunct && (t.text == "!!" || t.text == "??") {
			if r.score < 0 {
				add("neg+" + t.text)
			} else if r.score > 0 {
				add("pos+" + t.text)
			} else {
				add("zero+" + t.text)
			}
		}
	}
	return feats
}

// aNotANegator: a negator inside an A-not-A question is no negator (a
// switch for the development harness).
var aNotANegator = true

// doubtWords before an A-not-A make it a doubt (不知道是不是, 不确定是不是), as
// questionWords reads 是不是 (怀疑是不是假货 suspects: not one of them).
var doubtWords = []string{"知道", "不知", "晓得", "确定"}

// aNotAAt reports whether the negator norm[start:end] is the middle of an
// A-not-A question: 能不能, 漏不漏 (the characters around 不 or 没 alike),
// 会不会, 是不是, 有没有 (the character before it ends the negator phrase
// 不会, 不是, 没有).
func aNotAAt(norm string, start, end int) bool {
	// Every polar phrase of the lexicon is asked: the cheap tests first.
	neg, size := utf8.DecodeRuneInString(norm[start:end])
	if neg != '不' && neg != '没' {
		return false
	}
	prev, n := utf8.DecodeLastRuneInString(norm[:start])
	if prev == utf8.RuneError || prev == '不' || prev == '没' || !unicode.Is(unicode.Han, prev) {
		return false
	}
	for _, w := range doubtWords {
		// 不知道是不是正品 doubts: the negation of old stands.
		if strings.HasSuffix(norm[:start-n], w) {
			return false
		}
	}
	if next, _ := utf8.DecodeRuneInString(norm[start+size:]); next == prev {
		return true // 能不能, 好不好 (read at the polar phrase 不好)
	}
	if start+size == end {
		next, _ := utf8.DecodeRuneInString(norm[end:])
		return next == prev
	}
	last, _ := utf8.DecodeLastRuneInString(norm[start:end])
	return start+size+utf8.RuneLen(last) == end && last == prev
}
