package dashboards

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Settings configure `convintel serve`; the main program embeds them as
// `dashboards:` in its config file.
type Settings struct {
	// Listen is host:port; the default binds loopback only.
	Listen string `yaml:"listen"`
	// BearerToken, when set, is accepted as "Authorization: Bearer <token>".
	BearerToken string `yaml:"bearer_token"`
	// BasicUser and BasicPassword, when set, are accepted as basic auth.
	BasicUser     string `yaml:"basic_user"`
	BasicPassword string `yaml:"basic_password"`
	// CacheTTL keeps metric query results this long (0 disables).
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// CacheBytes bounds the memory the query cache holds (estimated);
	// the least recently used results go first.
	CacheBytes int64 `yaml:"cache_bytes"`
	// QueryTimeout bounds every page and API request's queries (also sent
	// to ClickHouse as max_execution_time): a slow or stopped store gives
	// a clear error page instead of a hung request.
	QueryTimeout time.Duration `yaml:"query_timeout"`
	// SessionTTL is how long a browser login (the /login form, which sets
	// an HttpOnly session cookie) lasts.
	SessionTTL time.Duration `yaml:"session_ttl"`
	// LoginAttempts is how many failed logins one client address may make
	// within 10 minutes before each further attempt must wait twice as
	// long as the last (1 s … 15 min; 429 meanwhile). 0 turns it off.
	LoginAttempts int `yaml:"login_attempts"`
	// Schedule runs the report scheduler inside serve.
	Schedule bool `yaml:"schedule"`
}

// DefaultSettings returns the defaults.
func DefaultSettings() Settings {
	return Settings{Listen: "127.0.0.1:8088", CacheTTL: time.Minute, CacheBytes: 64 << 20, QueryTimeout: 30 * time.Second,
		SessionTTL: 12 * time.Hour, LoginAttempts: 10, Schedule: true}
}

// AuthConfigured says whether requests must authenticate.
func (s Settings) AuthConfigured() bool { return s.BearerToken != "" || s.BasicUser != "" }

// Validate reports every problem at once, including an address beyond
// loopback without authentication.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	host, port, err := net.SplitHostPort(s.Listen)
	if err != nil || port == "" {
		bad("dashboards.listen %q: use host:port, e.g. 127.0.0.1:8088", s.Listen)
	} else if !s.AuthConfigured() && !loopback(host) {
		bad("dashboards.listen %q is reachable from other machines: set dashboards.bearer_token or dashboards.basic_user/basic_password, or listen on 127.0.0.1", s.Listen)
	}
	if s.BearerToken != "" && (len(s.BearerToken) < 16 || weakSecret(s.BearerToken)) {
		bad("dashboards.bearer_token: use at least 16 characters, not all the same or blank (e.g. openssl rand -hex 24)")
	}
	if (s.BasicUser == "") != (s.BasicPassword == "") {
		bad("dashboards.basic_user and basic_password go together")
	}
	if s.BasicPassword != "" && (len(s.BasicPassword) < 8 || weakSecret(s.BasicPassword)) {
		bad("dashboards.basic_password: use at least 8 characters, not all the same or blank")
	}
	if s.CacheTTL < 0 || s.CacheTTL > time.Hour {
		bad("dashboards.cache_ttl %s: use 0..1h (default 1m)", s.CacheTTL)
	}
	if s.CacheBytes < 0 || s.CacheBytes > 16<<30 {
		bad("dashboards.cache_bytes %d: use 0 (no cache) .. 16 GiB (default 64 MiB)", s.CacheBytes)
	}
	if s.QueryTimeout != 0 && (s.QueryTimeout < time.Second || s.QueryTimeout > 10*time.Minute) {
		bad("dashboards.query_timeout %s: use 1s..10m (default 30s; 0 = none)", s.QueryTimeout)
	}
	if s.SessionTTL != 0 && (s.SessionTTL < time.Minute || s.SessionTTL > 30*24*time.Hour) {
		bad("dashboards.session_ttl %s: use 1m..720h (default 12h)", s.SessionTTL)
	}
	if s.LoginAttempts < 0 {
		bad("dashboards.login_attempts %d: use 0 (no throttling) or more (default 10)", s.LoginAttempts)
	}
	return errors.Join(errs...)
}

// loopback says whether host only accepts local connections; an empty
// host or 0.0.0.0 listens everywhere.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// weakSecret refuses secrets a guess finds first: blank or spaces only, one
// character repeated, or fewer than four distinct characters.
func weakSecret(v string) bool {
	if strings.TrimSpace(v) == "" {
		return true
	}
	distinct := map[rune]bool{}
	for _, r := range v {
		distinct[r] = true
	}
	return len(distinct) < 4
}
