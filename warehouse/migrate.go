package warehouse

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/convintel/convintel/sql"
)

// Migration is one versioned schema file, rendered for a topology.
type Migration struct {
	Version    uint32
	Name       string
	Statements []string
	Checksum   string
}

// Topology says how tables are laid out. The zero value is one server.
type Topology struct {
	// Cluster, when set, names the <remote_servers> cluster: the tables
	// live in <db>_local on every shard with Distributed tables over them
	// in <db> (see Cluster and docs/deployment.md).
	Cluster string
	// Replicated uses ReplicatedMergeTree engines (the cluster has replicas).
	Replicated bool
}

// templateData is what migration templates see.
type templateData struct {
	// Local is a suffix for shard-local table names. It is always "": on a
	// cluster the shard-local tables keep their names in database
	// <db>_local, so the metric SQL runs unchanged on a shard.
	Local string
	// OnCluster is " ON CLUSTER name" when rendering for a cluster as a
	// whole (Cluster.Migrate with a distributed DDL queue); "" for one
	// server and for a cluster migrated node by node.
	OnCluster string
	topo      Topology
	db        string
}

// Engine returns the table engine: ReplacingMergeTree, replicated when the
// cluster has replicas.
func (d templateData) Engine(table string) string {
	if d.topo.Replicated {
		return fmt.Sprintf("ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/%s/%s', '{replica}')", d.db, table)
	}
	return "ReplacingMergeTree"
}

// EngineOf returns a named MergeTree-family engine (e.g. "MergeTree",
// "SummingMergeTree"), replicated when the cluster has replicas.
func (d templateData) EngineOf(engine, table string) string {
	if d.topo.Replicated {
		return fmt.Sprintf("Replicated%s('/clickhouse/tables/{shard}/%s/%s', '{replica}')", engine, d.db, table)
	}
	return engine
}

// EngineOnEveryNode returns engine replicated across the whole cluster
// when rendering ON CLUSTER: every node is a replica of one table (one ZK
// path without {shard}), so a row written on any node reaches all of them.
// Otherwise the plain engine, one table per node.
func (d templateData) EngineOnEveryNode(engine, table string) string {
	if d.OnCluster != "" {
		return fmt.Sprintf("Replicated%s('/clickhouse/tables/all/%s/%s', '{shard}-{replica}')", engine, d.db, table)
	}
	return engine
}

func newTemplateData(db string, topo Topology) templateData {
	data := templateData{topo: topo, db: db}
	if topo.Cluster != "" {
		data.OnCluster = " ON CLUSTER " + topo.Cluster
	}
	return data
}

// renderFile renders an embedded .sql template for a topology.
func renderFile(name string, data templateData) (raw []byte, rendered string, err error) {
	raw, err = fs.ReadFile(sql.Files, name)
	if err != nil {
		return nil, "", err
	}
	tmpl, err := template.New(path.Base(name)).Option("missingkey=error").Parse(string(raw))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, "", fmt.Errorf("%s: %w", name, err)
	}
	return raw, buf.String(), nil
}

// Migrations reads and renders the embedded migration files in version order.
func Migrations(db string, topo Topology) ([]Migration, error) {
	entries, err := fs.ReadDir(sql.Files, "migrations")
	if err != nil {
		return nil, err
	}
	data := newTemplateData(db, topo)
	var out []Migration
	seen := map[uint32]string{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseUint(num, 10, 32)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a version number and _", name)
		}
		if prev, dup := seen[uint32(v)]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, name, v)
		}
		seen[uint32(v)] = name
		raw, rendered, err := renderFile(path.Join("migrations", name), data)
		if err != nil {
			return nil, fmt.Errorf("migration %w", err)
		}
		sum := sha256.Sum256(raw)
		out = append(out, Migration{
			Version:    uint32(v),
			Name:       strings.TrimSuffix(name, ".sql"),
			Statements: SplitStatements(rendered),
			Checksum:   hex.EncodeToString(sum[:8]),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SplitStatements splits a script on semicolons that end a line, dropping
// comment-only chunks. Statements here never contain ";\n" inside strings.
func SplitStatements(script string) []string {
	var out []string
	for _, chunk := range strings.Split(script, ";\n") {
		chunk = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(chunk), ";"))
		if chunk == "" || isOnlyComments(chunk) {
			continue
		}
		out = append(out, chunk)
	}
	return out
}

func isOnlyComments(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "--") {
			return false
		}
	}
	return true
}

// Migrate applies every embedded migration not yet recorded in
// schema_migrations, in order, and records each. It is safe to re-run and
// to run from several processes at once: statements are idempotent
// (IF NOT EXISTS) and a version recorded twice collapses.
// A cluster topology is migrated by Cluster.Migrate.
func Migrate(ctx context.Context, conn Conn, db string, topo Topology, log *slog.Logger) (applied int, err error) {
	if topo.Cluster != "" {
		return 0, fmt.Errorf("migrate: cluster %s is migrated through its nodes: use warehouse.OpenCluster and Cluster.Migrate", topo.Cluster)
	}
	return migrate(ctx, conn, db, topo, false, log)
}

// migrate applies the migrations missing from conn's schema_migrations
// (every one when again is set: statements are idempotent, and a node
// that lacks tables gets them), rendered for topo: with topo.Cluster set
// each statement runs ON CLUSTER from conn's node.
func migrate(ctx context.Context, conn Conn, db string, topo Topology, again bool, log *slog.Logger) (applied int, err error) {
	migs, err := Migrations(db, topo)
	if err != nil {
		return 0, err
	}
	// Created only when missing: ON CLUSTER, even an IF NOT EXISTS waits
	// for every node, and a replica may be down.
	var have uint8
	if err := conn.QueryRow(ctx, "EXISTS TABLE schema_migrations").Scan(&have); err != nil {
		return 0, fmt.Errorf("look for schema_migrations: %w", err)
	}
	if have == 0 {
		_, create, err := renderFile("schema/schema_migrations.sql", newTemplateData(db, topo))
		if err != nil {
			return 0, err
		}
		if err := conn.Exec(ctx, create); err != nil {
			return 0, fmt.Errorf("create schema_migrations: %w", err)
		}
	}
	done := map[uint32]bool{}
	rows, err := conn.Query(ctx, appliedVersionsSQL)
	if err != nil {
		return 0, fmt.Errorf("read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, err
		}
		done[v] = true
	}
	rows.Close()
	for _, m := range migs {
		if done[m.Version] && !again {
			continue
		}
		for i, stmt := range m.Statements {
			if err := conn.Exec(ctx, stmt); err != nil && !columnAlreadyAdded(stmt, err) {
				return applied, fmt.Errorf("migration %s, statement %d: %w\n%s", m.Name, i+1, err, firstLines(stmt, 3))
			}
		}
		if err := record(ctx, conn, m); err != nil {
			return applied, fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		if log != nil {
			log.Info("applied migration", "version", m.Version, "name", m.Name)
		}
		applied++
	}
	return applied, nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

var (
	appliedVersionsSQL = embedded("schema/applied_versions.sql")
	recordMigrationSQL = embedded("schema/record_migration.sql")
)

// record inserts a migration row. Inserts go through PrepareBatch: an
// INSERT … VALUES with bound arguments through Exec hangs on 18.16.
func record(ctx context.Context, conn Conn, m Migration) error {
	b, err := conn.PrepareBatch(ctx, recordMigrationSQL)
	if err != nil {
		return err
	}
	if err := b.Append(m.Version, m.Name, m.Checksum, time.Now()); err != nil {
		b.Abort()
		return err
	}
	return b.Send()
}
