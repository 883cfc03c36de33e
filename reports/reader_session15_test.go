package reports_test

// What session 15 fixed of a newcomer's reading of the demo's pages: the
// drop-off spike of the early-warning report and the weekly drop-off table
// named, each from its side, why they read two rates for one node.

import (
	"bytes"
	"context"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// demoFiles names every kind's file in every language, as the demo writes
// them side by side.
func demoFiles() map[[2]string]string {
	files := map[[2]string]string{}
	for _, k := range reports.Kinds {
		for _, lang := range reports.Langs {
			files[[2]string{k, lang}] = k + "." + lang + ".html"
		}
	}
	return files
}

// reportNames names the fixtures' shop-01 as a shop's dimension file would.
func reportNames(t *testing.T) *reports.Dimensions {
	t.Helper()
	d, err := reports.ReadDimensions(strings.NewReader("kind,id,zh,en\nshop,shop-01,良品小铺,Goodies Store\n"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var nwSpan = regexp.MustCompile(`<span class="nw">([^<]*)</span>`)

// plainDates undoes the spans that keep a page's dates on one line, for a
// test that reads the page's HTML.
func plainDates(s string) string { return nwSpan.ReplaceAllString(s, "$1") }

func renderWeekly(t *testing.T, w *reports.Weekly, o reports.RenderOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := reports.RenderWeekly(&b, w, o); err != nil {
		t.Fatal(err)
	}
	return plainDates(b.String())
}

var dropAlerts = regexp.MustCompile(`(?s)<div class="dropalerts">(.*?)</div>`)

// TestDropOffAlertsOnTheWeeklyPage: the demo's alerts page read 64.4 %
// abandonment at Shipping (one shop, the week so far) and the weekly
// drop-off table 45.8 % (all shops, the final days), with nothing pointing
// from one to the other. The weekly page names each drop-off spike of its
// period under the table, says why its rate is not the table's (naming the
// table's shops and days) and links the early-warning report when the page
// has a link to it.
func TestDropOffAlertsOnTheWeeklyPage(t *testing.T) {
	names := reportNames(t)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		w := reporttest.Weekly()
		w.DropOffAlerts = nil
		if s := renderWeekly(t, w, reports.RenderOptions{Lang: lang}); strings.Contains(s, `class="dropalerts"`) {
			t.Errorf("%s: a week without a drop-off spike shows the alerts box", lang)
		}
		w.DropOffAlerts = []reports.Alert{{Alert: metrics.Alert{ID: "a3", Rule: metrics.RuleDropoffSpike, Shop: "shop-01", Node: "shipping",
			Status: metrics.AlertOpen, Severity: metrics.SeverityCritical, Value: 0.644, Baseline: 0.437, Ratio: 1.5,
			Opened: w.Period.From, Date: w.Period.To}}}
		s := renderWeekly(t, w, reports.RenderOptions{Lang: lang, Names: names, Nav: reports.FileNav(lang, "weekly", demoFiles())})
		m := dropAlerts.FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("%s: the week's drop-off spike is not named on the weekly page", lang)
		}
		box := html.UnescapeString(m[1])
		for _, want := range []string{
			l.Name("node", "shipping"), l.Display("shop", "shop-01"), l.Percent(0.644), l.Percent(0.437),
			w.Period.From.Format(time.DateOnly),                                        // open since
			w.Compared.From.Format(time.DateOnly), w.Compared.To.Format(time.DateOnly), // the table's days
			l.T("weekly.dropoff_alert_all_shops"),
			`href="alerts.` + lang + `.html">` + l.T("alerts.title") + `</a>`,
		} {
			if !strings.Contains(box, want) {
				t.Errorf("%s: the drop-off alerts box lacks %q: %s", lang, want, box)
			}
		}
		if lang == reports.LangZH && regexp.MustCompile(`\p{Han}[。，]? <a|</a> `).MatchString(box) {
			t.Errorf("zh: a space between Chinese words around the link: %s", box)
		}
		// Without a link to the alerts page (one file written alone) the
		// alert is still named, with no link that leads nowhere.
		s = renderWeekly(t, w, reports.RenderOptions{Lang: lang, Names: names})
		if m := dropAlerts.FindStringSubmatch(s); m == nil || strings.Contains(m[1], "<a ") {
			t.Errorf("%s: without a nav the box is missing or links: %v", lang, m)
		}
		// A page of one shop names that shop as the table's scope.
		w.Scope.Shop = "shop-01"
		box = html.UnescapeString(dropAlerts.FindStringSubmatch(renderWeekly(t, w, reports.RenderOptions{Lang: lang, Names: names}))[1])
		if strings.Contains(box, l.T("weekly.dropoff_alert_all_shops")) {
			t.Errorf("%s: a page of one shop says its table covers all shops: %s", lang, box)
		}
	}
}

// TestDropOffAlertCardSaysItsScope: the alert's card says whose rate it is
// and over which days, and that the weekly report's table reads another.
func TestDropOffAlertCardSaysItsScope(t *testing.T) {
	names := reportNames(t)
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		l = l.WithNames(names)
		var b bytes.Buffer
		a := reporttest.Alerts()
		if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: lang, Names: names}); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range strings.Split(plainDates(b.String()), `<div class="alert `)[1:] {
			c = html.UnescapeString(c)
			scope := regexp.MustCompile(`<div class="note scope">([^<]*)</div>`).FindStringSubmatch(c)
			if !strings.Contains(c, l.Name("rule", metrics.RuleDropoffSpike)) {
				if scope != nil {
					t.Errorf("%s: a card of another rule says a drop-off scope: %s", lang, scope[1])
				}
				continue
			}
			found = true
			week := reports.WeekOf(a.Period.To).From.Format(time.DateOnly)
			if scope == nil || !strings.Contains(scope[1], l.Display("shop", "shop-01")) || !strings.Contains(scope[1], week) ||
				!strings.Contains(scope[1], l.Name("node", "shipping")) || !strings.Contains(strings.ToLower(scope[1]), strings.ToLower(l.T("weekly.title"))) {
				t.Errorf("%s: the drop-off spike's card does not say it is one shop's week of %s, nor name the weekly report's table: %q", lang, week, scope)
			}
		}
		if !found {
			t.Fatalf("%s: no drop-off spike card in the fixture", lang)
		}
	}
}

