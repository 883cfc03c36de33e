package chlocal

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A second command that starts while the first is still stopping the
// server of the same directory waits for it, then starts its own, instead
// of starting a second server on the same files (which exits at once).
func TestStartWaitsForAServerBeingStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse")
	}
	dir := filepath.Join(t.TempDir(), "ch")
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	first, err := Start(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Frozen, the first server is alive and does not answer, as one that
	// is shutting down: the next Start must wait for it.
	if err := syscall.Kill(first.pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// The signal is delivered to each thread as it next runs: on a loaded
	// machine a network thread can still answer for a moment.
	waitFrozen(t, first.pid)
	stopped := make(chan struct{})
	go func() {
		time.Sleep(1500 * time.Millisecond)
		// Stop marks the stop and sends SIGTERM, which waits in the frozen
		// process; once it runs again it may answer a ping before it
		// handles the signal, and must not be reused then.
		go func() {
			first.Stop()
			close(stopped)
		}()
		for !stopping(first.Dir, first.pid) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		syscall.Kill(first.pid, syscall.SIGCONT)
	}()
	began := time.Now()
	second, err := Start(ctx, dir, nil)
	<-stopped
	if err != nil {
		t.Fatalf("start while the first server stops: %v", err)
	}
	defer second.Stop()
	if second.pid == first.pid || second.cmd == nil {
		t.Fatalf("second Start reused the stopped server (pid %d)", second.pid)
	}
	if waited := time.Since(began); waited < time.Second {
		t.Fatalf("second Start returned after %v: it did not wait for the first server", waited)
	}
	if err := second.ping(ctx); err != nil {
		t.Fatalf("second server does not answer: %v", err)
	}
}

// waitFrozen waits until every thread of pid is stopped (state T).
func waitFrozen(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tasks, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "stat"))
		frozen := len(tasks) > 0
		for _, task := range tasks {
			b, err := os.ReadFile(task)
			i := strings.LastIndexByte(string(b), ')')
			if err != nil || i < 0 || i+2 >= len(b) || b[i+2] != 'T' {
				frozen = false
				break
			}
		}
		if frozen {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server %d not stopped 10 s after SIGSTOP", pid)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A server.port left by a crash, naming a pid the system gave to another
// program, is not waited for.
func TestBusyPIDIgnoresAnotherProgram(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "server.port"), []byte("9000\n"+strconv.Itoa(os.Getpid())+"\n"), 0o644)
	if pid := busyPID(dir); pid != 0 {
		t.Fatalf("busyPID = %d for the test process itself, want 0", pid)
	}
}

// A server that answers but is being stopped (server.stopping names it) is
// not reused; the same server without the marker is.
func TestReuseSkipsAServerBeingStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("starts ClickHouse")
	}
	dir := filepath.Join(t.TempDir(), "ch")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := Start(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	marker := filepath.Join(s.Dir, stoppingFile)
	if err := os.WriteFile(marker, []byte(strconv.Itoa(s.pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := reuse(ctx, s.Dir, s.auth, s.log); r != nil {
		t.Fatalf("reused server %d while server.stopping names it", r.pid)
	}
	os.WriteFile(marker, []byte("1\n"), 0o644) // another pid's stop, long over
	if r := reuse(ctx, s.Dir, s.auth, s.log); r == nil || r.pid != s.pid {
		t.Fatalf("reuse = %v, want the running server %d", r, s.pid)
	}
}
