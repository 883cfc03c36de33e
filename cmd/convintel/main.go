package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	// CONVINTEL_CPUPROFILE / CONVINTEL_MEMPROFILE write pprof profiles of
	// any command (docs/performance.md shows how they were used).
	// A child process started by bench gets its own file (pid suffix).
	if path := os.Getenv("CONVINTEL_CPUPROFILE"); path != "" {
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid())); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	code := run()
	pprof.StopCPUProfile()
	if path := os.Getenv("CONVINTEL_MEMPROFILE"); path != "" {
		if f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid())); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	os.Exit(code)
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{}
	root := newRootCmd(a)
	err := root.ExecuteContext(ctx)
	stop()
	a.close()
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(os.Stderr, "convintel: %v\nRun 'convintel %s --help' for usage.\n", err, ue.cmd)
			return 2
		}
		fmt.Fprintf(os.Stderr, "convintel: %v\n", err)
		return 1
	}
	return 0
}
