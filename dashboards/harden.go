package dashboards

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/reports"
)

// maxQueryParams is far above what any page or API call takes (at most 8
// parameters): a request with more is refused rather than parsed, because
// Go's parser drops every parameter past its own limit and the request
// would then run unfiltered.
const maxQueryParams = 100

// guard refuses what no page needs before any handler runs, and bounds
// every request's queries in time:
//   - more than maxQueryParams query parameters, or an unparsable query;
//   - without authentication (loopback only), a Host header that is not a
//     loopback name: a DNS-rebinding page in the user's browser would
//     otherwise read the data through a name it controls;
//   - the request context gets the query timeout, also sent to ClickHouse
//     as max_execution_time so the server stops working on it too.
func (s *Server) guard(next http.Handler) http.Handler {
	timeout := s.o.Settings.QueryTimeout
	var timeoutBody string
	if timeout > 0 {
		// The driver does not always honour the deadline (dialling a new
		// connection waits for its own dial timeout): answer at the
		// deadline plus a second whatever it does. That answer (its body
		// timeoutBody) is turned into the site's outage page, or the API's
		// JSON, by timeoutAnswer: it was this line of plain English text.
		timeoutBody = fmt.Sprintf(
			"The data store (ClickHouse) is slow or unreachable: no answer within %s. Try again in a minute; if this persists, check it with \"convintel status\".", timeout)
		inner := http.TimeoutHandler(next, timeout+time.Second, timeoutBody)
		next = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tw := &timeoutAnswer{ResponseWriter: w, s: s, r: r, body: timeoutBody}
			inner.ServeHTTP(tw, r)
			tw.finish()
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Count(r.URL.RawQuery, "&")+strings.Count(r.URL.RawQuery, ";") >= maxQueryParams {
			http.Error(w, fmt.Sprintf("too many query parameters: at most %d", maxQueryParams), http.StatusBadRequest)
			return
		}
		if _, err := parseRawQuery(r.URL.RawQuery); err != nil {
			http.Error(w, "malformed query string", http.StatusBadRequest)
			return
		}
		if !s.o.Settings.AuthConfigured() && !loopbackHost(r.Host) {
			// Say where to go: http://0.0.0.0:8088/ (which reaches this
			// machine) had got only the rule.
			there := "http://127.0.0.1" + r.URL.RequestURI()
			if _, port, err := net.SplitHostPort(r.Host); err == nil {
				there = "http://127.0.0.1:" + port + r.URL.RequestURI()
			}
			s.misdirected(w, r, there)
			return
		}
		if timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			ctx = clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_execution_time": int(timeout / time.Second)}))
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// misdirected answers a request to a Host other than loopback (without
// authentication) with a page that says so and links the same address on
// 127.0.0.1 (before: a line of plain text), in the reader's language. The
// page has no navigation: its links would reach the refused host again.
// The API gets the same as JSON.
func (s *Server) misdirected(w http.ResponseWriter, r *http.Request, there string) {
	msg := "this server answers only to localhost, 127.0.0.1 or [::1] (no authentication is set): open " + there
	if strings.HasPrefix(r.URL.Path, "/api/") {
		apiError(w, http.StatusMisdirectedRequest, msg)
		return
	}
	title, text, link := "这个地址不能访问看板", fmt.Sprintf("未设置登录认证时，本服务只响应 localhost、127.0.0.1 或 [::1]，不响应 %s。请改用本机地址打开：", r.Host), "打开 "+there
	if requestLang(r) == reports.LangEN {
		title, text, link = "Open the dashboards on this machine's own address",
			fmt.Sprintf("Without authentication this server answers only to localhost, 127.0.0.1 or [::1], not to %s. Open the same page on this machine:", r.Host), "Open "+there
	}
	var buf bytes.Buffer
	// no link to the docs either: /docs/ on the refused host is refused too
	o := reports.RenderOptions{Lang: requestLang(r)}
	if err := reports.RenderNoticeLink(&buf, title, text, there, link, o); err != nil {
		http.Error(w, msg, http.StatusMisdirectedRequest)
		return
	}
	writePage(w, http.StatusMisdirectedRequest, buf.Bytes())
}

// timeoutAnswer is the writer http.TimeoutHandler answers through: it
// holds back the status until the first write, and when that write is the
// handler's own answer at the deadline (503 with body), sends the site's
// outage page instead (failPage), or the API's JSON error under /api/.
// Every other answer passes through unchanged.
type timeoutAnswer struct {
	http.ResponseWriter
	s       *Server
	r       *http.Request
	body    string
	code    int
	started bool
}

func (t *timeoutAnswer) WriteHeader(code int) {
	if !t.started && t.code == 0 {
		t.code = code
	}
}

func (t *timeoutAnswer) Write(b []byte) (int, error) {
	if !t.started {
		t.started = true
		if t.code == http.StatusServiceUnavailable && string(b) == t.body {
			if strings.HasPrefix(t.r.URL.Path, "/api/") {
				t.s.o.Log.Error("api request timed out", "path", t.r.URL.Path)
				apiError(t.ResponseWriter, http.StatusServiceUnavailable, fmt.Sprintf("the data store is slow or unreachable (no answer within %s); try again later", t.s.o.Settings.QueryTimeout))
			} else {
				t.s.failPage(t.ResponseWriter, t.r, t.r.URL.Path, context.DeadlineExceeded)
			}
			return len(b), nil
		}
		if t.code == 0 {
			t.code = http.StatusOK
		}
		t.ResponseWriter.WriteHeader(t.code)
	}
	return t.ResponseWriter.Write(b)
}

// finish sends a status that was set without a body.
func (t *timeoutAnswer) finish() {
	if !t.started && t.code != 0 {
		t.started = true
		t.ResponseWriter.WriteHeader(t.code)
	}
}

func parseRawQuery(q string) (int, error) {
	n := 0
	for _, part := range strings.Split(q, "&") {
		if strings.Contains(part, ";") {
			return 0, errors.New("semicolon in query")
		}
		if part != "" {
			n++
		}
	}
	return n, nil
}

// loopbackHost says whether a Host header names this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.EqualFold(host, "localhost") || loopback(host)
}

// cspWith is the Content-Security-Policy with script-src set to scripts.
// No 'unsafe-inline' for scripts: pages list the hashes of their inline
// scripts (pageCSP). Inline styles stay allowed (the charts set them).
func cspWith(scripts string) string {
	return "default-src 'none'; script-src " + scripts + "; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// pageCSP returns the policy for a page: its own inline scripts by hash,
// scripts from this origin (the embedded ECharts).
func pageCSP(body []byte) string {
	var b strings.Builder
	b.WriteString("'self'")
	for _, m := range inlineScript.FindAllSubmatch(body, -1) {
		sum := sha256.Sum256(m[1])
		b.WriteString(" 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'")
	}
	return cspWith(b.String())
}

// storeTrouble says whether err means ClickHouse is slow or unreachable
// (as opposed to a bug): the deadline passed, or the connection failed.
func storeTrouble(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) || errors.Is(err, clickhouse.ErrAcquireConnTimeout)
}

// failPage answers a page whose build failed with a page of the site in
// the reader's language (before: a bare paragraph in English without the
// navigation). The error (which may name addresses and driver internals)
// goes to the log only; the page says what the reader can do.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, page string, err error) {
	code := http.StatusInternalServerError
	title, msg := "The page could not be built", "Something went wrong while building this page; the details are in the server's log. Try another period or reload."
	zhTitle, zhMsg := "本页无法生成", "生成本页时出错，详细原因在服务端日志里。可以换一个时间段，或稍后刷新。"
	if storeTrouble(err) {
		code = http.StatusServiceUnavailable
		title, zhTitle = "The data store does not answer", "数据库无响应"
		msg = fmt.Sprintf("The data store (ClickHouse) is slow or unreachable: it did not answer within %s. Try again in a minute; if this persists, check it with \"convintel status\".",
			s.o.Settings.QueryTimeout)
		zhMsg = fmt.Sprintf("数据库（ClickHouse）响应太慢或无法连接：%s 内没有应答。请过一分钟再刷新；如果一直这样，请用 \"convintel status\" 检查。", s.o.Settings.QueryTimeout)
	}
	s.o.Log.Error("dashboard page failed", "page", page, "status", code, "err", err)
	lang := requestLang(r)
	if lang == reports.LangZH {
		title, msg = zhTitle, zhMsg
	}
	w.Header().Set("Cache-Control", "no-store")
	var buf bytes.Buffer
	o := reports.RenderOptions{Lang: lang, Nav: s.nav(page, filters{lang: lang}), DocsURL: DocsPath}
	if rerr := reports.RenderNotice(&buf, title, msg, o); rerr != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(code)
		fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>convintel</title><p>%s</p><p><a href=\"%s\">Reload</a></p>\n", html.EscapeString(msg), html.EscapeString(page))
		return
	}
	writePage(w, code, buf.Bytes())
}

