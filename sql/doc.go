// Package sql holds every SQL statement the project sends to ClickHouse, as
// .sql files embedded in the binary (Files): the versioned migrations under
// migrations/, the metric jobs under metrics/, and the admin, cluster,
// status, scheduler, privacy and NLP statements. Each file says in a comment
// which definition it implements. It holds no Go logic: package warehouse
// reads and runs these files. Statements run on ClickHouse 18.16.1 and on
// current releases (docs/architecture.md), so they stay within
// the common subset: explicit column lists, no TTL, no DateTime64, no window
// functions, no JSON functions.
package sql
