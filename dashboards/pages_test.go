package dashboards

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// TestPagesOnData: with the clock months after the simulated data (as for
// the demo), a page opened without a period shows the latest period with
// data; a period without data says which dates have some and links
// there; the filter form sends a week or dates, never both; a bad request
// is answered with a page of the site that says what is wrong; the
// navigation keeps the period.
var nwSpan = regexp.MustCompile(`<span class="nw">([^<]*)</span>`)

func TestPagesOnData(t *testing.T) {
	conn, from, to := loadSimulated(t)
	srv, err := New(Options{Settings: DefaultSettings(), Source: reports.ShowSource(conn), Location: reporttest.Loc,
		Coverage: reports.ShowCoverage(conn, reporttest.Loc, 72*time.Hour),
		Now:      func() time.Time { return to.AddDate(0, 3, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	last := reports.WeekOf(to)
	must := func(path string, code int, want ...string) string {
		t.Helper()
		got, body := get(t, ts.URL+path, "")
		if got != code {
			t.Fatalf("%s: HTTP %d, want %d: %.300s", path, got, code, body)
		}
		// the text as read: dates are wrapped in spans that keep them on one line
		text := nwSpan.ReplaceAllString(body, "$1")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: page lacks %q", path, w)
			}
		}
		return body
	}
	// Default: the latest week with data, its week in the form only.
	zh, _ := reports.NewLocale(reports.LangZH)
	body := must("/weekly", 200, zh.PeriodLabel(last), `name="week" value="`+last.Week+`"`, `name="from" value=""`)
	if strings.Contains(body, `class="empty"`) {
		t.Error("/weekly shows the empty state although it opened on data")
	}
	// The nav carries the period: the week to weekly pages, its dates to the others.
	must("/weekly?week="+last.Week+"&lang=en", 200,
		`href="/alerts?from=`+last.From.Format(time.DateOnly)+`&amp;lang=en&amp;to=`+last.To.Format(time.DateOnly)+`"`,
		`href="/gmv?from=`+last.From.Format(time.DateOnly))
	must("/gmv", 200, to.Format(time.DateOnly))
	must("/alerts", 200, to.Format(time.DateOnly))
	// What Apply sends: the week, and the untouched empty dates.
	must("/weekly?week="+last.Week+"&from=&to=&shop=&lang=zh-CN", 200, zh.PeriodLabel(last))
	must("/weekly?from="+from.Format(time.DateOnly)+"&to="+from.AddDate(0, 0, 6).Format(time.DateOnly)+"&week=&shop=&lang=en", 200)
	// A week without data says where the data is, and links to it.
	must("/weekly?week=2026-W50&lang=en", 200, "No data for 2026-W50 (", from.Format(time.DateOnly), to.Format(time.DateOnly),
		`href="/weekly?week=`+last.Week+`&amp;lang=en"`)
	// Errors are pages with the message inside, not escaped plain text.
	body = must("/weekly?week=2026-W99&lang=en", http.StatusBadRequest, "<!DOCTYPE html>", "2026-W99", `class="error"`, `href="/weekly?lang=en"`)
	if strings.Contains(body, "&amp;#34;") || strings.Contains(body, "<script") {
		t.Errorf("error page double-escapes or carries script: %.400s", body)
	}
	must("/weekly?week="+last.Week+"&from=2026-09-01&to=2026-09-07&lang=en", http.StatusBadRequest, "not both")
	must("/weekly?week="+last.Week+"&from=2026-09-01&to=2026-09-07", http.StatusBadRequest, "其中一种")
}
