package reports

import (
	"bytes"
	"regexp"
)

// dateInText is a date (2026-09-28) or an ISO week (2026-W40), and a
// range of them ("2026-09-28 – 2026-10-04"): its submatches are the first
// date, the spaces around the dash and the second date.
var dateInText = regexp.MustCompile(`(\d{4}-(?:\d\d-\d\d|W\d\d))(?:( ?)–( ?)(\d{4}-(?:\d\d-\d\d|W\d\d)))?`)

// wholeDates is the replacement of dateInText: each date in a span that
// does not break, and in a range the dash in the second date's span.
// Chromium breaks before an en dash after a space: a phone read
// "2026-09-28" over "– 2026-10-04" in the header. The range may still
// break after its first date (its dash then begins the second line), or
// stays on one line where it fits.
func wholeDates(m []byte) []byte {
	sub := dateInText.FindSubmatch(m)
	out := append([]byte(`<span class="nw">`), sub[1]...)
	out = append(out, `</span>`...)
	if sub[4] == nil {
		return out
	}
	out = append(out, sub[2]...)
	out = append(out, `<span class="nw">–`...)
	out = append(out, sub[3]...)
	out = append(out, sub[4]...)
	return append(out, `</span>`...)
}

// rangeInBrackets is a short bracketed range of numbers: "(00–06)",
// "（4–5 星）", "(4–5 ★)". A phone broke the GMV card's "Night order share
// (00–" over "06)" and the Chinese experiments header "满意度（4–" over "5
// 星）": Chromium breaks after an en dash. Dates are not its kind (they
// are joined by hyphens, and are in spans already when this runs).
var rangeInBrackets = regexp.MustCompile(`[(（][^()（）<>\s]{0,6}\d+ ?– ?\d+[^()（）<>]{0,6}[)）]`)

// glossInBrackets is a Chinese term in ASCII brackets glossing English
// text: "Missed takeover over 1 min (紧急接管)", "Top agents by sales
// (客服销售额)". Chromium breaks between any two Chinese characters: the
// QA page's worst conversations read "(紧" over "急接管)" at 1400 px.
var glossInBrackets = regexp.MustCompile(`\(\p{Han}{2,8}\)`)

// rawText are the elements whose content is not markup: left as it is.
var rawText = [][]byte{[]byte("script"), []byte("style"), []byte("title")}

// keepDatesWhole wraps every date and ISO week of a rendered page's text
// (a range's dash with its second date, wholeDates), every short bracketed range (rangeInBrackets) and every bracketed
// Chinese gloss (glossInBrackets), in a span that does not break (class
// nw). Chromium breaks a line after
// a hyphen before a digit: a phone read "2026-09-" over "28" in the
// header, the notes saying which days are compared and the alerts'
// cards. Tags with their attributes, scripts, styles and the title are
// copied unchanged; the text between tags is html/template's output, in
// which a date is digits and hyphens only, so the span cannot meet
// anything it would have to escape.
func keepDatesWhole(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page) + len(page)/64)
	for len(page) > 0 {
		i := bytes.IndexByte(page, '<')
		if i < 0 {
			i = len(page)
		}
		text := dateInText.ReplaceAllFunc(page[:i], wholeDates)
		text = rangeInBrackets.ReplaceAll(text, []byte(`<span class="nw">$0</span>`))
		out.Write(glossInBrackets.ReplaceAll(text, []byte(`<span class="nw">$0</span>`)))
		page = page[i:]
		j := bytes.IndexByte(page, '>')
		if j < 0 {
			out.Write(page)
			break
		}
		tag := page[:j+1]
		out.Write(tag)
		page = page[j+1:]
		for _, name := range rawText {
			rest, ok := bytes.CutPrefix(tag[1:], name)
			if !ok || len(rest) == 0 || rest[0] != '>' && rest[0] != ' ' {
				continue
			}
			end := bytes.Index(page, append([]byte("</"), name...))
			if end < 0 {
				end = len(page)
			}
			out.Write(page[:end])
			page = page[end:]
		}
	}
	return out.Bytes()
}
