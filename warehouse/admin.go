package warehouse

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"text/template"
	"time"

	"github.com/convintel/convintel/sql"
)

// statement renders the embedded .sql file name (e.g.
// "admin/drop_database.sql") with data as a text/template. Only values the
// caller computed or validated reach a template (identifiers checked by
// identRe); user values are bound as query arguments.
func statement(name string, data any) (string, error) {
	raw, err := fs.ReadFile(sql.Files, name)
	if err != nil {
		return "", fmt.Errorf("embedded %s: %w", name, err)
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(raw))
	if err != nil {
		return "", fmt.Errorf("embedded %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("embedded %s: %w", name, err)
	}
	return b.String(), nil
}

// DropDatabase drops database db (a throw-away one: the bench's, the
// demo's) if it exists.
func DropDatabase(ctx context.Context, conn Conn, db string) error {
	if !identRe.MatchString(db) {
		return fmt.Errorf("drop database %q: not a plain identifier (letters, digits, _)", db)
	}
	stmt, err := statement("admin/drop_database.sql", map[string]string{"DB": db})
	if err != nil {
		return err
	}
	return conn.Exec(ctx, stmt)
}

// CreateDatabase creates database db unless it exists.
func CreateDatabase(ctx context.Context, conn Conn, db string) error {
	if !identRe.MatchString(db) {
		return fmt.Errorf("create database %q: not a plain identifier (letters, digits, _)", db)
	}
	stmt, err := statement("admin/create_database.sql", map[string]string{"DB": db})
	if err != nil {
		return err
	}
	return conn.Exec(ctx, stmt)
}

// MigrationsApplied counts the migrations recorded in schema_migrations.
func MigrationsApplied(ctx context.Context, conn Conn) (uint64, error) {
	return count(ctx, conn, "admin/migrations_applied.sql")
}

// MessageRows counts the stored message rows (before dedup).
func MessageRows(ctx context.Context, conn Conn) (uint64, error) {
	return count(ctx, conn, "admin/message_count.sql")
}

// MessageRowsSince counts the stored message rows from t on (before dedup).
func MessageRowsSince(ctx context.Context, conn Conn, t time.Time) (uint64, error) {
	return count(ctx, conn, "admin/message_count_since.sql", t.Unix())
}

func count(ctx context.Context, conn Conn, name string, args ...any) (uint64, error) {
	stmt, err := statement(name, nil)
	if err != nil {
		return 0, err
	}
	var n uint64
	err = conn.QueryRow(ctx, stmt, args...).Scan(&n)
	return n, err
}
