// Command convintel is the conversation-intelligence pipeline for
// e-commerce customer service: ingest chat and order events from Kafka
// into ClickHouse with NLP enrichment, compute conversion, GMV attribution
// and service metrics, and render reports and dashboards. This package
// only wires components; see docs/architecture.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
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
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "convintel: %v\n", err)
		os.Exit(1)
	}
}
