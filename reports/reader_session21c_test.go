package reports_test

// What the third pass of session 21 fixed of a newcomer's reading of the
// demo's pages (2026-12-07, headless Chromium at 1400 px and on a 390 px
// phone, both languages). The layout itself is checked as drawn by
// TestBrowser (dashboards); these tests hold the markup that keeps it.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/convintel/convintel/reports"
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
