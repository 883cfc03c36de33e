package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func TestTransient(t *testing.T) {
	f := func(err error, want bool) {
		t.Helper()
		if got := transient(err); got != want {
			t.Errorf("transient(%v) = %v, want %v", err, got, want)
		}
	}
	f(&clickhouse.Exception{Code: 210, Message: "Connection refused (127.0.0.1:9000)"}, true)
	f(fmt.Errorf("shard 2: %w", &clickhouse.Exception{Code: 242, Message: "Table is in readonly mode"}), true)
	f(&clickhouse.Exception{Code: 62, Message: "Syntax error"}, false)
	f(&clickhouse.Exception{Code: 60, Message: "Table doesn't exist"}, false)
	f(fmt.Errorf("read: %w", io.EOF), true)
	f(fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true)
	f(errors.New("metrics job gmv: bad template"), false)
}

func TestRetryTransient(t *testing.T) {
	ctx := context.Background()
	calls := 0
	retries, err := retryTransient(ctx, time.Minute, func() error {
		if calls++; calls < 3 {
			return &clickhouse.Exception{Code: 210}
		}
		return nil
	})
	if err != nil || retries != 2 || calls != 3 {
		t.Fatalf("two transient failures then success: %d retries, %d calls, err %v", retries, calls, err)
	}
	calls = 0
	permanent := &clickhouse.Exception{Code: 62}
	retries, err = retryTransient(ctx, time.Minute, func() error { calls++; return permanent })
	if !errors.Is(err, permanent) || retries != 0 || calls != 1 {
		t.Fatalf("a permanent error is not retried: %d retries, %d calls, err %v", retries, calls, err)
	}
	// Transient failures beyond the limit give up with the last error.
	calls = 0
	t0 := time.Now()
	_, err = retryTransient(ctx, 1200*time.Millisecond, func() error { calls++; return io.EOF })
	if !errors.Is(err, io.EOF) || calls != 2 || time.Since(t0) > 2*time.Second {
		t.Fatalf("limit 1.2 s: %d calls in %s, err %v; want 2 calls (waits 0.5 s, then 1 s would pass the limit)", calls, time.Since(t0), err)
	}
}
