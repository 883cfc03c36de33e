package chlocal

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServerMallocConf: a server chlocal starts runs with MallocConf in
// its environment (read back from /proc), so its allocator keeps freed
// pages instead of faulting them in again on every INSERT and merge.
func TestServerMallocConf(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse")
	}
	// The test's own environment must not carry one (it would win).
	t.Setenv("MALLOC_CONF", "")
	os.Unsetenv("MALLOC_CONF")
	tcp, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	http, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s, err := StartWith(ctx, filepath.Join(t.TempDir(), "ch"), tcp, http, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.PID()) + "/environ")
	if err != nil {
		t.Skipf("no /proc environ to read: %v", err)
	}
	env := strings.Split(string(b), "\x00")
	if !slices.Contains(env, "MALLOC_CONF="+MallocConf) {
		t.Errorf("server environment has no MALLOC_CONF=%s; MALLOC_CONF entries: %q", MallocConf,
			slices.DeleteFunc(env, func(kv string) bool { return !strings.HasPrefix(kv, "MALLOC_CONF=") }))
	}
}

// TestServerEnvKeepsOperatorMallocConf: an operator's MALLOC_CONF is
// passed on as it is, and ours is added only when there is none.
func TestServerEnvKeepsOperatorMallocConf(t *testing.T) {
	own := []string{"PATH=/usr/bin", "MALLOC_CONF=narenas:1"}
	if got := serverEnv(own); !slices.Equal(got, own) {
		t.Errorf("serverEnv(%q) = %q, want it unchanged", own, got)
	}
	base := make([]string, 1, 4)
	base[0] = "PATH=/usr/bin"
	got := serverEnv(base)
	if want := []string{"PATH=/usr/bin", "MALLOC_CONF=" + MallocConf}; !slices.Equal(got, want) {
		t.Errorf("serverEnv(%q) = %q, want %q", base, got, want)
	}
	if base[:2][1] != "" {
		t.Errorf("serverEnv wrote into its argument's spare capacity: %q", base[:2])
	}
}
