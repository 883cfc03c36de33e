package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// Hostile values planted in stored events; a page that runs one of them
// sets window.__pwned. The marker text is what must show, escaped.
const (
	pwnMarker      = "window.__pwned=1"
	hostileText    = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> 这个有货吗`
	hostileAgent   = `agent-<img src=x onerror=window.__pwned=1>`
	hostileChannel = `<svg onload=window.__pwned=1>`
	hostileProduct = `p"><script>window.__pwned=1</script>`
	hostileShop    = `shop-x'"><img src=x onerror=window.__pwned=1>`
)

// plantHostile rewrites simulated lines so that user-controlled fields
// carry markup: every event of one shop gets a hostile shop_id, some
// buyers a hostile channel, some agents a hostile agent_id, some products
// a hostile product_id and some customer messages hostile text.
func plantHostile(t *testing.T, lines [][]byte) [][]byte {
	t.Helper()
	out := make([][]byte, len(lines))
	for i, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal(l, &ev); err != nil {
			t.Fatal(err)
		}
		if ev["shop_id"] == "shop-02" {
			ev["shop_id"] = hostileShop
		}
		if c, _ := ev["customer_id"].(string); strings.HasSuffix(c, "3") {
			ev["channel"] = hostileChannel
		}
		if a, _ := ev["agent_id"].(string); a != "" && (strings.HasSuffix(a, "1") || strings.HasSuffix(a, "2")) {
			ev["agent_id"] = hostileAgent
		}
		if p, _ := ev["product_id"].(string); p != "" && strings.Contains(p, "milk") {
			ev["product_id"] = hostileProduct
		}
		if ev["type"] == "message" && ev["sender"] == "customer" && i%7 == 0 {
			ev["text"] = hostileText
		}
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// TestExposure stores events whose ids and texts carry markup, computes
// the metrics and renders them with the real binary: no script runs in any
// report file or dashboard page (checked in headless Chromium), the
// dashboards refuse unauthenticated requests when a token is set, and
// injection attempts through the filters fail with 400 and change nothing.
func TestExposure(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("needs %s (apt-get install -y chromium)", chromiumPath)
	}
	w := newWorld(t, "")
	const scenario = "exposure"
	sim := w.simulate("--seed", "51", "--days", "14", "--shops", "3", "--consultations-per-day", "60")
	lines := plantHostile(t, sim.lines)
	path := filepath.Join(w.dir, "hostile-ids.jsonl")
	if err := os.WriteFile(path, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	dsn, _ := w.database("exposure")
	if _, err := w.run(5*time.Minute, nil, "import", "--quiet", "--clickhouse", dsn, "--home", w.dir, path); err != nil {
		t.Fatal(err)
	}
	st := w.status(dsn, "none")
	if st.EventsTotal != uint64(sim.tally.Events) || st.DeadLetters != 0 {
		t.Fatalf("hostile ids are valid events: stored %d of %d, %d dead letters %v", st.EventsTotal, sim.tally.Events, st.DeadLetters, st.DeadLettersByReason)
	}
	from, to := "2026-09-07", "2026-09-20"
	if _, err := w.run(10*time.Minute, nil, "metrics", "run", "--from", from, "--to", to, "--clickhouse", dsn, "--home", w.dir); err != nil {
		t.Fatal(err)
	}

	// Report files, as written by `convintel report`.
	var pages []browserPage
	for _, lang := range []string{"zh-CN", "en"} {
		for _, r := range [][]string{{"weekly", "--week", "2026-W38"}, {"alerts", "--from", from, "--to", to}, {"gmv", "--from", from, "--to", to}} {
			out := filepath.Join(w.dir, r[0]+"."+lang+".html")
			args := append([]string{"report"}, r...)
			args = append(args, "--lang", lang, "--out", out, "--clickhouse", dsn, "--home", w.dir)
			if _, err := w.run(2*time.Minute, nil, args...); err != nil {
				t.Fatal(err)
			}
			pages = append(pages, browserPage{name: "report " + r[0] + " " + lang, url: "file://" + out})
		}
	}

	// The dashboards, with a bearer token.
	token := "reliability-token-0123456789"
	port := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	srv := startProc(t, w.dir, "serve", []string{"CONVINTEL_DASHBOARDS_BEARER_TOKEN=" + token, "CONVINTEL_DASHBOARDS_LOGIN_ATTEMPTS=0"},
		w.bin, "serve", "--listen", "127.0.0.1:"+strconv.Itoa(port), "--no-schedule", "--clickhouse", dsn, "--home", w.dir)
	waitFor(t, "dashboards answering", 30*time.Second, 100*time.Millisecond, func() (bool, error) {
		if srv.exited() {
			t.Fatalf("serve exited: %v\n%s", srv.waitErr, tailFile(srv.logPath, 20))
		}
		code, _, err := get(base+"/healthz", "")
		return err == nil && code == 200, err
	})
	rng := "from=" + from + "&to=" + to
	protected := []string{"/", "/weekly?week=2026-W38", "/alerts?" + rng, "/gmv?" + rng, "/api/v1/metrics/conversion?" + rng,
		"/api/v1/metrics/gmv?" + rng + "&by=agent_id", "/metrics", "/archive/"}
	for _, p := range protected {
		for _, auth := range []string{"", "Bearer wrong-token-0123456789", "Basic " + basic("admin", "password1"), "Bearer " + token + "x", "bearer"} {
			code, _, err := get(base+p, auth)
			if err != nil {
				t.Fatal(err)
			}
			if code != http.StatusUnauthorized {
				t.Errorf("GET %s with Authorization %q: %d, want 401", p, auth, code)
			}
		}
	}
	good := "Bearer " + token
	for _, p := range protected[1:6] {
		if code, body, err := get(base+p, good); err != nil || code != 200 {
			t.Errorf("GET %s with the token: %d %v %.200s", p, code, err, body)
		}
	}

	// Injection through every filter: refused, and the data is untouched.
	injections := []string{
		"/api/v1/metrics/conversion?" + rng + "&shop=" + url.QueryEscape("' OR 1=1 --"),
		"/api/v1/metrics/conversion?" + rng + "&shop=" + url.QueryEscape("shop-01') UNION ALL SELECT * FROM system.users --"),
		"/api/v1/metrics/conversion?" + rng + "&channel=" + url.QueryEscape("x'; DROP TABLE messages; --"),
		"/api/v1/metrics/conversion?" + rng + "&by=" + url.QueryEscape("date; DROP TABLE orders"),
		"/api/v1/metrics/conversion?" + rng + "&by=" + url.QueryEscape("shop_id,(SELECT password FROM system.users)"),
		"/api/v1/metrics/conversion?from=" + url.QueryEscape("2026-09-07' OR '1'='1") + "&to=" + to,
		"/api/v1/metrics/conversion?from=" + from + "&to=" + url.QueryEscape("2026-09-20 00:00:00') --"),
		"/api/v1/metrics/dropoff?" + rng + "&level=" + url.QueryEscape("node) OR (1=1"),
		"/api/v1/metrics/" + url.PathEscape("conversion; DROP TABLE conversions") + "?" + rng,
		"/api/v1/metrics/conversion?" + rng + "&shop=" + url.QueryEscape(hostileShop),
		"/gmv?" + rng + "&shop=" + url.QueryEscape("<script>window.__pwned=1</script>"),
		"/weekly?week=" + url.QueryEscape("2026-W38<script>window.__pwned=1</script>"),
		"/alerts?" + rng + "&lang=" + url.QueryEscape("<script>window.__pwned=1</script>"),
	}
	for _, p := range injections {
		code, body, err := get(base+p, good)
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusBadRequest && code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 400 or 404: %.300s", p, code, body)
		}
		if strings.Contains(body, "<script>window.__pwned") {
			t.Errorf("GET %s reflects the script unescaped: %.300s", p, body)
		}
	}
	if after := w.status(dsn, "none"); after.EventsTotal != st.EventsTotal {
		t.Errorf("after the injection attempts %d events are stored, before %d", after.EventsTotal, st.EventsTotal)
	}
	figure(t, scenario, "unauthenticated_requests_refused", len(protected)*5)
	figure(t, scenario, "injection_attempts_refused", len(injections))

	for _, p := range []string{"/weekly?week=2026-W38", "/weekly?week=2026-W38&lang=en", "/alerts?" + rng, "/gmv?" + rng, "/gmv?" + rng + "&lang=en",
		"/gmv?" + rng + "&shop=" + url.QueryEscape("<script>window.__pwned=1</script>")} {
		pages = append(pages, browserPage{name: "dashboard " + p, url: base + p, auth: good})
	}
	shown := checkPagesInBrowser(t, pages)
	if shown == 0 {
		t.Error("no page showed any of the hostile values: the check proved nothing")
	}
	figure(t, scenario, "pages_checked_in_chromium", len(pages))
	figure(t, scenario, "pages_showing_hostile_values_as_text", shown)
	if err := srv.term(20 * time.Second); err != nil {
		t.Errorf("serve did not stop cleanly: %v", err)
	}
}

