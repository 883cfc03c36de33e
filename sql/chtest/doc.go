// Package chtest gives tests a real, migrated ClickHouse database: a
// throw-away local server shared by the test binary, or the server named by
// CONVINTEL_TEST_CLICKHOUSE (a DSN base such as clickhouse://127.0.0.1:9000),
// with a unique database per test that is dropped at cleanup. It never
// mocks ClickHouse.
package chtest
