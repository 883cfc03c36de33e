package metrics

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"sync"
	"text/template"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/convintel/convintel/sql"
	"github.com/convintel/convintel/warehouse"
)

var (
	templatesMu sync.Mutex
	// templates are the parsed SQL files by source and file name.
	templates = map[FS]map[string]*template.Template{}
)

// projectFiles are the project's metric SQL files (sql/metrics).
type projectFiles struct{}

func (projectFiles) ReadFile(name string) ([]byte, error) {
	return sql.Files.ReadFile(path.Join("metrics", name))
}

// sharedSQL are the files of sql/metrics that only define templates every
// statement may use.
var sharedSQL = []string{"buyer_slice.sql", "paid_orders.sql", "candidates_from.sql"}

// render fills the project's metric SQL file name (without .sql) with data.
func render(name string, data any) (string, error) { return renderFrom(nil, name, data) }

// renderFrom fills the SQL file name (without .sql) of files (nil: the
// project's sql/metrics) with data. Only values this package computes or
// whitelists reach a template; user values are always bound as query
// arguments.
func renderFrom(files FS, name string, data any) (string, error) {
	if files == nil {
		files = projectFiles{}
	}
	file := name + ".sql"
	templatesMu.Lock()
	t := templates[files][file]
	if t == nil {
		raw, err := files.ReadFile(file)
		if err != nil {
			templatesMu.Unlock()
			return "", fmt.Errorf("sql/metrics/%s does not exist: %w", file, err)
		}
		t, err = template.New(file).Option("missingkey=error").Parse(string(raw))
		if err == nil {
			// Every file may use the shared definitions (sharedSQL).
			for _, shared := range sharedSQL {
				var def []byte
				if def, err = sql.Files.ReadFile("metrics/" + shared); err != nil {
					break
				}
				if _, err = t.New(shared).Parse(string(def)); err != nil {
					break
				}
			}
		}
		if err != nil {
			templatesMu.Unlock()
			return "", fmt.Errorf("sql/metrics/%s: %w", file, err)
		}
		if templates[files] == nil {
			templates[files] = map[string]*template.Template{}
		}
		templates[files][file] = t
	}
	templatesMu.Unlock()
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("sql/metrics/%s: %w", file, err)
	}
	return b.String(), nil
}

// insertFile inserts the rows fill appends through the INSERT header of
// the metric SQL file name (its comment lines dropped: the driver reads the
// table and columns from the statement's text). Every insert goes through
// PrepareBatch: bound VALUES through Exec hang on ClickHouse 18.16. When
// fill fails the batch is aborted and nothing is sent.
func insertFile(ctx context.Context, conn warehouse.Conn, name string, fill func(driver.Batch) error) error {
	stmt, err := render(name, nil)
	if err != nil {
		return err
	}
	b, err := conn.PrepareBatch(ctx, withoutComments(stmt))
	if err != nil {
		return err
	}
	if err := fill(b); err != nil {
		b.Abort()
		return err
	}
	return b.Send()
}

// queryFile renders the metric SQL file name with data and runs it.
func queryFile(ctx context.Context, conn warehouse.Conn, name string, data any, args ...any) (driver.Rows, error) {
	stmt, err := render(name, data)
	if err != nil {
		return nil, err
	}
	return conn.Query(ctx, stmt, args...)
}