// apiFailure is failPage for the API: the status and message to send.
func (s *Server) apiFailure(err error) (int, string) {
	if storeTrouble(err) {
		return http.StatusServiceUnavailable, fmt.Sprintf("the data store is slow or unreachable (no answer within %s); try again later", s.o.Settings.QueryTimeout)
	}
	return http.StatusInternalServerError, "query failed; the details are in the server's log"
}

// loginGuard throttles failed authentication per client address: after
// Settings.LoginAttempts failures within 10 minutes each further attempt
// waits twice as long as the last (1 s, 2 s, … up to 15 min): a request
// carrying a credential meanwhile is answered 429 without checking it. The
// table is bounded.
type loginGuard struct {
	free int // failures allowed before waits; 0: no throttling
	mu   sync.Mutex
	byIP map[string]*loginFailures
}

type loginFailures struct {
	n     int
	last  time.Time
	until time.Time
}

const (
	failureWindow  = 10 * time.Minute
	maxLoginWait   = 15 * time.Minute
	maxGuardedAddr = 10_000
)

func newLoginGuard(free int) *loginGuard {
	return &loginGuard{free: free, byIP: map[string]*loginFailures{}}
}

func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// blocked returns how long the client must still wait (0: go ahead).
func (g *loginGuard) blocked(r *http.Request) time.Duration {
	if g.free == 0 {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	f, ok := g.byIP[clientAddr(r)]
	if !ok {
		return 0
	}
	return max(0, time.Until(f.until))
}

func (g *loginGuard) failed(r *http.Request) {
	if g.free == 0 {
		return
	}
	now := time.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	ip := clientAddr(r)
	f, ok := g.byIP[ip]
	if !ok || now.Sub(f.last) > failureWindow {
		if len(g.byIP) >= maxGuardedAddr {
			for k, v := range g.byIP {
				if now.Sub(v.last) > failureWindow || now.After(v.until) {
					delete(g.byIP, k)
				}
			}
		}
		f = &loginFailures{}
		g.byIP[ip] = f
	}
	f.n++
	f.last = now
	if f.n >= g.free {
		wait := min(time.Second<<min(f.n-g.free, 20), maxLoginWait)
		f.until = now.Add(wait)
	}
}

func (g *loginGuard) succeeded(r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.byIP, clientAddr(r))
}

