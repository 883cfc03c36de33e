package sql

import "embed"

// Files holds every .sql file of the project, embedded: the migrations,
// the schema bookkeeping, the metric jobs and the status queries.
//
//go:embed migrations/*.sql schema/*.sql metrics/*.sql status/*.sql
var Files embed.FS
