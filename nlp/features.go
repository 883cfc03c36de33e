package nlp

// Features are hashed (FNV-1a, 32 bit) and a classifier keeps the low
// bits of the hash (its HashBits; hashBits for new ones, 2^20 buckets: with
// twenty thousand reviews 2^18 buckets collided too often). The hash
// is part of the model format: changing it invalidates saved models.
const hashBits = 20

// minHashBits, maxHashBits bound what a model file may use.
const (
	minHashBits = 10
	maxHashBits = 24
)

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func fnvAdd(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvByte(h uint32, c byte) uint32 {
	h ^= uint32(c)
	return h * fnvPrime
}

// Feature namespaces.
const (
	nsBias    = 'B'
	nsWord    = 'w'
	nsBigram  = 'b'
	nsChar2   = 'c'
	nsChar3   = 't'
	nsSub     = 'e' // character trigrams inside Latin words (typos)
	nsNum     = 'n'
	nsLexicon = 'x'
)

func hashOf(ns byte, parts ...string) uint32 {
	h := fnvByte(fnvOffset, ns)
	for k, p := range parts {
		if k > 0 {
			h = fnvByte(h, 0)
		}
		h = fnvAdd(h, p)
	}
	return h
}

// appendFeatures appends the hashed features shared by the intent and
// sentiment models: bias, token unigrams and bigrams, character bigrams and
// trigrams over Chinese text, and character trigrams of Latin words.
func appendFeatures(dst []uint32, toks []token, norm string) []uint32 {
	dst = append(dst, hashOf(nsBias))
	prev := "^"
	for _, t := range toks {
		w := t.text
		if t.kind == tokNum {
			w = numShape(t.text)
		}
		dst = append(dst, fnvAdd(fnvByte(fnvOffset, nsWord), w))
		h := fnvAdd(fnvByte(fnvOffset, nsBigram), prev)
		dst = append(dst, fnvAdd(fnvByte(h, 0), w))
		prev = w
		if t.kind == tokWord && len(w) >= 4 {
			dst = appendSubwords(dst, w)
		}
	}
	if len(toks) > 0 {
		h := fnvAdd(fnvByte(fnvOffset, nsBigram), prev)
		dst = append(dst, fnvAdd(fnvByte(h, 0), "$"))
	}
	return appendHanGrams(dst, norm)
}

// numShape keeps the length of a number, not its value: "3" and "7" read
// the same, an 18-digit order id differs from a quantity.
func numShape(s string) string {
	switch {
	case len(s) <= 2:
		return "#n"
	case len(s) <= 4:
		return "#nnn"
	case len(s) <= 8:
		return "#nnnnn"
	}
	return "#long"
}

func appendSubwords(dst []uint32, w string) []uint32 {
	// "<stock>" -> "<st", "sto", "toc", "ock", "ck>"
	n := len(w) + 2
	at := func(i int) byte {
		switch i {
		case 0:
			return '<'
		case n - 1:
			return '>'
		}
		return w[i-1]
	}
	for i := 0; i+3 <= n; i++ {
		h := fnvByte(fnvOffset, nsSub)
		h = fnvByte(h, at(i))
		h = fnvByte(h, at(i+1))
		h = fnvByte(h, at(i+2))
		dst = append(dst, h)
	}
	return dst
}

// appendHanGrams adds character bigrams and trigrams over each run of Han
// characters, so intent cues survive segmentation mistakes.
func appendHanGrams(dst []uint32, norm string) []uint32 {
	var r [3]int // byte offsets of the last three Han runes
	n := 0
	for i := 0; i < len(norm); {
		c := norm[i]
		if c < 0x80 {
			n = 0
			i++
			continue
		}
		rr, size := decodeRune(norm[i:])
		if !isHan(rr) {
			n = 0
			i += size
			continue
		}
		r[0], r[1], r[2] = r[1], r[2], i
		n++
		i += size
		if n >= 2 {
			dst = append(dst, fnvAdd(fnvByte(fnvOffset, nsChar2), norm[r[1]:i]))
		}
		if n >= 3 {
			dst = append(dst, fnvAdd(fnvByte(fnvOffset, nsChar3), norm[r[0]:i]))
		}
	}
	return dst
}
