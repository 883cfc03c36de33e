package reports_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/assets"
	"github.com/convintel/convintel/reports/reporttest"
)

var update = flag.Bool("update", false, "rewrite the golden files under reports/testdata")

const goldenDir = "testdata"

func render(t *testing.T, kind, lang string, o reports.RenderOptions) []byte {
	t.Helper()
	o.Lang = lang
	o.Names = reporttest.Names()
	var b bytes.Buffer
	var err error
	switch kind {
	case "weekly":
		err = reports.RenderWeekly(&b, reporttest.Weekly(), o)
	case "alerts":
		err = reports.RenderAlerts(&b, reporttest.Alerts(), o)
	case "gmv":
		err = reports.RenderGMV(&b, reporttest.GMV(), o)
	case "qa":
		err = reports.RenderQA(&b, reporttest.QA(), o)
	case "agents":
		err = reports.RenderAgents(&b, reporttest.Agents(), o)
	case "experiments":
		err = reports.RenderExperiments(&b, reporttest.Experiments(), o)
	default:
		t.Fatalf("render: no fixture for report %q", kind)
	}
	if err != nil {
		t.Fatalf("render %s %s: %v", kind, lang, err)
	}
	return b.Bytes()
}

// TestGolden compares every report in both languages with its golden file.
// The golden pages load ECharts from a relative URL so the files stay
// small and diffable; TestInlineAsset covers the embedded asset.
func TestGolden(t *testing.T) {
	for _, kind := range reports.Kinds {
		for _, lang := range reports.Langs {
			got := render(t, kind, lang, reports.RenderOptions{EChartsSrc: "echarts.min.js"})
			again := render(t, kind, lang, reports.RenderOptions{EChartsSrc: "echarts.min.js"})
			if !bytes.Equal(got, again) {
				t.Errorf("%s %s: two renderings of the same data differ", kind, lang)
			}
			path := filepath.Join(goldenDir, kind+"."+lang+".html")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./reports -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s %s differs from %s; if the change is intended, rerun with -update and review the diff", kind, lang, path)
			}
		}
	}
}

func TestInlineAsset(t *testing.T) {
	page := string(render(t, "weekly", reports.LangEN, reports.RenderOptions{}))
	if !strings.Contains(page, assets.ECharts[:2000]) {
		t.Fatal("the report does not embed echarts.min.js")
	}
	if !strings.Contains(page, "Licensed to the Apache Software Foundation") {
		t.Fatal("the ECharts licence header is missing")
	}
	for _, bad := range []string{"cdn.", "jsdelivr", "unpkg", "<script src="} {
		if strings.Contains(page, bad) {
			t.Fatalf("a self-contained report refers to %q", bad)
		}
	}
}

// TestEscaping checks that hostile user text never reaches the page as
// markup: in HTML it is entity-escaped, in the chart JSON it is \u003c.
func TestEscaping(t *testing.T) {
	for _, kind := range reports.Kinds {
		page := string(render(t, kind, reports.LangEN, reports.RenderOptions{EChartsSrc: "echarts.min.js"}))
		if strings.Contains(page, "window.__pwned") && strings.Contains(page, "<script>window.__pwned") {
			t.Errorf("%s: hostile text appears unescaped", kind)
		}
		if strings.Contains(page, `onerror="window`) {
			t.Errorf("%s: hostile attribute appears unescaped", kind)
		}
		if !strings.Contains(page, "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;") {
			t.Errorf("%s: hostile text is not shown escaped as text", kind)
		}
		// Exactly the page's own script elements close.
		if n := strings.Count(page, "</script>"); n != 3 {
			t.Errorf("%s: %d </script> tags, want 3 (echarts, boot data, page script)", kind, n)
		}
	}
}