type browserPage struct{ name, url, auth string }

// checkPagesInBrowser opens each page in headless Chromium and fails when
// planted script ran. It returns how many pages showed a hostile value as
// text.
func checkPagesInBrowser(t *testing.T, pages []browserPage) int {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	shown := 0
	for _, pg := range pages {
		ctx, cancel := chromedp.NewContext(bctx)
		ctx, cancelT := context.WithTimeout(ctx, time.Minute)
		auth := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if pg.auth == "" {
				return nil
			}
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": pg.auth}})
			return err
		})
		steps := []chromedp.Action[chromedp.Void]{auth, chromedp.Navigate(pg.url), chromedp.Sleep(1500 * time.Millisecond)}
		err := chromedp.Do(ctx, steps...)
		var pwned bool
		var text string
		if err == nil {
			pwned, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`!!window.__pwned`))
		}
		if err == nil {
			text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		}
		cancelT()
		cancel()
		if err != nil {
			t.Errorf("%s: %v", pg.name, err)
			continue
		}
		if pwned {
			t.Errorf("%s: planted script ran (window.__pwned is set)", pg.name)
		}
		if strings.Contains(text, pwnMarker) || strings.Contains(text, "onerror=") || strings.Contains(text, "<svg") {
			shown++
		}
	}
	return shown
}

func get(u, auth string) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b), nil
}

func basic(user, pass string) string {
	req, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	req.SetBasicAuth(user, pass)
	return strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")
}
