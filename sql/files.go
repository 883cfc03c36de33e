package sql

import "embed"

// Files holds every .sql file of the project, embedded.
//
//go:embed migrations/*.sql
var Files embed.FS
