package metrics

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/convintel/convintel/backoff"
)

// transientLimit bounds how long a job-day is retried on transient errors.
// It exceeds ZooKeeper's default session timeout (30 s): on ClickHouse
// 18.16 a replica forwards DROP PARTITION to its shard's leader replica,
// and a leader that crashed keeps the role until its session expires.
const transientLimit = 60 * time.Second

// transient reports whether err may pass by itself: a server, or a
// replica it forwards to, is unreachable, or a replica lost ZooKeeper.
// Jobs replace whole days, so rerunning one after such an error is safe;
// anything else (bad SQL, a type error) fails at once.
func transient(err error) bool {
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		switch ex.Code {
		case 209, // SOCKET_TIMEOUT
			210, // NETWORK_ERROR, e.g. the leader replica refuses connections
			225, // NO_ZOOKEEPER
			242, // TABLE_IS_READ_ONLY: the replica lost its ZooKeeper session
			279, // ALL_CONNECTION_TRIES_FAILED
			999: // KEEPER_EXCEPTION
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// retryTransient calls f until it succeeds, fails for another reason, or
// has failed transiently for longer than limit, waiting 0.5 s after the
// first failure and doubling up to 8 s. It returns the number of retries.
func retryTransient(ctx context.Context, limit time.Duration, f func() error) (int, error) {
	retry, deadline := backoff.Backoff{Min: 500 * time.Millisecond, Max: 8 * time.Second}, time.Now().Add(limit)
	for retries := 0; ; retries++ {
		err := f()
		if err == nil || !transient(err) {
			return retries, err
		}
		wait := retry.Next()
		if time.Now().Add(wait).After(deadline) || !backoff.Sleep(ctx, wait) {
			return retries, err
		}
	}
}
