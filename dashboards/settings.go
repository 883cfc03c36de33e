package dashboards

import (
	"errors"
	"fmt"
	"net"
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
	// Schedule runs the report scheduler inside serve.
	Schedule bool `yaml:"schedule"`
}

// DefaultSettings returns the defaults.
func DefaultSettings() Settings {
	return Settings{Listen: "127.0.0.1:8088", CacheTTL: time.Minute, Schedule: true}
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
	if s.BearerToken != "" && len(s.BearerToken) < 16 {
		bad("dashboards.bearer_token: use at least 16 characters (e.g. openssl rand -hex 24)")
	}
	if (s.BasicUser == "") != (s.BasicPassword == "") {
		bad("dashboards.basic_user and basic_password go together")
	}
	if s.BasicPassword != "" && len(s.BasicPassword) < 8 {
		bad("dashboards.basic_password: use at least 8 characters")
	}
	if s.CacheTTL < 0 || s.CacheTTL > time.Hour {
		bad("dashboards.cache_ttl %s: use 0..1h (default 1m)", s.CacheTTL)
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
