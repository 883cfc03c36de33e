package nlp

import (
	"strings"
	"unsafe"
)

// In a review 「味道挺好的，就是送得太慢」 the part after the contrast word
// decides. Read as plain n-grams, such reviews teach the sentiment model that
// 「挺好的」 is negative, and then 「东西挺好的」 on its own comes out negative.
// So, for sentiment only, the words before the last contrast word are hashed
// into a separate feature space ("said before a but"), and the words after
// it into the usual one.

// contrastWords mark a turn in opinion (in normalised text).
var contrastWords = []string{"但是", "不过", "可是", "就是", "只是", "然而", "可惜", "但", "却", "but ", "however", "though"}

// preContrastSalt moves a feature hash into the "before a contrast" space.
const preContrastSalt = 0x9e3779b9

// lastContrast returns the byte offset in norm where the text after the
// last contrast word starts, or -1 when there is none with at least two
// bytes of text before it.
func lastContrast(norm string) int {
	// One pass, trying the contrast words only where a byte could start one
	// (contrastFirst). The end of a word's last occurrence is the largest
	// end of its occurrences, so this equals the largest
	// LastIndex(norm, w)+len(w) over the words at i >= 2 (the definition;
	// TestLastContrastOnePass) at a fraction of twelve LastIndex scans of
	// every message.
	best := -1
	for i := 2; i < len(norm); i++ {
		if !contrastFirst[norm[i]] {
			continue
		}
		rest := norm[i:]
		for _, w := range contrastWords {
			if w[0] == norm[i] && strings.HasPrefix(rest, w) && i+len(w) > best {
				best = i + len(w)
			}
		}
	}
	if best >= len(norm) {
		return -1
	}
	return best
}

// contrastFirst marks the first bytes of contrastWords.
var contrastFirst = func() (f [256]bool) {
	for _, w := range contrastWords {
		f[w[0]] = true
	}
	return f
}()

// appendSentimentBase appends the base (n-gram) features of the sentiment
// model: those of appendFeatures, with the part before the last contrast
// word (cut = lastContrast(norm)) in the salted space.
func appendSentimentBase(dst []uint32, toks []token, norm string, cut int) []uint32 {
	if cut < 0 {
		return appendFeatures(dst, toks, norm)
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(norm)))
	// Word, number and Han tokens are slices of norm; punctuation and mask
	// tokens are constants, and take the position of the token before them.
	split := len(toks)
	for i, t := range toks {
		if len(t.text) == 0 {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(t.text)))
		if p < base || p >= base+uintptr(len(norm)) {
			continue
		}
		if int(p-base) >= cut {
			split = i
			break
		}
	}
	start := len(dst)
	dst = appendFeatures(dst, toks[:split], norm[:cut])
	for i := start; i < len(dst); i++ {
		dst[i] ^= preContrastSalt
	}
	return appendFeatures(dst, toks[split:], norm[cut:])
}