// checkDropOffAlertsOnWeekly: on simulated traffic, every drop-off spike
// of the alerts period is named on the weekly page of its week.
func checkDropOffAlertsOnWeekly(t *testing.T, ctx context.Context, src reports.Source, a *reports.Alerts) {
	t.Helper()
	checked := 0
	for _, al := range append(flatten(a.Groups), a.Closed...) {
		if al.Rule != metrics.RuleDropoffSpike {
			continue
		}
		w, err := reports.BuildWeekly(ctx, src, reports.Scope{Period: reports.WeekOf(al.Date)})
		if err != nil {
			t.Fatal(err)
		}
		var got *reports.Alert
		for i := range w.DropOffAlerts {
			if w.DropOffAlerts[i].ID == al.ID {
				got = &w.DropOffAlerts[i]
			}
		}
		if got == nil || got.Value != al.Value || got.Node != al.Node {
			t.Errorf("drop-off spike %s (%s, %s) is not on the weekly page of %s: %+v", al.ID, al.Shop, al.Node, w.Period.Label(), w.DropOffAlerts)
			continue
		}
		l, _ := reports.NewLocale(reports.LangEN)
		s := html.UnescapeString(renderWeekly(t, w, reports.RenderOptions{Lang: reports.LangEN}))
		judged, _ := reports.JudgedDays(al.Alert, w.Coverage)
		if !strings.Contains(s, l.Percent(al.Value)+" abandonment over "+shortDays(judged)) {
			t.Errorf("weekly page of %s does not read the alert's %s", w.Period.Label(), l.Percent(al.Value))
		}
		checked++
	}
	if checked == 0 {
		t.Error("no drop-off spike in the simulated alerts: the simulation plants one")
	}
}

