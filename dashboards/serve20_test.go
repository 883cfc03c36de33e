package dashboards

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
)

// stuckSource answers every metric query after wait, whatever the
// request's deadline: a driver dialling a new connection to a hung
// ClickHouse does so.
type stuckSource struct {
	recordingSource
	wait time.Duration
}

func (s *stuckSource) Show(_ context.Context, name string, q metrics.Query) ([]metrics.Row, error) {
	time.Sleep(s.wait)
	return nil, context.DeadlineExceeded
}

// TestTimeoutIsAPage: when the store did not answer past the query
// timeout plus a second, http.TimeoutHandler answered its message as a
// line of plain English text, on the zh pages too, where every other
// refusal of the site is a page of it. It is the outage page now (HTML,
// the reader's language, the navigation), and JSON under /api/.
func TestTimeoutIsAPage(t *testing.T) {
	s := DefaultSettings()
	s.QueryTimeout = time.Second
	s.CacheTTL = 0
	_, ts := newServer(t, &stuckSource{wait: 3 * time.Second}, s)
	for path, want := range map[string]string{
		"/weekly?week=2026-W47":                    "数据库无响应",
		"/gmv?week=2026-W47&lang=en":               "The data store does not answer",
		"/api/v1/metrics/conversion?week=2026-W47": `"error":"the data store is slow or unreachable`,
	} {
		start := time.Now()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body, ctype := string(b), resp.Header.Get("Content-Type")
		if took := time.Since(start); took > 2900*time.Millisecond {
			t.Errorf("%s: answered after %s, not at the timeout", path, took)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, want) {
			t.Errorf("%s: HTTP %d %s %.300q, want 503 with %q", path, resp.StatusCode, ctype, body, want)
		}
		if api := strings.HasPrefix(path, "/api/"); api && !strings.HasPrefix(ctype, "application/json") ||
			!api && (!strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, "<nav>") || resp.Header.Get("Content-Security-Policy") == "") {
			t.Errorf("%s: answered as %s (CSP %q): %.200q", path, ctype, resp.Header.Get("Content-Security-Policy"), body)
		}
	}
	// a page that answers in time passes through unchanged
	ok, ts2 := newServer(t, &recordingSource{}, s)
	_ = ok
	if code, body := get(t, ts2.URL+"/weekly?week=2026-W47&lang=en", ""); code != 200 || !strings.Contains(body, "Weekly funnel report") {
		t.Errorf("a page in time: HTTP %d %.200q", code, body)
	}
}

// TestMisdirectedIsAPage: a Host other than loopback without
// authentication got "this server answers only to localhost … open
// http://127.0.0.1:8088/…" as plain text, the address to copy by hand. It
// is a page of the site in the reader's language, linking the same page
// on 127.0.0.1; the API answers JSON.
func TestMisdirectedIsAPage(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for path, want := range map[string]string{
		"/weekly?week=2026-W40&lang=en": `<a href="http://127.0.0.1:8088/weekly?week=2026-W40&amp;lang=en">Open http://127.0.0.1:8088/weekly?week=`,
		"/qa":                           `<a href="http://127.0.0.1:8088/qa">打开 http://127.0.0.1:8088/qa</a>`,
		"/api/v1/metrics/conversion":    `"error":"this server answers only to localhost, 127.0.0.1 or [::1] (no authentication is set): open http://127.0.0.1:8088/api/v1/metrics/conversion"`,
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Host = "0.0.0.0:8088"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(string(b), want) {
			t.Errorf("Host 0.0.0.0:8088 %s: HTTP %d %s %.400q, want %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), b, want)
		}
		// every relative link would reach the refused host again
		if strings.Contains(string(b), `href="/`) {
			t.Errorf("Host 0.0.0.0:8088 %s: the page links paths of the refused host", path)
		}
	}
}

// TestFilterChoosesAllByName: the filter form's first shop (and channel)
// choice read "all" in lower case on the English pages, a word alone
// among the shops' names. It reads "All shops" / "All channels" (全部店铺 /
// 全部渠道).
func TestFilterChoosesAllByName(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	for path, want := range map[string][]string{
		"/gmv?week=2026-W47&lang=en": {`<option value="">All shops</option>`, `<option value="">All channels</option>`},
		"/gmv?week=2026-W47":         {`<option value="">全部店铺</option>`, `<option value="">全部渠道</option>`},
	} {
		_, body := get(t, ts.URL+path, "")
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: no %s in the filter form", path, w)
			}
		}
	}
}
