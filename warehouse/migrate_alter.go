package warehouse

import (
	"regexp"
	"strings"
)

// addColumnRe matches a migration statement that adds a column:
// ALTER TABLE t [ON CLUSTER c] ADD COLUMN name ….
var addColumnRe = regexp.MustCompile(`(?is)^\s*(--[^\n]*\n\s*)*ALTER\s+TABLE\s+\S+(\s+ON\s+CLUSTER\s+\S+)?\s+ADD\s+COLUMN\s+(\S+)`)

// columnAlreadyAdded reports whether err is ClickHouse refusing an
// ADD COLUMN statement because the column exists. ClickHouse 18.16 has no
// ADD COLUMN IF NOT EXISTS, and migrations run again (a cluster node that
// lacks tables gets every migration ON CLUSTER, on every node): the column
// being there already is what the statement wanted.
func columnAlreadyAdded(stmt string, err error) bool {
	m := addColumnRe.FindStringSubmatch(stmt)
	if m == nil || err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "already exists") && strings.Contains(msg, m[3])
}
