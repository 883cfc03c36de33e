package sql

import "embed"

// Files holds every .sql file of the project, embedded: admin statements, the migrations,
// the schema bookkeeping, the cluster layout's system queries, the metric
// jobs, the status queries and the scheduler's bookkeeping.
//
//go:embed admin/*.sql migrations/*.sql schema/*.sql cluster/*.sql metrics/*.sql status/*.sql schedule/*.sql nlp/*.sql
var Files embed.FS
