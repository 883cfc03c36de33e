// Package reliability holds the failure-injection suite of the ingest path:
// it runs the real convintel binary against a real ClickHouse and the
// embedded Kafka as its own process, kills and restarts them, feeds them
// hostile input, and checks that what is stored is exactly what was
// produced. It has no production code; see docs/reliability.md.
//
// Short versions run with `go test` (and `make test`); set
// CONVINTEL_RELIABILITY=full for the long ones (`make reliability`).
package reliability
