package sql

import "embed"

// Files holds every .sql file of the project, embedded: the migrations and
// the metric jobs.
//
//go:embed migrations/*.sql metrics/*.sql
var Files embed.FS
