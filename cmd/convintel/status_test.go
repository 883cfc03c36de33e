package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// TestLagNote: a broker that does not answer is reported with the setting
// to check, not with the Kafka client's internal names.
func TestLagNote(t *testing.T) {
	_, dialErr := net.Dial("tcp", "127.0.0.1:1")
	if dialErr == nil {
		t.Skip("something listens on 127.0.0.1:1")
	}
	f := func(err error, want, notWant string) {
		t.Helper()
		got := lagNote(err, []string{"127.0.0.1:1"})
		if !strings.Contains(got, want) || (notWant != "" && strings.Contains(got, notWant)) {
			t.Errorf("lagNote(%v) = %q, want it to contain %q and not %q", err, got, want, notWant)
		}
	}
	f(fmt.Errorf("kafka metadata: kafka.(*Client).Metadata: %w", dialErr), "Kafka at 127.0.0.1:1 does not answer", "(*Client)")
	f(fmt.Errorf("kafka metadata: %w", context.DeadlineExceeded), "did not answer within 10s; check --brokers", "")
	f(errors.New("kafka offset fetch: group authorization failed"), "group authorization failed", "")
}