func tooManyAttempts(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
	http.Error(w, fmt.Sprintf("too many failed logins from your address: try again in %s", wait.Round(time.Second)), http.StatusTooManyRequests)
}

// browserNavigation says whether a request is a browser opening a page
// (as opposed to an API client or a script).
func browserNavigation(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") && r.Header.Get("Authorization") == ""
}

// sessions are browser logins: a random id in an HttpOnly, SameSite=Strict
// cookie (Secure when the request came over TLS), held in memory, so a
// restart logs everyone out. API clients keep using the token.
type sessions struct {
	ttl  time.Duration
	mu   sync.Mutex
	byID map[string]time.Time // id → expiry
}

const (
	sessionCookie = "convintel_session"
	maxSessions   = 10_000
)

func newSessions(ttl time.Duration) *sessions {
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	return &sessions{ttl: ttl, byID: map[string]time.Time{}}
}

func (ss *sessions) valid(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return false
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	exp, ok := ss.byID[c.Value]
	if ok && time.Now().After(exp) {
		delete(ss.byID, c.Value)
		return false
	}
	return ok
}

func (ss *sessions) start(w http.ResponseWriter, r *http.Request) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	now := time.Now()
	ss.mu.Lock()
	if len(ss.byID) >= maxSessions {
		for k, exp := range ss.byID {
			if now.After(exp) {
				delete(ss.byID, k)
			}
		}
		if len(ss.byID) >= maxSessions {
			clear(ss.byID) // a flood of logins: everyone logs in again
		}
	}
	ss.byID[id] = now.Add(ss.ttl)
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", MaxAge: int(ss.ttl.Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

func (ss *sessions) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss.mu.Lock()
		delete(ss.byID, c.Value)
		ss.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/weekly"
	}
	return next
}

const loginPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>convintel · 登录 Log in</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#222}
label{display:block;margin:.8rem 0 .2rem}input{width:100%%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.err{color:#b00020}</style></head>
<body><h1>convintel</h1>
%s<form method="post" action="/login">
<input type="hidden" name="next" value="%s">
%s
<button type="submit">登录 Log in</button>
</form>
<p><small>API clients send <code>Authorization: Bearer …</code> instead.</small></p>
</body></html>
`

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r.URL.Query().Get("next"), "", http.StatusOK)
}

func (s *Server) renderLogin(w http.ResponseWriter, next, problem string, code int) {
	st := s.o.Settings
	var fields strings.Builder
	if st.BearerToken != "" {
		fields.WriteString(`<label for="token">访问令牌 Access token</label><input id="token" name="token" type="password" autocomplete="current-password" autofocus>`)
	}
	if st.BasicUser != "" {
		fields.WriteString(`<label for="user">用户名 User</label><input id="user" name="user" autocomplete="username">` +
			`<label for="password">密码 Password</label><input id="password" name="password" type="password" autocomplete="current-password">`)
	}
	msg := ""
	if problem != "" {
		msg = `<p class="err">` + html.EscapeString(problem) + `</p>`
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintf(w, loginPage, msg, html.EscapeString(safeNext(next)), fields.String())
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	st := s.o.Settings
	if !st.AuthConfigured() {
		http.Redirect(w, r, "/weekly", http.StatusSeeOther)
		return
	}
	if wait := s.logins.blocked(r); wait > 0 {
		tooManyAttempts(w, wait)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	next := r.PostForm.Get("next")
	ok := st.BearerToken != "" && r.PostForm.Get("token") != "" && equal(r.PostForm.Get("token"), st.BearerToken) ||
		st.BasicUser != "" && equal(r.PostForm.Get("user"), st.BasicUser) && equal(r.PostForm.Get("password"), st.BasicPassword)
	if !ok {
		s.m.authFailures.Inc()
		s.logins.failed(r)
		s.renderLogin(w, next, "登录失败：令牌或密码不对。Wrong token or password.", http.StatusUnauthorized)
		return
	}
	s.logins.succeeded(r)
	s.sessions.start(w, r)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.end(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
