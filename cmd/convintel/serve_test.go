package main

import (
	"net"
	"strings"
	"testing"
)

// TestCheckListen: serve finds a taken or impossible address before it
// starts anything, and says what to change.
func TestCheckListen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f := func(addr, want string) {
		t.Helper()
		err := checkListen(addr)
		if want == "" {
			if err != nil {
				t.Errorf("checkListen(%s) = %v, want nil", addr, err)
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("checkListen(%s) = %v, want an error containing %q", addr, err, want)
		}
	}
	f(ln.Addr().String(), "another program (another convintel serve?) uses it; stop it or choose another with --listen")
	f("127.0.0.1:99999", "invalid port; choose another with --listen or dashboards.listen")
	f("127.0.0.1:0", "")
}
