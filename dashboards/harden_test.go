package dashboards

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chlocal"
)

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp, b.String()
}

// TestRequestGuards: too many query parameters, a foreign Host without
// auth, driver errors in /healthz, weak secrets, the bearer scheme in any
// case, and page CSP without 'unsafe-inline' scripts.
func TestRequestGuards(t *testing.T) {
	src := &recordingSource{}
	s := DefaultSettings()
	srv, ts := newServer(t, src, s)
	srv.o.Ready = func(context.Context) error { return errors.New("dial tcp 10.1.2.3:9000: connect: connection refused") }

	many := make([]string, 10_001)
	for i := range many {
		many[i] = fmt.Sprintf("p%d=1", i)
	}
	for _, n := range []int{101, 10_001} {
		code, body := get(t, ts.URL+"/api/v1/metrics/conversion?"+strings.Join(many[:n], "&"), "")
		if code != http.StatusBadRequest || !strings.Contains(body, "too many query parameters") {
			t.Errorf("%d parameters: HTTP %d %s", n, code, body)
		}
	}
	if len(src.queries) != 0 {
		t.Errorf("a refused request ran queries: %v", src.queries)
	}
	for host, want := range map[string]int{"evil.example": http.StatusMisdirectedRequest, "evil.example:8088": http.StatusMisdirectedRequest,
		"localhost:8088": http.StatusOK, "127.0.0.1": http.StatusOK, "[::1]:8088": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/metrics/conversion", nil)
		req.Host = host
		if resp, body := do(t, req); resp.StatusCode != want {
			t.Errorf("Host %s: HTTP %d, want %d: %s", host, resp.StatusCode, want, body)
		}
	}
	if code, body := get(t, ts.URL+"/healthz", ""); code != http.StatusServiceUnavailable || strings.Contains(body, "10.1.2.3") || strings.Contains(body, "dial") {
		t.Errorf("/healthz: HTTP %d %q: want 503 without the driver's error", code, body)
	}
	resp, body := do(t, mustReq(t, ts.URL+"/weekly?week=2026-W47", ""))
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "'sha256-") || strings.Contains(csp, "unsafe-inline'; style") && strings.Contains(strings.Split(csp, "style-src")[0], "unsafe-inline") {
		t.Errorf("weekly page: HTTP %d, CSP %q", resp.StatusCode, csp)
	}
	if !strings.Contains(body, "<script>") {
		t.Error("the page has no inline script: the CSP check proved nothing")
	}

	for _, weak := range []string{strings.Repeat(" ", 20), strings.Repeat("a", 24), "abababababababababab"} {
		w := DefaultSettings()
		w.BearerToken = weak
		if err := w.Validate(); err == nil {
			t.Errorf("bearer token %q accepted", weak)
		}
		w = DefaultSettings()
		w.BasicUser, w.BasicPassword = "ops", weak
		if err := w.Validate(); err == nil {
			t.Errorf("password %q accepted", weak)
		}
	}

	a := DefaultSettings()
	a.BearerToken = token
	_, ats := newServer(t, src, a)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		if code, body := get(t, ats.URL+"/api/v1/metrics/conversion", scheme+" "+token); code != 200 {
			t.Errorf("scheme %q: HTTP %d %s", scheme, code, body)
		}
	}
}

func mustReq(t *testing.T, u, auth string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// TestLoginFormAndThrottle: a browser without credentials is sent to the
// login form; the token there sets an HttpOnly, SameSite=Strict session
// cookie (Secure over TLS) that opens the pages; the API still takes the
// token; failed logins from one address are throttled.
func TestLoginFormAndThrottle(t *testing.T) {
	src := &recordingSource{}
	s := DefaultSettings()
	s.BearerToken = token
	s.LoginAttempts = 3
	_, ts := newServer(t, src, s)
	req := mustReq(t, ts.URL+"/weekly?week=2026-W47", "")
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, _ := do(t, req)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Fatalf("browser without credentials: HTTP %d to %q, want the login form", resp.StatusCode, resp.Header.Get("Location"))
	}
	if code, body := get(t, ts.URL+"/login", ""); code != 200 || !strings.Contains(body, `name="token"`) {
		t.Fatalf("login form: %d %s", code, body)
	}
	login := func(base, tok, next string) *http.Response {
		form := url.Values{"token": {tok}, "next": {next}}
		req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, _ := do(t, req)
		return resp
	}
	resp = login(ts.URL, token, "/weekly?week=2026-W47")
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/weekly?week=2026-W47" || cookie == nil ||
		!cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Secure {
		t.Fatalf("login: HTTP %d to %q, cookie %+v", resp.StatusCode, resp.Header.Get("Location"), cookie)
	}
	req = mustReq(t, ts.URL+"/weekly?week=2026-W47", "")
	req.AddCookie(cookie)
	if resp, body := do(t, req); resp.StatusCode != 200 {
		t.Fatalf("page with the session cookie: HTTP %d %.200s", resp.StatusCode, body)
	}
	if resp := login(ts.URL, token, "https://evil.example/"); resp.Header.Get("Location") != "/weekly" {
		t.Errorf("login redirected off-site to %q", resp.Header.Get("Location"))
	}

	// Over TLS the cookie is Secure.
	tls := httptest.NewTLSServer(mustServer(t, src, s))
	defer tls.Close()
	form := url.Values{"token": {token}}
	treq, _ := http.NewRequest(http.MethodPost, tls.URL+"/login", strings.NewReader(form.Encode()))
	treq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tc := tls.Client()
	tc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tresp, err := tc.Do(treq)
	if err != nil {
		t.Fatal(err)
	}
	tresp.Body.Close()
	if cs := tresp.Cookies(); len(cs) != 1 || !cs[0].Secure {
		t.Errorf("login over TLS: cookies %+v, want one Secure", cs)
	}

	// Throttling: 3 failures are free, then a correct token waits too.
	for i := 0; i < 3; i++ {
		if resp := login(ts.URL, "wrong-token-0123456789", ""); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: HTTP %d", i, resp.StatusCode)
		}
	}
	if code, _ := get(t, ts.URL+"/api/v1/metrics/conversion", "Bearer "+token); code != http.StatusTooManyRequests {
		t.Fatalf("after 3 failures: HTTP %d, want 429", code)
	}
	time.Sleep(1100 * time.Millisecond)
	if code, _ := get(t, ts.URL+"/api/v1/metrics/conversion", "Bearer "+token); code != 200 {
		t.Fatalf("after the wait: HTTP %d", code)
	}
}

