package chlocal

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"
)

// TestStartTriesOtherPortsWhenOneIsTaken: a port found free can be taken
// before the server binds it (a clean-clone make test lost its server so);
// Start then picks other ports instead of failing.
func TestStartTriesOtherPortsWhenOneIsTaken(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse")
	}
	if _, err := FindBinary(); err != nil {
		t.Skip(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	busy := taken.Addr().(*net.TCPAddr).Port
	calls := 0
	pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return busy, nil
		}
		return freePort()
	}
	defer func() { pickPort = freePort }()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	s, err := Start(ctx, filepath.Join(t.TempDir(), "ch"), nil)
	if err != nil {
		t.Fatalf("Start with its first port taken: %v", err)
	}
	defer s.Stop()
	if s.Port == busy || calls < 4 {
		t.Errorf("server on port %d after %d picks; want another port than the taken %d, picked again", s.Port, calls, busy)
	}
}
