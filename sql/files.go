package sql

import "embed"

// Files holds every .sql file of the project, embedded: the migrations,
// the schema bookkeeping, the metric jobs, the status queries and the
// scheduler's bookkeeping.
//
//go:embed migrations/*.sql schema/*.sql metrics/*.sql status/*.sql schedule/*.sql
var Files embed.FS