func mustServer(t *testing.T, src reports.Source, s Settings) *Server {
	srv, err := New(Options{Settings: s, Source: src, Location: time.UTC, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// heavySource answers every query with about 250 KiB of gap rows, like
// the knowledge-gap queries of a large shop.
type heavySource struct{ calls int }

func (h *heavySource) Show(_ context.Context, _ string, q metrics.Query) ([]metrics.Row, error) {
	h.calls++
	rows := make([]metrics.Row, 400)
	for i := range rows {
		rows[i] = metrics.Row{{Key: "signature", Value: fmt.Sprintf("%s %d %s", q.Shop, i, strings.Repeat("问", 100))},
			{Key: "examples", Value: []string{strings.Repeat("例", 50), strings.Repeat("子", 50)}}, {Key: "count", Value: uint64(i)}}
	}
	return rows, nil
}

func (h *heavySource) Alerts(context.Context, metrics.Query) ([]metrics.Alert, error) {
	return nil, nil
}

// TestCacheBoundedAndExpiring: 1,000 distinct heavy API queries keep the
// heap under the cache bound plus a margin (unbounded, the results would
// hold about 250 MiB), and expired results are dropped on the timer, not
// only when asked for again.
func TestCacheBoundedAndExpiring(t *testing.T) {
	src := &heavySource{}
	s := DefaultSettings()
	s.CacheBytes = 16 << 20
	srv, ts := newServer(t, src, s)
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 1000; i++ {
		if code, body := get(t, ts.URL+fmt.Sprintf("/api/v1/metrics/gaps?from=2026-11-01&to=2026-11-07&shop=shop-%d", i), ""); code != 200 {
			t.Fatalf("query %d: HTTP %d %.200s", i, code, body)
		}
	}
	n, bytes := srv.cache.size()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("1000 distinct queries: %d results cached, %.1f MiB estimated; heap grew %.1f MiB (bound %d MiB)", n, float64(bytes)/(1<<20), float64(heap)/(1<<20), s.CacheBytes>>20)
	if bytes > s.CacheBytes || heap > s.CacheBytes+32<<20 {
		t.Fatalf("cache holds %d bytes (estimated), heap grew %d: bound %d", bytes, heap, s.CacheBytes)
	}
	if n == 0 || n == 1000 {
		t.Fatalf("%d results cached: the bound did nothing or cached nothing", n)
	}
	srv.cache.expire(time.Now().Add(s.CacheTTL + time.Second))
	if n, bytes := srv.cache.size(); n != 0 || bytes != 0 {
		t.Fatalf("after the TTL %d results (%d bytes) remain", n, bytes)
	}
}

// TestStoreHung: with ClickHouse stopped (SIGSTOP) a page answers within
// the query timeout with 503 and a message saying the data store is slow
// or unreachable, and no driver error text.
func TestStoreHung(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a private ClickHouse")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ch, err := chlocal.Start(ctx, filepath.Join(dir, "ch"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Stop()
	conn, _, err := warehouse.Open(ctx, ch.DSN("hung"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := warehouse.Migrate(ctx, conn, "hung", warehouse.Topology{}, nil); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.QueryTimeout = 2 * time.Second
	s.CacheTTL = 0
	_, ts := newServer(t, reports.ShowSource(conn), s)
	if code, body := get(t, ts.URL+"/weekly?week=2026-W47", ""); code != 200 {
		t.Fatalf("with the store up: HTTP %d %.300s", code, body)
	}
	proc, _ := os.FindProcess(ch.PID())
	if err := proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer proc.Signal(syscall.SIGCONT)
	for _, p := range []string{"/weekly?week=2026-W46&lang=en", "/api/v1/metrics/gaps?from=2026-11-01&to=2026-11-07"} {
		start := time.Now()
		code, body := get(t, ts.URL+p, "")
		took := time.Since(start)
		t.Logf("%s with ClickHouse stopped: HTTP %d in %s", p, code, took.Round(time.Millisecond))
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "slow or unreachable") || took > 5*time.Second {
			t.Errorf("%s: HTTP %d after %s: %.300s", p, code, took, body)
		}
		if strings.Contains(body, "127.0.0.1") || strings.Contains(body, "i/o timeout") {
			t.Errorf("%s shows the driver's error: %.300s", p, body)
		}
	}
}
