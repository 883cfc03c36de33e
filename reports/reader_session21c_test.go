package reports_test

// What the third pass of session 21 fixed of a newcomer's reading of the
// demo's pages (2026-12-07, headless Chromium at 1400 px and on a 390 px
// phone, both languages). The layout itself is checked as drawn by
// TestBrowser (dashboards); these tests hold the markup that keeps it.

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestRangeDashStaysWithItsSecondDate: on a phone the header's range broke
// before its dash, "2026-09-28" over "– 2026-10-04": the dates were kept
// whole, the range was not. The dash is in the second date's span, so the
// range breaks after its first date, if at all.
func TestRangeDashStaysWithItsSecondDate(t *testing.T) {
	loose := regexp.MustCompile(`</span> ?– ?<span class="nw">\d{4}`)
	for _, lang := range reports.Langs {
		for name, page := range fixturePages(t, lang) {
			if m := loose.FindString(page); m != "" {
				t.Errorf("%s %s: a range's dash stands apart from its second date: %q", lang, name, m)
			}
			if !strings.Contains(page, `<span class="nw">2026-11-16</span> <span class="nw">– 2026-11-22</span>`) {
				t.Errorf("%s %s: the period's range is not written as 2026-11-16 + \"– 2026-11-22\" kept together", lang, name)
			}
		}
	}
}

// TestPromoMarkStaysWithItsChange: at 1400 px a growth card's change
// "+2.9 pp vs previous week" had its "promo" mark wrapped under it, alone.
// The mark is kept on one line with the change's last word, in both
// languages (TestBrowser checks it as drawn, on the four-week GMV page
// with a promotion day).
func TestPromoMarkStaysWithItsChange(t *testing.T) {
	delta := regexp.MustCompile(`<div class="delta [a-z]+">([^<]*(?:<span class="nw">[^<]*</span>[^<]*)*)(<span class="nw">[^<\s]+ )?<span class="promo-mark">`)
	for _, lang := range reports.Langs {
		g := reporttest.GMV()
		g.PromotionDays = []string{"2026-11-18"}
		var b bytes.Buffer
		if err := reports.RenderGMV(&b, g, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		ms := delta.FindAllStringSubmatch(b.String(), -1)
		if len(ms) < 8 {
			t.Fatalf("%s: %d cards with the promotion's mark, want the 8 of the fixture", lang, len(ms))
		}
		for _, m := range ms {
			if m[2] == "" {
				t.Errorf("%s: the mark may wrap apart from its change: %q", lang, m[0])
			}
		}
	}
}
