package sql_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// statementRe matches a string literal that is an SQL statement: it starts
// with a statement keyword (after blanks), as the project's statements do.
var statementRe = regexp.MustCompile(`^\s*(SELECT|INSERT INTO|ALTER TABLE|CREATE (TABLE|DATABASE|USER|VIEW|MATERIALIZED VIEW)|DROP (TABLE|DATABASE|USER)|OPTIMIZE TABLE|TRUNCATE|RENAME TABLE|SYSTEM|GRANT|WITH\s+\w+\s+AS)\b`)

// Every SQL statement lives in a .sql file of this package; the only Go
// strings that may hold one are ingest's batch INSERT headers, which are
// built from the writer's column lists. Tests may query ad hoc.
func TestNoSQLInGoStrings(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", "node_modules", "out", "bin":
				return filepath.SkipDir
			}
			// Dot directories (.git, .cache with the test ClickHouse's data,
			// .convintel) hold no Go package, as the go tool reads them, and
			// change under the walk while other packages' tests run.
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !statementRe.MatchString(s) {
				return true
			}
			if strings.HasPrefix(rel, "ingest/") && strings.HasPrefix(strings.TrimSpace(s), "INSERT INTO") {
				return true // the writer's batch headers
			}
			found = append(found, rel+":"+strconv.Itoa(fset.Position(lit.Pos()).Line)+": "+firstLine(s))
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("SQL in a Go string (move it to a .sql file under sql/): %s", f)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
