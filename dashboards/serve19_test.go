package dashboards

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
)

// coveredServer is a server over src whose data lie on 2026-09-07 –
// 2026-10-04 (the demo's days), with the clock two months later.
func coveredServer(t *testing.T, src reports.Source) *httptest.Server {
	t.Helper()
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, reporttest.Loc) }
	cov := metrics.Coverage{FirstDay: day(9, 7), LastDay: day(10, 4), Days: 28, Watermark: day(10, 5),
		CompleteThrough: day(9, 30), Window: 72 * time.Hour, ConsultationsFrom: day(9, 7)}
	srv, err := New(Options{Settings: DefaultSettings(), Source: src, Location: reporttest.Loc,
		Coverage: func(context.Context) (metrics.Coverage, error) { return cov, nil },
		Now:      func() time.Time { return day(12, 7).Add(10 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// Session 19: what a newcomer following the README met in serve.

// TestNotFoundIsAPage: a mistyped address answered the mux's bare text
// "404 page not found"; now a page of the site with the navigation, and
// JSON naming the endpoint under /api/.
func TestNotFoundIsAPage(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for _, c := range []struct{ path, want string }{
		{"/week", "没有 /week 这个页面"},
		{"/week?lang=en", "There is no page at /week"},
		{"/weekly/extra?lang=en", "There is no page at /weekly/extra"},
		{"/docs/nope.md?lang=en", "There is no page at /docs/nope.md"},
	} {
		code, body := get(t, ts.URL+c.path, "")
		if code != http.StatusNotFound {
			t.Errorf("%s: HTTP %d, want 404", c.path, code)
		}
		if !strings.Contains(body, "<!DOCTYPE html>") || !strings.Contains(body, c.want) {
			t.Errorf("%s: not a page saying %q: %.300s", c.path, c.want, body)
		}
		for _, pg := range Pages {
			if !strings.Contains(body, `href="`+pg.Path+"?") {
				t.Errorf("%s: the page does not link %s", c.path, pg.Path)
			}
		}
	}
	for _, p := range []string{"/api/v1/metrics/", "/api/v1/metrics", "/api/v2/metrics/conversion"} {
		code, body := get(t, ts.URL+p, "")
		var e struct{ Error string }
		if code != http.StatusNotFound || json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(e.Error, "/api/v1/metrics/{name}") || !strings.Contains(e.Error, "conversion") ||
			!strings.Contains(body, "week=2026-W40&by=shop_id") {
			t.Errorf("%s: HTTP %d %q, want 404 JSON naming the endpoint and the metrics", p, code, body)
		}
	}
	resp, err := http.Post(ts.URL+"/weekly", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /weekly: HTTP %d, want 405", resp.StatusCode)
	}
}

// TestNavKeepsTheWeek: the weekly page's week reached the other pages as
// its dates, and their link back to the weekly page kept the dates: the
// weekly page came back as a range, its week field empty and every change
// "vs previous period". A Monday–Sunday range now links the week.
func TestNavKeepsTheWeek(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for _, pg := range Pages {
		if pg.Weekly {
			continue
		}
		_, body := get(t, ts.URL+pg.Path+"?from=2026-11-16&to=2026-11-22&shop=shop-01&lang=en", "")
		if want := `href="/weekly?lang=en&amp;shop=shop-01&amp;week=2026-W47"`; !strings.Contains(body, want) {
			t.Errorf("%s of 2026-W47's days: no link %s", pg.Path, want)
		}
		// Other days stay days.
		_, body = get(t, ts.URL+pg.Path+"?from=2026-11-17&to=2026-11-23&lang=en", "")
		if want := `href="/weekly?from=2026-11-17&amp;lang=en&amp;to=2026-11-23"`; !strings.Contains(body, want) {
			t.Errorf("%s of 11-17 – 11-23: no link %s", pg.Path, want)
		}
	}
}

// TestLatestLinkKeepsTheShop: on a period without data, "Open the latest
// period with data" dropped the shop and channel chosen and opened the
// latest period over every shop.
func TestLatestLinkKeepsTheShop(t *testing.T) {
	ts := coveredServer(t, &recordingSource{})
	_, body := get(t, ts.URL+"/gmv?from=2026-01-01&to=2026-01-28&shop=shop-01&channel=taobao&lang=en", "")
	if want := `href="/gmv?from=2026-09-07&amp;to=2026-10-04&amp;lang=en&amp;shop=shop-01&amp;channel=taobao"`; !strings.Contains(body, want) {
		t.Errorf("/gmv of January for shop-01 on taobao: no link %s", want)
	}
	_, body = get(t, ts.URL+"/weekly?week=2026-W30&shop=shop-01&lang=en", "")
	if want := `href="/weekly?week=2026-W40&amp;lang=en&amp;shop=shop-01"`; !strings.Contains(body, want) {
		t.Errorf("/weekly of 2026-W30 for shop-01: no link %s", want)
	}
}

// shopSource answers a query by shop_id with two shops, shop-01 and
// shop-02, and every other query with no rows.
type shopSource struct{ recordingSource }

func (s *shopSource) Show(ctx context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	s.recordingSource.Show(ctx, name, q)
	if len(q.By) == 1 && q.By[0] == "shop_id" && q.Shop == "" {
		return []metrics.Row{{{Key: "shop_id", Value: "shop-01"}}, {{Key: "shop_id", Value: "shop-02"}}}, nil
	}
	if len(q.By) == 1 && q.By[0] == "channel" && q.Shop == "" && name == "conversion" {
		return []metrics.Row{{{Key: "channel", Value: "taobao"}}, {{Key: "channel", Value: "jd"}}}, nil
	}
	return nil, nil
}

// TestUnknownShopSaysSo: a shop id without data on any day (a typo in the
// URL, shop-1 for shop-01) showed every figure of every page as 0 with
// nothing saying why; now the page says which shops hold data.
func TestUnknownShopSaysSo(t *testing.T) {
	ts := coveredServer(t, &shopSource{})
	for _, pg := range Pages {
		code, body := get(t, ts.URL+pg.Path+"?week=2026-W40&shop=shop-1&lang=en", "")
		if code != http.StatusBadRequest || !strings.Contains(body, `shop &#34;shop-1&#34; has no data on any day`) ||
			!strings.Contains(body, "shop-01, shop-02") || !strings.Contains(body, `class="error"`) {
			t.Errorf("%s?shop=shop-1: HTTP %d, want 400 naming the shops with data: %.300s", pg.Path, code, body)
		}
		if code, _ := get(t, ts.URL+pg.Path+"?week=2026-W40&shop=shop-02&lang=en", ""); code != http.StatusOK {
			t.Errorf("%s?shop=shop-02: HTTP %d", pg.Path, code)
		}
	}
	if _, body := get(t, ts.URL+"/weekly?shop=shop-9", ""); !strings.Contains(body, "有数据的店铺：shop-01、shop-02") {
		t.Errorf("/weekly?shop=shop-9 in Chinese does not name the shops: %.300s", body)
	}
}

// TestAPIOpensOnData: /api/v1/metrics/{name} without a period read the
// last 7 days, "rows": [] on any database not written to this week (the
// demo's), while every page opened on data; an explicit period without
// data said nothing. Its refusals did not say what to do.
func TestAPIOpensOnData(t *testing.T) {
	src := &shopSource{}
	ts := coveredServer(t, src)
	var a struct {
		From, To, Note string
		Error          string
	}
	decode := func(path string, code int) {
		t.Helper()
		a.From, a.To, a.Note, a.Error = "", "", "", ""
		got, body := get(t, ts.URL+path, "")
		if got != code || json.Unmarshal([]byte(body), &a) != nil {
			t.Fatalf("%s: HTTP %d %q, want %d", path, got, body, code)
		}
	}
	decode("/api/v1/metrics/conversion", http.StatusOK)
	if a.From != "2026-09-28" || a.To != "2026-10-04" || a.Note != "" {
		t.Errorf("default period %s – %s (note %q), want the last 7 days with data, 2026-09-28 – 2026-10-04", a.From, a.To, a.Note)
	}
	decode("/api/v1/metrics/conversion?week=2026-W49", http.StatusOK)
	if want := "no data from 2026-11-30 to 2026-12-06: the data cover 2026-09-07 to 2026-10-04"; a.Note != want {
		t.Errorf("a week without data: note %q, want %q", a.Note, want)
	}
	decode("/api/v1/metrics/conversion?week=2026-W40&shop=shop-1", http.StatusOK)
	if want := `shop "shop-1" has no data on any day (2026-09-07 – 2026-10-04); the shops with data are shop-01, shop-02`; a.Note != want {
		t.Errorf("an unknown shop: note %q, want %q…", a.Note, want)
	}
	decode("/api/v1/metrics/conversion?week=2026-W40&shop=shop-02", http.StatusOK)
	if a.Note != "" {
		t.Errorf("a shop with data: note %q", a.Note)
	}
	for path, want := range map[string]string{
		"/api/v1/metrics/alerts?by=shop_id":          "alerts takes no by: leave it out",
		"/api/v1/metrics/gmv?channel=taobao":         "gmv has no channel: leave channel out (it covers every channel); the metrics with a channel are conversion",
		"/api/v1/metrics/conversion?from=2026-09-28": "give both dates (from=2026-09-28&to=2026-10-04), or a week (week=2026-W40)",
		"/api/v1/metrics/alerts?channel=taobao":      "alerts takes no by or channel: leave them out",
	} {
		decode(path, http.StatusBadRequest)
		if !strings.Contains(a.Error, want) {
			t.Errorf("%s: error %q, want it to say %q", path, a.Error, want)
		}
	}
}

// TestNavLinksTheOtherLanguage: the report files link each page in the
// other language from their nav; serve's pages switched only through the
// form's select and Apply. Now the nav ends with the same page, filters
// kept, in the other language.
func TestNavLinksTheOtherLanguage(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for path, want := range map[string]string{
		"/weekly?week=2026-W47&shop=shop-01":                        `<a href="/weekly?lang=en&amp;shop=shop-01&amp;week=2026-W47">English</a>`,
		"/weekly?week=2026-W47&lang=en":                             `<a href="/weekly?lang=zh-CN&amp;week=2026-W47">中文</a>`,
		"/gmv?from=2026-11-01&to=2026-11-30&channel=taobao&lang=en": `<a href="/gmv?channel=taobao&amp;from=2026-11-01&amp;lang=zh-CN&amp;to=2026-11-30">中文</a>`,
	} {
		_, body := get(t, ts.URL+path, "")
		if !strings.Contains(body, want) {
			t.Errorf("%s: the nav lacks %s", path, want)
		}
	}
}

var errorText = regexp.MustCompile(`(?s)<section class="error".*?</section>`)

// TestFilterErrorsInThePageLanguage: a Chinese page refused its filters
// in English under its Chinese heading ("week \"2026-W99\": 2026 has no
// week 99"), and said neither which weeks exist nor what to change.
func TestFilterErrorsInThePageLanguage(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for path, want := range map[string]string{
		"/weekly?week=2026-W99":                      "2026 年没有第 99 周，该年的周是 2026-W01 到 2026-W53",
		"/weekly?week=2026-W99&lang=en":              "2026 has no week 99; its weeks run from 2026-W01 to 2026-W53",
		"/weekly?week=2027-W53&lang=en":              "2027 has no week 53; its weeks run from 2027-W01 to 2027-W52",
		"/weekly?week=W40":                           "请写成 ISO 周的形式，如 2026-W40",
		"/gmv?from=2026-10-04&to=2026-09-28":         "开始日期 2026-10-04 晚于结束日期 2026-09-28：请对调",
		"/gmv?from=2026-10-04&to=2026-09-28&lang=en": "from 2026-10-04 is after to 2026-09-28: swap them",
		"/gmv?from=2020-01-01&to=2026-10-04":         "共 2469 天：一页最多 366 天",
		"/qa?from=2026-09-28":                        "开始和结束日期要一起给",
		"/alerts?from=28.09.2026&to=2026-10-04":      "开始日期 &#34;28.09.2026&#34;：请写成 2026-09-28 的形式",
		"/weekly?channel=taobao":                     "没有渠道筛选",
		"/weekly?wk=2026-W40":                        "不认识的参数 &#34;wk&#34;",
	} {
		code, body := get(t, ts.URL+path, "")
		text := nwSpan.ReplaceAllString(body, "$1")
		if code != http.StatusBadRequest || !strings.Contains(text, want) {
			t.Errorf("%s: HTTP %d, want 400 saying %q: %s", path, code, want, errorText.FindString(text))
		}
	}
}

// failingSource fails every query with err.
type failingSource struct{ err error }

func (f failingSource) Show(context.Context, string, metrics.Query) ([]metrics.Row, error) {
	return nil, f.err
}
func (f failingSource) Alerts(context.Context, metrics.Query) ([]metrics.Alert, error) {
	return nil, f.err
}

// TestOutageIsAPage: a page whose data store did not answer was a bare
// English paragraph without the site's navigation or styles.
func TestOutageIsAPage(t *testing.T) {
	_, ts := newServer(t, failingSource{context.DeadlineExceeded}, DefaultSettings())
	for path, want := range map[string]string{
		"/weekly?week=2026-W47":        "数据库（ClickHouse）响应太慢或无法连接",
		"/gmv?lang=en":                 "The data store (ClickHouse) is slow or unreachable",
		"/qa?week=2026-W47&lang=zh-CN": "请过一分钟再刷新",
	} {
		code, body := get(t, ts.URL+path, "")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, want) || !strings.Contains(body, `class="error"`) ||
			!strings.Contains(body, `<nav>`) || strings.Contains(body, "deadline") {
			t.Errorf("%s: HTTP %d, want 503, a page of the site saying %q: %.300s", path, code, want, errorText.FindString(body))
		}
	}
	_, ts = newServer(t, failingSource{errors.New("code: 60, table missing")}, DefaultSettings())
	if code, body := get(t, ts.URL+"/weekly?lang=en", ""); code != http.StatusInternalServerError || !strings.Contains(body, "the details are in the server&#39;s log") ||
		!strings.Contains(body, `<nav>`) || strings.Contains(body, "table missing") {
		t.Errorf("/weekly with a failing query: HTTP %d: %.300s", code, errorText.FindString(body))
	}
}

// TestRootKeepsTheQuery: / redirected to /weekly without its query, so
// /?lang=en opened the weekly page in Chinese.
func TestRootKeepsTheQuery(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{"/": "/weekly", "/?lang=en&shop=shop-01": "/weekly?lang=en&shop=shop-01"} {
		resp, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Errorf("%s: HTTP %d to %q, want 302 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

// TestErrorPageKeepsTheShop: a refused week sent a reader who had chosen
// a shop back to every shop: the error page's navigation and its link to
// the defaults dropped it.
func TestErrorPageKeepsTheShop(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	_, body := get(t, ts.URL+"/weekly?week=2026-W99&shop=shop-01&lang=en", "")
	for _, want := range []string{`<a href="/weekly?lang=en&amp;shop=shop-01">Open it with the default filters</a>`, `href="/gmv?lang=en&amp;shop=shop-01"`} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %s: %s", want, errorText.FindString(body))
		}
	}
	// A refused shop is not carried on.
	if _, body := get(t, ts.URL+"/weekly?shop=%3Cb%3E&lang=en", ""); strings.Contains(body, "shop=%3Cb%3E") {
		t.Error("the error page links on the shop it refused")
	}
}

// TestNavLeavesOtherDefaults: /alerts opened without a period shows the
// last day with data, and its nav carried that one day to every page: the
// weekly report of 2026-10-04 alone, the GMV of one day. A page's default
// that is not a week now leaves each page its own; a week still goes along.
func TestNavLeavesOtherDefaults(t *testing.T) {
	ts := coveredServer(t, &recordingSource{})
	for path, want := range map[string]string{
		"/alerts?lang=en": `href="/weekly?lang=en"`,
		"/gmv?lang=en":    `href="/weekly?lang=en"`,
		"/weekly?lang=en": `href="/alerts?from=2026-09-28&amp;lang=en&amp;to=2026-10-04"`,
		"/alerts?from=2026-10-04&to=2026-10-04&lang=en": `href="/weekly?from=2026-10-04&amp;lang=en&amp;to=2026-10-04"`,
	} {
		if _, body := get(t, ts.URL+path, ""); !strings.Contains(body, want) {
			t.Errorf("%s: the nav lacks %s", path, want)
		}
	}
}

// TestWeekAsTyped: "2026-w47", " 2026-W47" and ISO's basic "2026W47",
// typed into the URL, were refused.
func TestWeekAsTyped(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for _, w := range []string{"2026-w47", "%202026-W47%20", "2026W47"} {
		code, body := get(t, ts.URL+"/weekly?lang=en&week="+w, "")
		if code != http.StatusOK || !strings.Contains(nwSpan.ReplaceAllString(body, "$1"), "Period: 2026-W47 (2026-11-16 – 2026-11-22)") {
			t.Errorf("week=%s: HTTP %d %s", w, code, errorText.FindString(body))
		}
	}
	if code, _ := get(t, ts.URL+"/api/v1/metrics/conversion?week=2026w47&from=%202026-11-16", ""); code != http.StatusBadRequest {
		t.Errorf("week and from together: HTTP %d, want 400", code)
	}
}

// TestArchiveIsAPage: /archive/ was the file server's bare listing
// ("alerts/ schedule-state.json weekly/") without the site's navigation,
// and a missing file the bare "404 page not found".
func TestArchiveIsAPage(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"weekly/2026-W47.zh-CN.html", "weekly/2026-W47.en.html", "weekly/2026-W48.en.html", "alerts/2026-11-22.zh-CN.html", "schedule-state.json"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("<!doctype html><p>report "+f), 0o644)
	}
	srv, err := New(Options{Settings: DefaultSettings(), Source: &recordingSource{}, Location: reporttest.Loc, ArchiveDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	code, body := get(t, ts.URL+"/archive/?lang=en", "")
	text := nwSpan.ReplaceAllString(body, "$1")
	for _, want := range []string{"<h1>Report archive</h1>", "<h3>Weekly funnel report</h3>",
		`<li>2026-W48 · <a href="/archive/weekly/2026-W48.en.html">English</a></li>`,
		`<li>2026-W47 · <a href="/archive/weekly/2026-W47.zh-CN.html">中文</a> · <a href="/archive/weekly/2026-W47.en.html">English</a></li>`,
		`<a href="/archive/alerts/2026-11-22.zh-CN.html">中文</a>`, `href="/gmv?lang=en"`} {
		if code != http.StatusOK || !strings.Contains(text, want) {
			t.Errorf("/archive/: HTTP %d, lacks %s", code, want)
		}
	}
	if strings.Index(text, "Weekly funnel report</h3>") > strings.Index(text, "Early-warning report</h3>") || strings.Index(text, "2026-W48") > strings.Index(text, "2026-W47") {
		t.Error("/archive/ lists the kinds out of the nav's order or the periods oldest first")
	}
	if strings.Contains(body, "schedule-state") {
		t.Error("/archive/ lists the scheduler's state file")
	}
	if code, body := get(t, ts.URL+"/archive/weekly/2026-W47.en.html", ""); code != http.StatusOK || !strings.Contains(body, "report weekly/2026-W47.en.html") {
		t.Errorf("an archived file: HTTP %d %.100s", code, body)
	}
	if code, body := get(t, ts.URL+"/archive/weekly/", ""); code != http.StatusOK || !strings.Contains(body, "<h1>报告存档</h1>") {
		t.Errorf("/archive/weekly/: HTTP %d, not the archive page", code)
	}
	if code, body := get(t, ts.URL+"/archive/weekly/2026-W01.en.html?lang=en", ""); code != http.StatusNotFound || !strings.Contains(nwSpan.ReplaceAllString(body, "$1"), "There is no page at /archive/weekly/2026-W01.en.html") {
		t.Errorf("a missing archive file: HTTP %d %.200s", code, errorText.FindString(body))
	}
	// Nothing archived yet: the page says when reports will come.
	srv, _ = New(Options{Settings: DefaultSettings(), Source: &recordingSource{}, Location: reporttest.Loc, ArchiveDir: filepath.Join(dir, "none")})
	ts2 := httptest.NewServer(srv)
	defer ts2.Close()
	if code, body := get(t, ts2.URL+"/archive/?lang=en", ""); code != http.StatusOK || !strings.Contains(body, "No scheduled report has been written yet") {
		t.Errorf("an empty archive: HTTP %d %.200s", code, body)
	}
}

// TestUnknownChannelSaysSo: channel=tabao (for taobao) on the GMV page
// read 0 in every conversion figure with nothing saying why.
func TestUnknownChannelSaysSo(t *testing.T) {
	ts := coveredServer(t, &shopSource{})
	code, body := get(t, ts.URL+"/gmv?channel=tabao&shop=shop-01&lang=en", "")
	text := nwSpan.ReplaceAllString(body, "$1")
	if code != http.StatusBadRequest || !strings.Contains(text, `channel &#34;tabao&#34; has no data on any day`) || !strings.Contains(text, "JD (jd), Taobao (taobao)") ||
		!strings.Contains(body, `href="/gmv?lang=en&amp;shop=shop-01"`) {
		t.Errorf("/gmv?channel=tabao: HTTP %d, want 400 naming the channels with data: %s", code, errorText.FindString(text))
	}
	if code, _ := get(t, ts.URL+"/gmv?channel=taobao&lang=en", ""); code != http.StatusOK {
		t.Errorf("/gmv?channel=taobao: HTTP %d", code)
	}
}

// TestMisdirectedSaysWhereToGo: http://0.0.0.0:8088/weekly (which reaches
// this machine) was refused with the rule alone.
func TestMisdirectedSaysWhereToGo(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/weekly?week=2026-W40", nil)
	req.Host = "0.0.0.0:8088"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// a link since session 20 (TestMisdirectedIsAPage)
	if resp.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(string(b), `href="http://127.0.0.1:8088/weekly?week=2026-W40"`) {
		t.Errorf("Host 0.0.0.0:8088: HTTP %d %q", resp.StatusCode, b)
	}
}
