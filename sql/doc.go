// Package sql owns the ClickHouse schema and every SQL statement the project
// sends: versioned migrations under migrations/ and the metric jobs under
// metrics/, embedded in the binary. It connects to a server, creates the
// database and applies migrations. It must not know about Kafka, NLP or
// rendering; statements here run on ClickHouse 18.16.1 and on current
// releases (see ../shared/spec/clickhouse-18.md), so they stay within the
// common subset: explicit column lists, no TTL, no DateTime64, no window
// functions, no JSON functions.
package sql
