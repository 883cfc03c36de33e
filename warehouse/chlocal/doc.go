// Package chlocal runs a private clickhouse-server child process under a
// data directory: the zero-setup default when no --clickhouse DSN is given.
// A server already started for the same directory by another convintel
// process is reused rather than started twice.
package chlocal
