package dashboards

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/reporttest"
	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// simulated is one database with simulated traffic and metrics, shared by
// the tests of this package.
var simulated struct {
	once     sync.Once
	conn     warehouse.Conn
	from, to time.Time
}

func loadSimulated(t testing.TB) (warehouse.Conn, time.Time, time.Time) {
	t.Helper()
	if testing.Short() {
		t.Skip("needs ClickHouse")
	}
	simulated.once.Do(func() {
		conn, db := chtest.New(&keepAlive{t})
		simulated.conn = conn
		simulated.from, simulated.to = reporttest.Load(t, conn, db, reporttest.SmallConfig())
	})
	if simulated.conn == nil {
		t.Fatal("simulated data failed to load")
	}
	return simulated.conn, simulated.from, simulated.to
}

// keepAlive defers the shared database's cleanup to the end of the
// binary (TestMain's chtest.Stop removes the server).
type keepAlive struct{ testing.TB }

func (k *keepAlive) Cleanup(func()) {}

const token = "test-token-0123456789abcdef"

func newServer(t *testing.T, src reports.Source, s Settings) (*Server, *httptest.Server) {
	t.Helper()
	reg := prometheus.NewRegistry()
	srv, err := New(Options{Settings: s, Source: src, Location: reporttest.Loc, Registerer: reg, Gatherer: reg,
		Now: func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, reporttest.Loc) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

func get(t *testing.T, url, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// recordingSource answers with no rows and records every query, so tests
// can see exactly what reached metrics.Show.
type recordingSource struct {
	mu      sync.Mutex
	queries []metrics.Query
}

func (r *recordingSource) Show(_ context.Context, _ string, q metrics.Query) ([]metrics.Row, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	r.mu.Unlock()
	return nil, nil
}

func (r *recordingSource) Alerts(_ context.Context, q metrics.Query) ([]metrics.Alert, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	r.mu.Unlock()
	return nil, nil
}

func TestSettings(t *testing.T) {
	f := func(s Settings, ok bool) {
		t.Helper()
		if err := s.Validate(); (err == nil) != ok {
			t.Errorf("%+v: err %v", s, err)
		}
	}
	d := DefaultSettings()
	f(d, true)
	open := d
	open.Listen = "0.0.0.0:8088"
	f(open, false) // beyond loopback without auth
	open.Listen = ":8088"
	f(open, false)
	withToken := open
	withToken.BearerToken = token
	f(withToken, true)
	withBasic := open
	withBasic.BasicUser, withBasic.BasicPassword = "ops", "s3cret-pass"
	f(withBasic, true)
	short := withToken
	short.BearerToken = "abc"
	f(short, false)
	half := d
	half.BasicUser = "ops"
	f(half, false)
	f(Settings{Listen: "[::1]:9000"}, true)
	f(Settings{Listen: "localhost:9000"}, true)
	f(Settings{Listen: "8088"}, false)
}

// TestAuth: with auth on, every path but /healthz refuses requests
// without the right credentials, and accepts bearer or basic.
func TestAuth(t *testing.T) {
	src := &recordingSource{}
	s := DefaultSettings()
	s.Listen = "0.0.0.0:0"
	s.BearerToken = token
	s.BasicUser, s.BasicPassword = "ops", "s3cret-pass"
	s.LoginAttempts = 0 // 40 wrong credentials from one address follow (throttling: TestLoginThrottle)
	_, ts := newServer(t, src, s)
	paths := []string{"/", "/weekly", "/alerts", "/gmv", "/metrics", "/api/v1/metrics/conversion", EChartsPath, DocsPath + "metrics.md"}
	for _, p := range paths {
		for _, bad := range []string{"", "Bearer wrong-token-0123456789", "Bearer " + token + "x", "Basic b3BzOndyb25n", "token " + token} {
			if code, _ := get(t, ts.URL+p, bad); code != http.StatusUnauthorized {
				t.Errorf("%s with %q: HTTP %d, want 401", p, bad, code)
			}
		}
	}
	if len(src.queries) != 0 {
		t.Fatalf("unauthenticated requests reached the metrics: %v", src.queries)
	}
	if code, _ := get(t, ts.URL+"/healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz: HTTP %d", code)
	}
	if code, body := get(t, ts.URL+"/api/v1/metrics/conversion", "Bearer "+token); code != http.StatusOK {
		t.Errorf("bearer: HTTP %d %s", code, body)
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/weekly?lang=en", nil)
	req.SetBasicAuth("ops", "s3cret-pass")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("basic auth: HTTP %d", resp.StatusCode)
	}
	if code, body := get(t, ts.URL+"/metrics", "Bearer "+token); code != 200 || !strings.Contains(body, "convintel_dashboard_auth_failures_total") {
		t.Errorf("/metrics: HTTP %d", code)
	}
	if _, err := New(Options{Settings: Settings{Listen: "0.0.0.0:8088"}, Source: src}); err == nil {
		t.Error("New accepted a non-loopback address without auth")
	}
}

// TestInjection: hostile filter values are refused before any query, and
// allowed values reach metrics.Show only as Query fields (bound
// parameters there), never as SQL.
func TestInjection(t *testing.T) {
	src := &recordingSource{}
	_, ts := newServer(t, src, DefaultSettings())
	bad := []string{
		"/api/v1/metrics/conversion?shop=" + url.QueryEscape("x' OR 1=1 --"),
		"/api/v1/metrics/conversion?shop=" + url.QueryEscape("<script>alert(1)</script>"),
		"/api/v1/metrics/conversion?by=" + url.QueryEscape("shop_id; DROP TABLE events"),
		"/api/v1/metrics/conversion?by=bucket",
		"/api/v1/metrics/conversion?by=" + url.QueryEscape("date,sleep(10)"),
		"/api/v1/metrics/conversion?channel=" + url.QueryEscape("taobao' --"),
		"/api/v1/metrics/conversion?from=" + url.QueryEscape("2026-11-01') OR (1") + "&to=2026-11-02",
		"/api/v1/metrics/conversion?from=2026-11-02&to=2026-11-01",
		"/api/v1/metrics/conversion?from=2020-01-01&to=2026-11-01",
		"/api/v1/metrics/conversion?shop=a&shop=b",
		"/api/v1/metrics/conversion?format=sql",
		"/api/v1/metrics/gmv?channel=taobao",
		"/api/v1/metrics/dropoff?level=" + url.QueryEscape("node' OR '1"),
		"/api/v1/metrics/conversion?level=intent",
		"/weekly?week=" + url.QueryEscape("2026-W47<script>"),
		"/gmv?lang=fr",
		"/gmv?shop=" + url.QueryEscape(reporttest.Hostile),
	}
	for _, p := range bad {
		code, body := get(t, ts.URL+p, "")
		if code != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400: %s", p, code, body)
		}
		if strings.Contains(body, "<script>") {
			t.Errorf("%s: error echoes markup: %s", p, body)
		}
	}
	if code, _ := get(t, ts.URL+"/api/v1/metrics/users", ""); code != http.StatusNotFound {
		t.Errorf("unknown metric: HTTP %d, want 404", code)
	}
	if len(src.queries) != 0 {
		t.Fatalf("rejected requests reached the metrics: %+v", src.queries)
	}
	code, body := get(t, ts.URL+"/api/v1/metrics/conversion?from=2026-11-16&to=2026-11-22&by=shop_id,channel&shop=shop-01&channel=taobao", "")
	if code != 200 {
		t.Fatalf("valid query: HTTP %d %s", code, body)
	}
	if len(src.queries) != 1 {
		t.Fatalf("%d queries", len(src.queries))
	}
	q := src.queries[0]
	if q.Shop != "shop-01" || strings.Join(q.By, ",") != "shop_id,channel" || q.From.Format(time.DateOnly) != "2026-11-16" {
		t.Errorf("query %+v", q)
	}
}

// TestAPIAndPages runs on simulated data: the API's rows match
// metrics.Show, the channel filter narrows them, and every page renders.
func TestAPIAndPages(t *testing.T) {
	conn, from, _ := loadSimulated(t)
	_, ts := newServer(t, reports.ShowSource(conn), DefaultSettings())
	week := reports.WeekOf(from.AddDate(0, 0, 14))
	rng := "from=" + week.From.Format(time.DateOnly) + "&to=" + week.To.Format(time.DateOnly)
	code, body := get(t, ts.URL+"/api/v1/metrics/conversion?"+rng+"&by=channel", "")
	if code != 200 {
		t.Fatalf("HTTP %d %s", code, body)
	}
	var ans struct {
		Metric string           `json:"metric"`
		Rows   []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatal(err)
	}
	want, err := metrics.Show(context.Background(), conn, "conversion", metrics.Query{From: week.From, To: week.To, By: []string{"channel"}})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Metric != "conversion" || len(ans.Rows) != len(want) || len(want) < 2 {
		t.Fatalf("API gave %d rows, metrics.Show %d", len(ans.Rows), len(want))
	}
	for i, r := range want {
		cb, _ := r.Get("consulting_buyers")
		if ans.Rows[i]["consulting_buyers"].(float64) != float64(cb.(int64)) {
			t.Errorf("row %d: API %v, Show %v", i, ans.Rows[i], r)
		}
	}
	ch := ans.Rows[0]["channel"].(string)
	code, body = get(t, ts.URL+"/api/v1/metrics/conversion?"+rng+"&channel="+ch, "")
	if code != 200 {
		t.Fatalf("HTTP %d %s", code, body)
	}
	var one struct {
		Rows []map[string]any `json:"rows"`
	}
	json.Unmarshal([]byte(body), &one)
	var sum float64
	for _, r := range one.Rows {
		if _, has := r["channel"]; has {
			t.Errorf("channel filter leaked the channel column: %v", r)
		}
		sum += r["consulting_buyers"].(float64)
	}
	if sum != ans.Rows[0]["consulting_buyers"].(float64) {
		t.Errorf("channel %s: daily rows sum to %v, by-channel row says %v", ch, sum, ans.Rows[0]["consulting_buyers"])
	}
	for _, p := range []string{"/weekly?week=" + week.Week, "/weekly?week=" + week.Week + "&lang=en", "/alerts?" + rng, "/gmv?" + rng + "&channel=" + ch} {
		code, body := get(t, ts.URL+p, "")
		if code != 200 || !strings.Contains(body, `<script src="`+EChartsPath+`">`) || !strings.Contains(body, "window.CONVINTEL") {
			t.Errorf("%s: HTTP %d", p, code)
		}
		// The footer's links to the definitions lead to documents this
		// server has (a link to a repository site led nowhere).
		for _, doc := range []string{"metrics.md", "events.md"} {
			if !strings.Contains(body, `href="`+DocsPath+doc+`"`) {
				t.Errorf("%s: footer does not link %s%s", p, DocsPath, doc)
			}
		}
	}
	for doc, want := range map[string]string{"metrics.md": "consult", "events.md": "event_id"} {
		code, body := get(t, ts.URL+DocsPath+doc, "")
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s%s: HTTP %d, %d bytes", DocsPath, doc, code, len(body))
		}
	}
	if code, _ := get(t, ts.URL+DocsPath+"architecture.md", ""); code != http.StatusNotFound {
		t.Errorf("GET %sarchitecture.md: HTTP %d, want 404 (only the two contract documents are served)", DocsPath, code)
	}
}
