package backoff

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	f := func(min, max time.Duration, want ...time.Duration) {
		t.Helper()
		b := Backoff{Min: min, Max: max}
		for i, w := range want {
			if got := b.Next(); got != w {
				t.Errorf("Backoff{%s, %s} retry %d: %s, want %s", min, max, i, got, w)
			}
			if got := Delay(min, max, i); got != w {
				t.Errorf("Delay(%s, %s, %d) = %s, want %s", min, max, i, got, w)
			}
		}
		b.Reset()
		if got := b.Next(); got != min {
			t.Errorf("after Reset: %s, want %s", got, min)
		}
	}
	ms := time.Millisecond
	f(100*ms, 10*time.Second, 100*ms, 200*ms, 400*ms, 800*ms, 1600*ms, 3200*ms, 6400*ms, 10*time.Second, 10*time.Second)
	f(500*ms, 8*time.Second, 500*ms, time.Second, 2*time.Second, 4*time.Second, 8*time.Second, 8*time.Second)
	f(100*ms, 5*time.Second, 100*ms, 200*ms, 400*ms, 800*ms, 1600*ms, 3200*ms, 5*time.Second)
	if got := Delay(time.Second, time.Hour, 1000); got != time.Hour {
		t.Errorf("a large attempt overflows: %s", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Error("Sleep outlived its context")
	}
	if !Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep ended early")
	}
}
