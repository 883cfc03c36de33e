package chlocal

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
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
	want := MallocConf(runtime.NumCPU())
	if !slices.Contains(env, "MALLOC_CONF="+want) {
		t.Errorf("server environment has no MALLOC_CONF=%s; MALLOC_CONF entries: %q", want,
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
	if want := []string{"PATH=/usr/bin", "MALLOC_CONF=" + MallocConf(runtime.NumCPU())}; !slices.Equal(got, want) {
		t.Errorf("serverEnv(%q) = %q, want %q", base, got, want)
	}
	if base[:2][1] != "" {
		t.Errorf("serverEnv wrote into its argument's spare capacity: %q", base[:2])
	}
}

// TestMallocConfArenas: one arena up to seven cores (a 2-core machine's
// INSERTs and merges share theirs), one per four cores above.
func TestMallocConfArenas(t *testing.T) {
	for cores, want := range map[int]string{1: "narenas:1,", 2: "narenas:1,", 7: "narenas:1,", 8: "narenas:2,", 64: "narenas:16,"} {
		if got := MallocConf(cores); !strings.HasPrefix(got, want) || !strings.Contains(got, "muzzy_decay_ms:60000") {
			t.Errorf("MallocConf(%d) = %q, want %s… with muzzy_decay_ms:60000", cores, got, want)
		}
	}
}
