package ingest

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// An unreachable broker list is named with the settings that set it.
func TestUnreachableBrokerNamesTheSetting(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // a loopback port nobody listens on
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = KafkaConfig{Brokers: []string{addr}, Topic: "t"}.EnsureTopics(ctx)
	if err == nil || !strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "CONVINTEL_KAFKA_BROKERS") {
		t.Fatalf("EnsureTopics on a closed port: %v", err)
	}
}