func TestFormat(t *testing.T) {
	zh, _ := reports.NewLocale("zh-CN")
	en, _ := reports.NewLocale("en")
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(en.Money(123456), "¥1,234.56")
	f(en.Money(-5), "−¥0.05")
	f(zh.Money(100000000), "¥1,000,000.00")
	f(zh.Compact(12345), "1.2万")
	f(zh.Compact(345_000_000), "3.45亿")
	f(en.Compact(12345), "12.3k")
	f(en.Compact(4_500_000), "4.5M")
	f(en.Compact(9999), "9,999")
	f(en.Percent(0.44), "44.0 %")
	f(en.Points(0.35, 0.33), "+2.0 pp")
	f(zh.Points(0.30, 0.33), "−3.0 个百分点")
	f(en.Points(0.3, 0.3), "±0.0 pp")
	f(en.Change(110, 100), "+10.0 %")
	f(en.Change(5, 0), "–")
	f(en.Decimal(-0.02, 2), "−0.02")
	f(en.Decimal(-0.001, 2), "0.00")
	f(en.Millis(850), "850 ms")
	f(en.Millis(21000), "21.0 s")
	f(en.Millis(0), "0 s")
	f(en.Millis(267.9*60_000), "4.5 h")
	// Chinese pages write the units in Chinese, as Hours does (小时)
	f(zh.Millis(850), "850 毫秒")
	f(zh.Seconds(48.9), "48.9 秒")
	f(zh.Millis(4*60_000), "4.0 分钟")
	f(zh.Millis(30*3_600_000), "30.0 小时")
	f(zh.Millis(0), "0 秒")
	// millions keep two decimals: "¥1.2M" beside the Chinese "¥118.8万"
	f(en.MoneyCompact(118_765_432), "¥1.19M")
	f(en.MoneyCompact(135_100_000), "¥1.35M")
	f(en.Compact(2_000_000), "2M")
	f(zh.MoneyCompact(118_765_432), "¥118.8万")
	f(zh.Name("node", "shipping"), "物流运费")
	f(zh.Name("node", "custom_x"), "custom_x")
}

