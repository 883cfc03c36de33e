package warehouse

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Conn is a native-protocol ClickHouse connection pool.
type Conn = driver.Conn

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Open connects to the server named by a clickhouse-go DSN
// (clickhouse://user:pass@host:9000/database?dial_timeout=5s), creating the
// database when it does not exist. The returned Database is the name used.
func Open(ctx context.Context, dsn string) (Conn, string, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return nil, "", fmt.Errorf("clickhouse DSN %q: %w (expected clickhouse://host:9000/database)", RedactDSN(dsn), err)
	}
	db := opts.Auth.Database
	if db == "" {
		db = "default"
	}
	if !identRe.MatchString(db) {
		return nil, "", fmt.Errorf("clickhouse database name %q: use letters, digits and _", db)
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 5 * time.Second
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = 16
	}
	// Connect to "default" first so a missing database can be created.
	opts.Auth.Database = "default"
	boot, err := clickhouse.Open(opts)
	if err != nil {
		return nil, "", fmt.Errorf("clickhouse %s: %w", strings.Join(opts.Addr, ","), err)
	}
	if err := boot.Ping(ctx); err != nil {
		boot.Close()
		return nil, "", fmt.Errorf("clickhouse at %s does not answer: %w (is the server running? check --clickhouse)", strings.Join(opts.Addr, ","), err)
	}
	if err := CreateDatabase(ctx, boot, db); err != nil {
		boot.Close()
		return nil, "", fmt.Errorf("create database %s: %w", db, err)
	}
	boot.Close()
	opts.Auth.Database = db
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, "", err
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, "", err
	}
	return conn, db, nil
}

// RedactDSN hides a password in a DSN for error messages and logs.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

var serverVersionSQL = embedded("admin/server_version.sql")

// ServerVersion returns the server's version string.
func ServerVersion(ctx context.Context, conn Conn) (string, error) {
	var v string
	err := conn.QueryRow(ctx, serverVersionSQL).Scan(&v)
	return v, err
}

// OpenExisting connects to an existing database without trying to create
// it: for a read-only user (serve's dashboards read through one).
func OpenExisting(ctx context.Context, dsn string) (Conn, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("clickhouse DSN %q: %w", RedactDSN(dsn), err)
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 5 * time.Second
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = 16
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, err
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("clickhouse at %s does not answer: %w", strings.Join(opts.Addr, ","), err)
	}
	return conn, nil
}
