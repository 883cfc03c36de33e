package main

import (
	"context"
	"fmt"

	"github.com/convintel/convintel/warehouse"
)

// readerConn returns the connection serve's pages and API read through:
// with the local ClickHouse, its read-only user (convintel_reader; see
// warehouse/chlocal), so a bug or an injection in a page cannot write or drop
// anything; with a configured DSN, writer itself (give serve a read-only
// user's DSN there if you want the same guarantee). The writer connection
// stays for the scheduler and serve's small authenticated writes (QA
// disputes, alert mutes), which are few and checked.
func (a *app) readerConn(ctx context.Context, writer warehouse.Conn) (warehouse.Conn, error) {
	if a.chLocal == nil {
		return writer, nil
	}
	conn, err := warehouse.OpenExisting(ctx, a.chLocal.ReaderDSN(a.db))
	if err != nil {
		return nil, fmt.Errorf("connect as the local read-only user: %w", err)
	}
	a.mu.Lock()
	a.closers = append(a.closers, func() { conn.Close() })
	a.mu.Unlock()
	return conn, nil
}