func TestParseWeek(t *testing.T) {
	f := func(in, from, to string) {
		t.Helper()
		p, err := reports.ParseWeek(in, reporttest.Loc)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := p.From.Format("2006-01-02") + " " + p.To.Format("2006-01-02"); got != from+" "+to {
			t.Errorf("%s: got %s, want %s %s", in, got, from, to)
		}
		if p.Previous().Week == "" || reports.ISOWeek(p.From) != in {
			t.Errorf("%s: round trip gives %s", in, reports.ISOWeek(p.From))
		}
	}
	f("2026-W47", "2026-11-16", "2026-11-22")
	f("2026-W01", "2025-12-29", "2026-01-04")
	f("2020-W53", "2020-12-28", "2021-01-03")
	for _, bad := range []string{"2026-W54", "2026-W00", "2026-47", "2021-W53"} {
		if _, err := reports.ParseWeek(bad, reporttest.Loc); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestEmptyReports: with no data every report still renders, and every
// chart the page script will draw has its element.
func TestEmptyReports(t *testing.T) {
	p, _ := reports.ParseWeek("2026-W47", reporttest.Loc)
	scope := reports.Scope{Period: p}
	idRe := regexp.MustCompile(`"id":"(chart-[^"]+)"`)
	for _, lang := range reports.Langs {
		for kind, render := range map[string]func(*bytes.Buffer) error{
			"weekly": func(b *bytes.Buffer) error {
				return reports.RenderWeekly(b, &reports.Weekly{Scope: scope}, reports.RenderOptions{Lang: lang})
			},
			"alerts": func(b *bytes.Buffer) error {
				return reports.RenderAlerts(b, &reports.Alerts{Scope: scope}, reports.RenderOptions{Lang: lang})
			},
			"gmv": func(b *bytes.Buffer) error {
				return reports.RenderGMV(b, &reports.GMV{Scope: scope}, reports.RenderOptions{Lang: lang})
			},
		} {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatalf("%s %s: %v", kind, lang, err)
			}
			for _, m := range idRe.FindAllStringSubmatch(b.String(), -1) {
				if !strings.Contains(b.String(), `id="`+m[1]+`"`) {
					t.Errorf("%s %s: chart %s has no element", kind, lang, m[1])
				}
			}
		}
	}
}

// TestDimensions: a dimension file names ids per language, falls back to
// the other language and to the id, and a bad file says which line is
// wrong.
func TestDimensions(t *testing.T) {
	d, err := reports.ReadDimensions(strings.NewReader("\ufeffkind,id,zh,en\nproduct,p01-nuts,有机坚果礼盒,Organic nut gift box\nagent,a1,小美,\n\nshop,s1,,Flagship\n"))
	if err != nil {
		t.Fatal(err)
	}
	zh, _ := reports.NewLocale("zh-CN")
	en, _ := reports.NewLocale("en")
	zh, en = zh.WithNames(d), en.WithNames(d)
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(zh.Display("product", "p01-nuts"), "有机坚果礼盒")
	f(en.Display("product", "p01-nuts"), "Organic nut gift box")
	f(en.Display("agent", "a1"), "小美")
	f(zh.Display("shop", "s1"), "Flagship")
	f(zh.Display("product", "p02-tea"), "p02-tea")
	f(zh.Display("channel", "jd"), "京东")
	f(en.Name("intent", "price_promo"), "Price & promotions")
	f(zh.Name("topic", "shelf_life"), "保质期")
	for _, bad := range []string{"id,zh\nx,y\n", "kind,id,zh,en\nsku,x,y,z\n", "kind,id,zh,en\nproduct,,y,z\n",
		"kind,id,zh,en\nproduct,x,,\n", "kind,id,zh,en\nproduct,x,a,b\nproduct,x,c,d\n"} {
		if _, err := reports.ReadDimensions(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "") {
			t.Errorf("%q: no error", bad)
		} else if !strings.Contains(bad, "kind,id") == strings.Contains(err.Error(), "line") {
			t.Errorf("%q: error %q does not name the line", bad, err)
		}
	}
}

// TestLocalesComplete: every text the pages use exists in both languages.
func TestLocalesComplete(t *testing.T) {
	for _, key := range reports.MessageKeys() {
		for _, lang := range reports.Langs {
			if !reports.HasMessage(lang, key) {
				t.Errorf("%s has no %q", lang, key)
			}
		}
	}
}

// A rule that needs no baseline (qa_violation) shows neither a baseline nor
// a ratio on its card: "Baseline: 0, Ratio: 0.0×" read as a broken figure.
func TestAlertCardWithoutBaseline(t *testing.T) {
	d := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	a := &reports.Alerts{Scope: reports.Scope{Period: reports.WeekOf(d)}, Groups: []reports.AlertGroup{{Shop: "shop-01", Alerts: []reports.Alert{{
		Alert: metrics.Alert{ID: "q1", Rule: metrics.RuleQAViolation, Shop: "shop-01", Subject: "agent-1", Node: "agent-1",
			Opened: d, Date: d, Status: "open", Severity: "critical", Value: 2, ActionEN: "Review agent-1's conversation"},
	}, {
		Alert: metrics.Alert{ID: "s1", Rule: metrics.RuleTopicSurge, Shop: "shop-01", Subject: "p/shelf_life", Product: "p", Topic: "shelf_life",
			Opened: d, Date: d, Status: "open", Severity: "warning", Value: 30, Baseline: 8, Ratio: 3.75, ActionEN: "Add the shelf life"},
	}}}}}
	var b bytes.Buffer
	if err := reports.RenderAlerts(&b, a, reports.RenderOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	if n := strings.Count(html, "Baseline: "); n != 1 {
		t.Errorf("%d cards show a baseline; want only the topic surge's", n)
	}
	if !strings.Contains(html, "3.8×") && !strings.Contains(html, "3.75×") {
		t.Errorf("the topic surge's ratio is missing")
	}
}

// TestFooterOffline: a report file names the definitions without a link
// (a link to a web site leads nowhere offline); a page given DocsURL, as
// the live dashboards give theirs, links both documents there.
func TestFooterOffline(t *testing.T) {
	footer := regexp.MustCompile(`(?s)<footer>.*?</footer>`)
	for _, kind := range reports.Kinds {
		for _, lang := range reports.Langs {
			f := footer.Find(render(t, kind, lang, reports.RenderOptions{}))
			if f == nil || bytes.Contains(f, []byte("<a ")) || !bytes.Contains(f, []byte("docs/metrics.md")) || !bytes.Contains(f, []byte("docs/events.md")) {
				t.Errorf("%s %s file footer: %s", kind, lang, f)
			}
			f = footer.Find(render(t, kind, lang, reports.RenderOptions{DocsURL: "/docs/"}))
			if !bytes.Contains(f, []byte(`href="/docs/metrics.md"`)) || !bytes.Contains(f, []byte(`href="/docs/events.md"`)) {
				t.Errorf("%s %s served footer: %s", kind, lang, f)
			}
		}
	}
}

// TestFlatChange: a change is coloured as it is printed. The demo's
// weekly report showed the negative rate's "±0.0 pp" in red (10.04 %
// against 10.02 %) and a shop's "±0.0 pp" in green beside a reader's
// "no change".
func TestFlatChange(t *testing.T) {
	en, _ := reports.NewLocale("en")
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	f(en.Points(0.1004, 0.1002)+" "+en.Trend(0.1004, 0.1002, false), "±0.0 pp flat")
	f(en.Points(0.1002, 0.1004)+" "+en.Trend(0.1002, 0.1004, true), "±0.0 pp flat")
	f(en.Points(0.1010, 0.1002)+" "+en.Trend(0.1010, 0.1002, false), "+0.1 pp bad")
	f(en.Points(0.33, 0.35)+" "+en.Trend(0.33, 0.35, true), "−2.0 pp bad")
	f(en.Points(0.33, 0.33)+" "+en.Trend(0.33, 0.33, true), "±0.0 pp flat")
	f(en.Change(100_040, 100_000)+" "+en.ChangeTrend(100_040, 100_000, true), "±0.0 % flat")
	f(en.Change(100_100, 100_000)+" "+en.ChangeTrend(100_100, 100_000, true), "+0.1 % good")
	f(en.Change(90, 100)+" "+en.ChangeTrend(90, 100, false), "−10.0 % good")
	f(en.Change(5, 0)+" "+en.ChangeTrend(5, 0, true), "– flat")

	w := reporttest.Weekly()
	w.PrevSentiment.NegativeRate = w.Sentiment.NegativeRate - 0.0002
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		var page bytes.Buffer
		if err := reports.RenderWeekly(&page, w, reports.RenderOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		want := `<div class="delta flat">` + l.Points(w.Sentiment.NegativeRate, w.PrevSentiment.NegativeRate)
		if !strings.Contains(page.String(), want) {
			t.Errorf("%s weekly report: the negative rate's change of ±0.0 is coloured (want %q)", lang, want)
		}
	}
}

// TestDropOffTableLeadsWithAbandonment: the weekly page's drop-off table
// gives the abandonment rate and its change right after the node: on a
// phone the table scrolls sideways, and with touched and dropped first
// the figures the operations manager came for started off-screen.
func TestDropOffTableLeadsWithAbandonment(t *testing.T) {
	for _, lang := range reports.Langs {
		l, _ := reports.NewLocale(lang)
		page := string(render(t, "weekly", lang, reports.RenderOptions{EChartsSrc: "echarts.min.js"}))
		i := strings.Index(page, ">"+l.T("abandonment_rate")+"</th>")
		j := strings.Index(page, ">"+l.T("touched")+"</th>")
		if i < 0 || j < 0 || i > j {
			t.Errorf("%s: the abandonment header (at %d) must come before touched (at %d)", lang, i, j)
		}
	}
}

// TestChineseSpacing: a Chinese page's own sentences put no space between
// two Chinese words: the weekly note read "均已走完 72 小时 下单窗口" (the
// window's "72 小时" written into "%s 下单窗口"). Spaces stay around
// numbers and Latin text, and between a label and its value ("店铺 良品小铺",
// "个百分点 较上周"), which are separate elements, not one sentence.
func TestChineseSpacing(t *testing.T) {
	w := reporttest.Weekly()
	var b bytes.Buffer
	if err := reports.RenderWeekly(&b, w, reports.RenderOptions{Lang: reports.LangZH}); err != nil {
		t.Fatal(err)
	}
	han := regexp.MustCompile(`\p{Han} +\p{Han}`)
	for _, p := range regexp.MustCompile(`(?s)<p class="[^"]*">(.*?)</p>`).FindAllStringSubmatch(b.String(), -1) {
		if m := han.FindString(p[1]); m != "" {
			t.Errorf("zh weekly: %q in the note %q", m, p[1])
		}
	}
}