// TestChinesePunctuation: the Chinese pages wrote a Latin colon and
// space after Chinese labels ("统计周期: 2026-W40 (2026-09-28 – …)",
// "基线: 43.7 %", "建议动作: …", the QA page's "站外导流: 「vx」") beside
// notes that use "：" and "（）". Every Chinese page's header and main
// text use the Chinese colon after a Chinese word, and the period in the
// header the Chinese parentheses.
func TestChinesePunctuation(t *testing.T) {
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)
	latinColon := regexp.MustCompile(`[\p{Han}）」》] ?: `)
	for name, page := range fixturePages(t, reports.LangZH) {
		text := html.UnescapeString(tags.ReplaceAllString(page, ""))
		for _, m := range latinColon.FindAllStringIndex(text, -1) {
			t.Errorf("zh %s: a Latin colon after Chinese: %q", name, strings.ToValidUTF8(text[max(0, m[0]-20):min(len(text), m[1]+20)], ""))
		}
		if name == "weekly" && !strings.Contains(text, "2026-W47（2026-11-16 – 2026-11-22）") {
			t.Errorf("zh weekly: the period in the header is not in Chinese parentheses")
		}
	}
	// English keeps its own.
	if en := plainDates(fixturePages(t, reports.LangEN)["weekly"]); !strings.Contains(en, "Period: 2026-W47 (2026-11-16 – 2026-11-22)") {
		t.Errorf("en weekly: the period reads otherwise than \"Period: 2026-W47 (2026-11-16 – 2026-11-22)\"")
	}
}

// TestDatesKeptWhole: a phone broke dates at their hyphens ("Period:
// 2026-W40 (2026-09-" over "28 – 2026-10-04)", and the same in the notes
// naming the days compared). Every date and ISO week of every page's text
// is wrapped in a span that keeps it on one line; the title, the scripts
// (the charts' data), the styles and attributes (the filter form's dates)
// are left as they are. TestBrowser (dashboards) checks on the pages as
// drawn that no date in the text stands on two lines.
func TestDatesKeptWhole(t *testing.T) {
	raw := regexp.MustCompile(`(?s)<(script|style|title)\b.*?</(script|style|title)>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	date := regexp.MustCompile(`\d{4}-(\d\d-\d\d|W\d\d)`)
	for _, lang := range reports.Langs {
		pages := fixturePages(t, lang)
		var b bytes.Buffer
		o := reports.RenderOptions{Lang: lang, Filters: &reports.Filters{Action: "/weekly", Week: "2026-W47", From: "2026-11-16", To: "2026-11-22"}}
		if err := reports.RenderWeekly(&b, reporttest.Weekly(), o); err != nil {
			t.Fatal(err)
		}
		pages["weekly with filters"] = b.String()
		for name, page := range pages {
			for _, m := range raw.FindAllString(page, -1) {
				if strings.Contains(m, `class="nw"`) || strings.Contains(m, `class=\"nw\"`) || strings.Contains(m, `class=\u0022nw`) {
					t.Errorf("%s %s: a date wrapped inside a title, script or style: %.80s", lang, name, m)
				}
			}
			text := tag.ReplaceAllString(nwSpan.ReplaceAllString(raw.ReplaceAllString(page, ""), ""), "")
			if m := date.FindAllString(text, 3); m != nil {
				t.Errorf("%s %s: dates in the text not kept whole: %q", lang, name, m)
			}
			if !strings.Contains(page, `<span class="nw">2026-W47</span>`) {
				t.Errorf("%s %s: the header's week is not kept whole", lang, name)
			}
		}
		if !strings.Contains(pages["weekly with filters"], `value="2026-11-16"`) {
			t.Errorf("%s: the filter form's date lost its value", lang)
		}
	}
}

// TestFunnelMedianSaysFromWhen: the funnel's last column read "Median
// time" / 耗时中位数 beside "Order created 30.8 h", and a manager asked:
// since what? It is the time from the buyer's first message of the day's
// first consultation (metrics.md §5), and the header says so.
func TestFunnelMedianSaysFromWhen(t *testing.T) {
	for lang, want := range map[string]string{reports.LangEN: "Median time from first message", reports.LangZH: "距首条咨询耗时（中位数）"} {
		if !strings.Contains(fixturePages(t, lang)["weekly"], `<th class="num time">`+want+`</th>`) {
			t.Errorf("%s: the funnel's median time does not say it is from the first message (want %q)", lang, want)
		}
	}
}
