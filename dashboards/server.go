package dashboards

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/convintel/convintel/docs"
	"github.com/convintel/convintel/metrics"
	"github.com/convintel/convintel/reports"
	"github.com/convintel/convintel/reports/assets"
)

// Options configure a Server.
type Options struct {
	Settings Settings
	// Source reads metric rows (reports.ShowSource over the connection).
	Source reports.Source
	// Location is the reporting time zone (metrics.timezone).
	Location *time.Location
	// ArchiveDir, when set, is served under /archive/.
	ArchiveDir string
	Log        *slog.Logger
	// Registerer receives the server's metrics; Gatherer is what /metrics
	// exposes. Either may be nil.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	// Ready reports whether the backing store answers, for /healthz.
	Ready func(ctx context.Context) error
	// Now is the clock for default periods; nil is time.Now.
	Now func() time.Time
	// Disputes stores a supervisor's verdict on a QA violation (申诉,
	// metrics.RecordDispute over a connection that may write); nil shows
	// the QA page without dispute buttons.
	Disputes func(ctx context.Context, d metrics.Dispute) error
	// Coverage says which days hold data (reports.ShowCoverage); pages
	// without a period open on the latest that has some. Nil: unknown.
	Coverage reports.CoverageFunc
	// Retention is metrics.retention, stated under the GMV page's
	// repurchase cards; zero: the defaults.
	Retention metrics.RetentionSettings
	// QA is metrics.qa: the QA page and the scoreboard name its reply SLA
	// and slow-reply cap; zero: the defaults.
	QA metrics.QASettings
	// PromotionDays is metrics.alerts.promotion_days: the weekly page
	// names those inside either week it compares.
	PromotionDays []string
	// Names are display names for ids (reports.dimensions_file).
	Names *reports.Dimensions
}

// Server is the dashboards' HTTP handler.
type Server struct {
	o        Options
	src      reports.Source
	coverage reports.CoverageFunc
	mux      *http.ServeMux
	handler  http.Handler
	m        *serverMetrics
	// cache is the query cache (nil when off); sessions the browser
	// logins; logins throttles failed attempts (harden.go).
	cache    *cache
	sessions *sessions
	logins   *loginGuard
}

// EChartsPath is where the dashboards serve the embedded ECharts.
var EChartsPath = "/assets/echarts-" + assets.EChartsVersion + ".min.js"

