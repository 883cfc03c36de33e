package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	// stop before the servers are closed: a second Ctrl-C then ends a
	// shutdown that hangs.
	return execute(ctx, os.Args[1:], os.Stdout, os.Stderr, stop)
}

// execute runs convintel with args and returns the exit status: 0, 1 for
// a failure, 2 for a mistake in the command line (unknown command or flag,
// wrong arguments, a missing or bad flag value), which also prints the
// command's usage line and where its help is. ran is called when the
// command returns, before what it started is stopped.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer, ran func()) int {
	a := &app{}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	ran()
	a.close()
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) || !a.calledRight {
		if cmd == nil {
			cmd = root
		}
		fmt.Fprintf(stderr, "convintel: %v\n", err)
		if cmd.HasParent() && cmd.Runnable() {
			fmt.Fprintf(stderr, "Usage: %s\n", cmd.UseLine())
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return 2
	}
	fmt.Fprintf(stderr, "convintel: %v\n", err)
	return 1
}
