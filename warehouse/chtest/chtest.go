package chtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chlocal"
)

// EnvDSN names an existing server to test against instead of a local one.
const EnvDSN = "CONVINTEL_TEST_CLICKHOUSE"

var (
	startOnce sync.Once
	server    *chlocal.Server
	startErr  error
	serverDir string
	seq       atomic.Int64
)

// dsnBase returns "clickhouse://host:port" of the server to use.
func dsnBase() (string, error) {
	if env := os.Getenv(EnvDSN); env != "" {
		return strings.TrimRight(env, "/"), nil
	}
	startOnce.Do(func() {
		serverDir, startErr = os.MkdirTemp("", "convintel-chtest-")
		if startErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		server, startErr = chlocal.Start(ctx, serverDir, nil)
	})
	if startErr != nil {
		return "", startErr
	}
	return server.BaseDSN(), nil
}

// Stop stops the shared local server, if this binary started one. Call it
// from TestMain after m.Run.
func Stop() {
	if server != nil {
		server.Stop()
		os.RemoveAll(serverDir)
	}
}

// New returns a connection to a fresh, migrated database and its name. The
// database is dropped when the test ends.
func New(t testing.TB) (warehouse.Conn, string) {
	t.Helper()
	base, err := dsnBase()
	if err != nil {
		t.Fatalf("chtest: no ClickHouse: %v", err)
	}
	db := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	ctx := context.Background()
	conn, name, err := warehouse.Open(ctx, base+"/"+db+"?dial_timeout=5s")
	if err != nil {
		t.Fatalf("chtest: open %s: %v", db, err)
	}
	t.Cleanup(func() {
		_ = warehouse.DropDatabase(context.Background(), conn, name)
		conn.Close()
	})
	if _, err := warehouse.Migrate(ctx, conn, name, warehouse.Topology{}, nil); err != nil {
		t.Fatalf("chtest: migrate %s: %v", name, err)
	}
	return conn, name
}

// DSN returns the DSN of a fresh, migrated database (dropped when the test
// ends), for tests that run commands which open their own connection.
func DSN(t testing.TB) string {
	t.Helper()
	_, db := New(t)
	base, err := dsnBase()
	if err != nil {
		t.Fatal(err)
	}
	return base + "/" + db + "?dial_timeout=5s"
}
