package chlocal

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
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
	stopped := make(chan struct{})
	go func() {
		time.Sleep(1500 * time.Millisecond)
		// SIGTERM waits in the frozen process and is the first thing it
		// handles when it runs again: it never answers in between.
		syscall.Kill(first.pid, syscall.SIGTERM)
		syscall.Kill(first.pid, syscall.SIGCONT)
		first.Stop()
		close(stopped)
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

// A server.port left by a crash, naming a pid the system gave to another
// program, is not waited for.
func TestBusyPIDIgnoresAnotherProgram(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "server.port"), []byte("9000\n"+strconv.Itoa(os.Getpid())+"\n"), 0o644)
	if pid := busyPID(dir); pid != 0 {
		t.Fatalf("busyPID = %d for the test process itself, want 0", pid)
	}
}
