package warehouse

import (
	"strings"
	"testing"
)

// TestRedactDSN: a DSN's password never reaches an error or a log line;
// the rest stays readable so the user can see which server was meant.
func TestRedactDSN(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"clickhouse://default:s3cret@127.0.0.1:9000/db?dial_timeout=5s", "clickhouse://default:xxxxx@127.0.0.1:9000/db?dial_timeout=5s"},
		{"clickhouse://127.0.0.1:9000/db", "clickhouse://127.0.0.1:9000/db"},
		{"clickhouse://reader@host:9000/db", "clickhouse://reader@host:9000/db"},
	} {
		got := RedactDSN(tc.in)
		if got != tc.want || strings.Contains(got, "s3cret") {
			t.Errorf("RedactDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
