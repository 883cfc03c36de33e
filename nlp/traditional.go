package nlp

import (
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Traditional Chinese (繁體, common on cross-border and HK/TW channels) is
// converted to Simplified before anything else reads the text: the
// segmentation dictionary, the lexicon, the topics and the training data
// are all Simplified. The conversion is OpenCC's t2s (phrases, then
// characters) from github.com/longbridgeapp/opencc, a pure-Go port whose
// dictionaries are embedded in its package.
//
// OpenCC's Convert allocates and walks every rune, far too slow for the
// ingest path, so it only runs on text that contains a character t2s
// changes: tradRunes marks those, found once by converting every CJK
// character on its own (phrase entries always contain such a character).

var t2s = sync.OnceValues(func() (*t2sConverter, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, err
	}
	c := &t2sConverter{cc: cc}
	var buf [4]byte
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		if !isHan(r) {
			continue
		}
		s := string(buf[:utf8.EncodeRune(buf[:], r)])
		out, err := cc.Convert(s)
		if err != nil {
			return nil, err
		}
		if out != s {
			c.trad[(r-tradBase)/64] |= 1 << ((r - tradBase) % 64)
		}
	}
	return c, nil
})

const tradBase = 0x3400

type t2sConverter struct {
	cc   *opencc.OpenCC
	trad [(0xA000 - tradBase + 63) / 64]uint64
}

func (c *t2sConverter) isTrad(r rune) bool {
	if r < tradBase || r >= 0xA000 {
		return false
	}
	return c.trad[(r-tradBase)/64]&(1<<((r-tradBase)%64)) != 0
}

// ToSimplified returns s with Traditional Chinese converted to Simplified
// (OpenCC t2s); text without a Traditional character is returned as is,
// without allocating.
func ToSimplified(s string) string {
	c, err := t2s()
	if err != nil {
		panic("nlp: embedded OpenCC dictionaries are broken: " + err.Error())
	}
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if c.isTrad(r) {
			out, err := c.cc.Convert(s)
			if err != nil {
				return s
			}
			return out
		}
		i += size
	}
	return s
}
