package chlocal

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// TestLockedDown: the server convintel starts has a generated password
// for default (kept under the data directory, 0600), a read-only user,
// a 0700 data directory; another OS user can neither read its files nor
// log in, nor write through it.
func TestLockedDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse")
	}
	base := t.TempDir()
	// The test directories are 0700 themselves: open them so that only the
	// data directory's own mode keeps another user out.
	for _, d := range []string{base, filepath.Dir(base)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(base, "ch")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s, err := Start(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	mode := func(p string) os.FileMode {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("data directory mode %o, want 700", m)
	}
	for _, f := range []string{AdminPasswordFile, ReaderPasswordFile, "users.xml", "config.xml"} {
		if m := mode(filepath.Join(dir, f)); m != 0o600 {
			t.Errorf("%s mode %o, want 600", f, m)
		}
	}
	open := func(user, pass string) (clickhouse.Conn, error) {
		c, err := clickhouse.Open(&clickhouse.Options{Addr: []string{"127.0.0.1:" + strconv.Itoa(s.Port)}, Auth: clickhouse.Auth{Username: user, Password: pass}, DialTimeout: 2 * time.Second})
		if err != nil {
			return nil, err
		}
		return c, c.Ping(ctx)
	}
	if _, err := open("default", ""); err == nil {
		t.Fatal("default logs in without a password")
	}
	admin, err := open(AdminUser, s.auth.admin)
	if err != nil {
		t.Fatalf("default with the generated password: %v", err)
	}
	defer admin.Close()
	if err := admin.Exec(ctx, "CREATE DATABASE IF NOT EXISTS lk"); err != nil {
		t.Fatal(err)
	}
	if err := admin.Exec(ctx, "CREATE TABLE lk.t (x UInt8) ENGINE = MergeTree ORDER BY x"); err != nil {
		t.Fatal(err)
	}
	reader, err := open(ReaderUser, s.auth.reader)
	if err != nil {
		t.Fatalf("reader: %v", err)
	}
	defer reader.Close()
	var n uint64
	rctx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_execution_time": 5}))
	if err := reader.QueryRow(rctx, "SELECT count() FROM lk.t").Scan(&n); err != nil {
		t.Fatalf("reader cannot read (with a query setting): %v", err)
	}
	for _, q := range []string{"INSERT INTO lk.t VALUES (1)", "DROP TABLE lk.t", "CREATE TABLE lk.u (x UInt8) ENGINE = Memory"} {
		if err := reader.Exec(ctx, q); err == nil {
			t.Errorf("reader could run %s", q)
		}
	}

	// Another OS user.
	if os.Geteuid() != 0 {
		t.Skip("the second-OS-user checks need root (runuser)")
	}
	runuser, err := exec.LookPath("runuser")
	if err != nil {
		t.Skip("no runuser")
	}
	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		t.Skip("no clickhouse-client")
	}
	as := func(args ...string) (string, error) {
		out, err := exec.Command(runuser, append([]string{"-u", "nobody", "--"}, args...)...).CombinedOutput()
		return string(out), err
	}
	port := strconv.Itoa(s.Port)
	for _, c := range [][]string{
		{"cat", filepath.Join(dir, AdminPasswordFile)},
		{"ls", filepath.Join(dir, "data")},
		{"touch", filepath.Join(dir, "planted")},
		{client, "--port", port, "--query", "SELECT count() FROM lk.t"},
		{client, "--port", port, "--query", "CREATE DATABASE nobody_was_here"},
		{client, "--port", port, "--query", "DROP TABLE lk.t"},
	} {
		out, err := as(c...)
		if err == nil {
			t.Errorf("user nobody could run %s: %s", strings.Join(c, " "), out)
		}
		// Refused for the right reason: no password, or no access to the files.
		if c[0] == client && !strings.Contains(out, "Authentication failed") && !strings.Contains(out, "Password required") {
			t.Errorf("%s failed for another reason: %s", strings.Join(c, " "), out)
		}
		t.Logf("nobody: %s → %s", strings.Join(c[min(len(c)-1, 1):], " "), strings.TrimSpace(strings.SplitN(out, "\n", 2)[0]))
	}
	if err := admin.QueryRow(ctx, "SELECT count() FROM system.databases WHERE name = 'nobody_was_here'").Scan(&n); err != nil || n != 0 {
		t.Errorf("nobody created a database (%d, %v)", n, err)
	}
	if err := admin.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = 'lk' AND name = 't'").Scan(&n); err != nil || n != 1 {
		t.Errorf("nobody dropped the table (%d, %v)", n, err)
	}

	// A second Start on the directory reuses the server with the same passwords.
	again, err := Start(ctx, dir, nil)
	if err != nil || again.Owned() || again.Port != s.Port {
		t.Fatalf("restart reused %+v, %v", again, err)
	}
}
