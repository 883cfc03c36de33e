// Package chlocal runs a private clickhouse-server child process under a
// data directory: the zero-setup default when no --clickhouse DSN is given.
// A server already started for the same directory by another convintel
// process is reused rather than started twice.
//
// The server runs with its allocator tuned for ingest (MallocConf: freed
// pages kept for a minute, in one arena per four cores, instead of faulted
// in again by the next INSERT or merge); only servers chlocal starts get
// it, never a server a DSN names.
package chlocal