// New returns the server for o; it validates the settings.
func New(o Options) (*Server, error) {
	if err := o.Settings.Validate(); err != nil {
		return nil, err
	}
	if o.Source == nil {
		return nil, errors.New("dashboards: no metric source")
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{o: o, src: o.Source, coverage: cachedCoverage(o.Coverage, o.Settings.CacheTTL),
		mux: http.NewServeMux(), m: newServerMetrics(o.Registerer), logins: newLoginGuard(o.Settings.LoginAttempts)}
	if c := cachedSource(o.Source, o.Settings.CacheTTL, o.Settings.CacheBytes); c != nil {
		s.cache, s.src = c, c
	}
	s.sessions = newSessions(o.Settings.SessionTTL)
	s.routes()
	s.handler = s.instrument(s.secure(s.guard(s.mux)))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /login", s.loginForm)
	s.mux.HandleFunc("POST /login", s.login)
	s.mux.HandleFunc("POST /logout", s.logout)
	auth := s.authenticate
	g := s.o.Gatherer
	if g == nil {
		g = prometheus.NewRegistry()
	}
	s.mux.Handle("GET /metrics", auth(promhttp.HandlerFor(g, promhttp.HandlerOpts{})))
	s.mux.Handle("GET /{$}", auth(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The query goes along: /?lang=en opened the weekly page in Chinese.
		to := "/weekly"
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusFound)
	})))
	for _, pg := range Pages {
		s.mux.Handle("GET "+pg.Path, auth(s.page(pg)))
	}
	s.mux.Handle("POST /qa/disputes", auth(http.HandlerFunc(s.dispute)))
	s.mux.Handle("GET /api/v1/metrics/{name}", auth(http.HandlerFunc(s.api)))
	s.mux.Handle("GET "+EChartsPath, auth(http.HandlerFunc(serveECharts)))
	s.mux.Handle("GET "+DocsPath+"{name}", auth(http.HandlerFunc(s.serveContract)))
	if s.o.ArchiveDir != "" {
		s.mux.Handle("GET /archive/", auth(s.archive(http.StripPrefix("/archive/", http.FileServer(http.Dir(s.o.ArchiveDir))))))
	}
	// Everything else: a page that says so, not the mux's bare text.
	s.mux.Handle("/", auth(http.HandlerFunc(s.notFound)))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.o.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		if err := s.o.Ready(ctx); err != nil {
			// The driver's error names addresses: it goes to the log only.
			s.o.Log.Warn("healthz: the data store does not answer", "err", err)
			http.Error(w, "not ready: the data store does not answer", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// DocsPath is where the pages' footers find the metric definitions and
// the event contract, served from the binary (package docs).
const DocsPath = "/docs/"

// serveContract answers metrics.md or events.md as plain UTF-8 text, which
// every browser shows as it is; other names are not found.
func (s *Server) serveContract(w http.ResponseWriter, r *http.Request) {
	b, ok := docs.Contract(r.PathValue("name"))
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func serveECharts(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write([]byte(assets.ECharts))
}

// authenticate lets a request through with the configured bearer token
// or basic credentials; with neither configured (loopback only, see
// Settings.Validate) every request passes.
func (s *Server) authenticate(next http.Handler) http.Handler {
	st := s.o.Settings
	if !st.AuthConfigured() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.sessions.valid(r) {
			next.ServeHTTP(w, r)
			return
		}
		h := r.Header.Get("Authorization")
		if wait := s.logins.blocked(r); wait > 0 && h != "" {
			tooManyAttempts(w, wait)
			return
		}
		if st.BearerToken != "" {
			// RFC 7235: the scheme is case-insensitive.
			if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") && equal(strings.TrimSpace(tok), st.BearerToken) {
				next.ServeHTTP(w, r)
				return
			}
		}
		if st.BasicUser != "" {
			if u, p, ok := r.BasicAuth(); ok && equal(u, st.BasicUser) && equal(p, st.BasicPassword) {
				next.ServeHTTP(w, r)
				return
			}
		}
		s.m.authFailures.Inc()
		if h != "" {
			s.logins.failed(r) // a wrong credential, not a first visit
		}
		if browserNavigation(r) {
			// A browser has no way to send a bearer token: the login form.
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if st.BasicUser != "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="convintel", charset="UTF-8"`)
		} else {
			w.Header().Set("WWW-Authenticate", `Bearer realm="convintel"`)
		}
		http.Error(w, "authentication required", http.StatusUnauthorized)
	})
}

// equal compares secrets in constant time (hashing first so lengths do
// not leak either).
func equal(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// secure sets headers that keep pages from being framed, sniffed or
// loading anything from elsewhere.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		// Pages replace script-src with the hashes of their inline
		// scripts (pageCSP); everything else runs no inline script.
		h.Set("Content-Security-Policy", cspWith("'self'"))
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := routeOf(r.URL.Path)
		s.m.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		s.m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// routeOf maps a path to a bounded label value.
func routeOf(p string) string {
	switch {
	case strings.HasPrefix(p, "/api/v1/metrics/"):
		return "/api/v1/metrics"
	case strings.HasPrefix(p, "/archive/"):
		return "/archive"
	case strings.HasPrefix(p, "/assets/"):
		return "/assets"
	}
	switch p {
	case "/", "/healthz", "/metrics", "/qa/disputes":
		return p
	}
	for _, pg := range Pages {
		if p == pg.Path {
			return p
		}
	}
	return "other"
}

type serverMetrics struct {
	requests     *prometheus.CounterVec
	duration     *prometheus.HistogramVec
	authFailures prometheus.Counter
}

func newServerMetrics(reg prometheus.Registerer) *serverMetrics {
	m := &serverMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "convintel_dashboard_requests_total",
			Help: "Dashboard HTTP requests by route and status code."}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "convintel_dashboard_request_duration_seconds",
			Help: "Dashboard HTTP request durations.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 12)}, []string{"route"}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "convintel_dashboard_auth_failures_total",
			Help: "Requests refused for missing or wrong credentials."}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.authFailures)
	}
	return m
}

// Serve listens on the settings' address until ctx ends, then shuts down
// gracefully.
func (s *Server) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.o.Settings.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	if s.cache != nil {
		cctx, stop := context.WithCancel(ctx)
		defer stop()
		go s.cache.run(cctx)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
