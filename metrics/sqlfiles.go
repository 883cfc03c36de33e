package metrics

import (
	"bytes"
	"fmt"
	"path"
	"sync"
	"text/template"

	convsql "github.com/convintel/convintel/sql"
)

var (
	templatesOnce sync.Once
	templates     map[string]*template.Template
	templatesErr  error
)

// render fills the metric SQL file name (without .sql) with data. Only
// values this package computes or whitelists reach a template; user values
// are always bound as query arguments.
func render(name string, data any) (string, error) {
	templatesOnce.Do(func() {
		templates = map[string]*template.Template{}
		entries, err := convsql.Files.ReadDir("metrics")
		if err != nil {
			templatesErr = err
			return
		}
		for _, e := range entries {
			raw, err := convsql.Files.ReadFile(path.Join("metrics", e.Name()))
			if err != nil {
				templatesErr = err
				return
			}
			t, err := template.New(e.Name()).Option("missingkey=error").Parse(string(raw))
			if err != nil {
				templatesErr = fmt.Errorf("sql/metrics/%s: %w", e.Name(), err)
				return
			}
			templates[e.Name()] = t
		}
	})
	if templatesErr != nil {
		return "", templatesErr
	}
	t := templates[name+".sql"]
	if t == nil {
		return "", fmt.Errorf("sql/metrics/%s.sql does not exist", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("sql/metrics/%s.sql: %w", name, err)
	}
	return b.String(), nil
}
