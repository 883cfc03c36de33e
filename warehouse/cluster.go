package warehouse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Cluster is convintel's layout on a ClickHouse cluster (a <remote_servers>
// entry). Every node holds two databases:
//
//   - LocalDB (<db>_local): the real tables, exactly the single-server
//     schema. Every row of a buyer (shop_id, customer_id) lives on one
//     shard, so the metric SQL run on a shard's LocalDB is exact for the
//     buyers of that shard.
//   - DB (<db>): a Distributed table of the same name over every table of
//     LocalDB, sharded by cityHash64(shop_id, customer_id). Ingest, reports,
//     dashboards, Show and alert evaluation use DB.
type Cluster struct {
	Name    string
	DB      string
	LocalDB string
	// Global is a pool to DB on the node(s) of the DSN. Its inserts are
	// synchronous (insert_distributed_sync=1): an INSERT returns once every
	// shard stored its rows, so ingest acks Kafka only after the data is on
	// the shards.
	Global Conn
	// Shards holds a pool to LocalDB per shard, in shard order (each pool
	// knows every replica of its shard and fails over between them).
	Shards []Conn
	// Nodes lists every replica of every shard (host:port), in order.
	Nodes []Node
	// Replicated: the tables are Replicated*MergeTree, because a shard has
	// several replicas or clickhouse.replicated asks for it.
	Replicated bool
	// OnCluster: every node has ZooKeeper and the {shard} and {replica}
	// macros, so Migrate runs each statement once, ON CLUSTER, through
	// one node; otherwise it goes node by node.
	OnCluster bool
	// Down lists the nodes that did not answer at open. Only a replica
	// whose shard has another one answering may be down; the pools fail
	// over to the others, and Migrate works as long as no migration is
	// missing (ON CLUSTER waits for every node).
	Down []string

	opts *clickhouse.Options
	topo Topology
}

// Node is one server of the cluster.
type Node struct {
	Shard, Replica uint32
	Addr           string
}

var (
	clusterNodesSQL = embedded("cluster/nodes.sql")
	nodeFeatures    = embedded("cluster/node_features.sql")
	nodeTables      = embedded("cluster/node_tables.sql")
	tableColumnsSQL = embedded("cluster/table_columns.sql")
)

// LocalDatabase names the database of the shard-local tables.
func LocalDatabase(db string) string { return db + "_local" }

// OpenCluster connects to the cluster topo.Cluster through the server of
// dsn: it reads the cluster's nodes from system.clusters there, creates
// <db> and <db>_local on every node, and opens the global and per-shard
// pools. Every node is reached with the DSN's credentials and TLS
// settings. A replica that does not answer is listed in Down when another
// replica of its shard answers (a process may start while a replica is
// being repaired); a shard without any fails. Call Migrate next.
func OpenCluster(ctx context.Context, dsn string, topo Topology) (*Cluster, error) {
	if topo.Cluster == "" {
		return nil, errors.New("open cluster: no cluster name (clickhouse.cluster)")
	}
	if !identRe.MatchString(topo.Cluster) {
		return nil, fmt.Errorf("clickhouse cluster name %q: use letters, digits and _", topo.Cluster)
	}
	boot, db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	nodes, err := clusterNodes(ctx, boot, topo.Cluster)
	boot.Close()
	if err != nil {
		return nil, err
	}
	opts, _ := clickhouse.ParseDSN(dsn) // Open parsed it already
	if opts.DialTimeout == 0 {
		opts.DialTimeout = 5 * time.Second
	}
	c := &Cluster{Name: topo.Cluster, DB: db, LocalDB: LocalDatabase(db), Nodes: nodes, opts: opts, topo: topo}
	c.Replicated = topo.Replicated
	for i := 1; i < len(nodes); i++ {
		if nodes[i].Shard == nodes[i-1].Shard {
			c.Replicated = true // a shard with several replicas
		}
	}
	c.OnCluster = true
	up := map[uint32]bool{} // shards with a node that answered
	for _, n := range nodes {
		var zk, macros uint64
		err := c.query(ctx, n.Addr, func(conn Conn) error {
			for _, db := range []string{c.LocalDB, c.DB} {
				if err := CreateDatabase(ctx, conn, db); err != nil {
					return err
				}
			}
			return conn.QueryRow(ctx, nodeFeatures).Scan(&zk, &macros)
		})
		if err != nil && c.replicas(n.Shard) > 1 && isUnreachable(err) {
			c.Down = append(c.Down, n.Addr)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cluster %s node %s: %w", c.Name, n.Addr, err)
		}
		up[n.Shard] = true
		if c.Replicated && zk == 0 {
			return nil, fmt.Errorf("cluster %s node %s has no ZooKeeper, which replicated tables need (%s): add a <zookeeper> section "+
				"(ZooKeeper or ClickHouse Keeper) to every node's config, see docs/deployment.md", c.Name, n.Addr, c.replicatedWhy())
		}
		if c.Replicated && macros < 2 {
			return nil, fmt.Errorf("cluster %s node %s lacks the {shard} and {replica} macros, which replicated tables need (%s): "+
				"add <macros><shard>01</shard><replica>this-host</replica></macros> to its config, see docs/deployment.md", c.Name, n.Addr, c.replicatedWhy())
		}
		c.OnCluster = c.OnCluster && zk > 0 && macros == 2
	}
	for _, n := range nodes {
		if !up[n.Shard] {
			return nil, fmt.Errorf("cluster %s shard %d: no replica answers (down: %s)", c.Name, n.Shard, strings.Join(c.Down, ", "))
		}
	}
	c.Global, err = c.connect(ctx, opts.Addr, db, map[string]any{"insert_distributed_sync": 1})
	if err != nil {
		return nil, err
	}
	for shard, addrs := range c.shardAddrs() {
		conn, err := c.connect(ctx, addrs, c.LocalDB, nil)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("cluster %s shard %d: %w", c.Name, shard+1, err)
		}
		c.Shards = append(c.Shards, conn)
	}
	return c, nil
}

// clusterNodes reads the replicas of cluster name, in shard order.
func clusterNodes(ctx context.Context, conn Conn, name string) ([]Node, error) {
	rows, err := conn.Query(ctx, clusterNodesSQL, name)
	if err != nil {
		return nil, fmt.Errorf("read system.clusters: %w", err)
	}
	defer rows.Close()
	var out []Node
	for rows.Next() {
		var n Node
		var host string
		var port uint16
		if err := rows.Scan(&n.Shard, &n.Replica, &host, &port); err != nil {
			return nil, err
		}
		n.Addr = net.JoinHostPort(host, strconv.Itoa(int(port)))
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cluster %q is not in <remote_servers> of the server (system.clusters has no rows for it)", name)
	}
	return out, nil
}

// shardAddrs groups the node addresses by shard, in shard order.
func (c *Cluster) shardAddrs() [][]string {
	var out [][]string
	var last uint32
	for _, n := range c.Nodes {
		if len(out) == 0 || n.Shard != last {
			out = append(out, nil)
			last = n.Shard
		}
		out[len(out)-1] = append(out[len(out)-1], n.Addr)
	}
	return out
}

// connect opens a pool to database db on addrs with the DSN's auth and TLS.
func (c *Cluster) connect(ctx context.Context, addrs []string, db string, settings map[string]any) (Conn, error) {
	o := *c.opts
	o.Addr = addrs
	o.Auth.Database = db
	o.Settings = maps.Clone(c.opts.Settings)
	if o.Settings == nil {
		o.Settings = clickhouse.Settings{}
	}
	maps.Copy(o.Settings, settings)
	if o.MaxOpenConns == 0 {
		o.MaxOpenConns = 16
	}
	conn, err := clickhouse.Open(&o)
	if err != nil {
		return nil, fmt.Errorf("clickhouse %s: %w", strings.Join(addrs, ","), err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		return nil, fmt.Errorf("clickhouse %s does not answer: %w", strings.Join(addrs, ","), err)
	}
	return conn, nil
}

// query calls fn with a connection to the node at addr.
func (c *Cluster) query(ctx context.Context, addr string, fn func(Conn) error) error {
	conn, err := c.connect(ctx, []string{addr}, "default", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// replicas counts the nodes of shard.
func (c *Cluster) replicas(shard uint32) int {
	n := 0
	for _, node := range c.Nodes {
		if node.Shard == shard {
			n++
		}
	}
	return n
}

// isDown reports whether the node at addr did not answer at open.
func (c *Cluster) isDown(addr string) bool {
	return slices.Contains(c.Down, addr)
}

// isUnreachable reports whether err says a server does not answer (as
// opposed to answering with an error).
func isUnreachable(err error) bool {
	var ex *clickhouse.Exception
	return !errors.As(err, &ex)
}

func (c *Cluster) replicatedWhy() string {
	if c.topo.Replicated {
		return "clickhouse.replicated is true"
	}
	return "a shard of it has several replicas"
}

// Close closes every pool.
func (c *Cluster) Close() {
	if c.Global != nil {
		c.Global.Close()
	}
	for _, s := range c.Shards {
		s.Close()
	}
}

// Migrate applies the migrations and returns how many it applied (summed
// over nodes when it goes node by node).
//
// With a distributed DDL queue (OnCluster: ZooKeeper and the macros on
// every node) each statement runs once, ON CLUSTER, through the DSN's
// node, and the server waits until every node executed it; the
// bookkeeping table schema_migrations has every node as a replica, so one
// row records a migration everywhere. Replicated tables need this path: a
// replicated ALTER must run once per shard, not once per replica.
//
// Without one (a cluster of single servers, no ZooKeeper) it goes node by
// node: the single-server schema into each node's <db>_local, recorded in
// that node's schema_migrations. An error names the node, and a node added
// later receives exactly what it lacks at the next start.
//
// Either way every table of <db>_local then gets its Distributed table in
// <db> (ON CLUSTER when migrating so), and a Distributed table whose local
// table gained columns gains them too (always node by node, see
// addColumns).
func (c *Cluster) Migrate(ctx context.Context, log *slog.Logger) (int, error) {
	if c.OnCluster {
		n, err := c.migrateOnCluster(ctx, log)
		if err != nil {
			return n, fmt.Errorf("cluster %s, ON CLUSTER through %s: %w", c.Name, strings.Join(c.opts.Addr, ","), err)
		}
		return n, nil
	}
	total := 0
	for _, n := range c.Nodes {
		applied, err := c.migrateNode(ctx, n, log)
		if err != nil {
			return total, fmt.Errorf("cluster %s node %s (shard %d, replica %d): %w", c.Name, n.Addr, n.Shard, n.Replica, err)
		}
		total += applied
	}
	return total, nil
}

func (c *Cluster) migrateNode(ctx context.Context, n Node, log *slog.Logger) (int, error) {
	local, err := c.connect(ctx, []string{n.Addr}, c.LocalDB, nil)
	if err != nil {
		return 0, err
	}
	defer local.Close()
	if log != nil {
		log = log.With("node", n.Addr)
	}
	// Rendered as for one server (no suffix, no ON CLUSTER) but with the
	// replicated engines, whose ZooKeeper path names <db>, not <db>_local.
	applied, err := migrate(ctx, local, c.DB, Topology{Replicated: c.Replicated}, false, log)
	if err != nil {
		return applied, err
	}
	if err := c.distribute(ctx, local, "", false); err != nil {
		return applied, err
	}
	return applied, c.addColumns(ctx, local)
}

func (c *Cluster) migrateOnCluster(ctx context.Context, log *slog.Logger) (int, error) {
	// A node added to <remote_servers> (or rebuilt) after the migrations
	// ran never saw their DDL tasks: when any node lacks a table another
	// has, every migration runs again (the statements are idempotent).
	lacking, err := c.lackingNodes(ctx)
	if err != nil {
		return 0, err
	}
	if len(lacking) > 0 && log != nil {
		log.Warn("cluster nodes lack tables; applying every migration again ON CLUSTER", "nodes", lacking)
	}
	if len(c.Down) > 0 && log != nil {
		log.Warn("cluster nodes do not answer; a missing migration would wait for them (distributed_ddl_task_timeout)", "nodes", c.Down)
	}
	local, err := c.connect(ctx, c.opts.Addr, c.LocalDB, nil)
	if err != nil {
		return 0, err
	}
	defer local.Close()
	// Unqualified names in the statements are in the connection's
	// database, <db>_local, on every node; ZooKeeper paths name <db>.
	applied, err := migrate(ctx, local, c.DB, Topology{Cluster: c.Name, Replicated: c.Replicated}, len(lacking) > 0, log)
	if err != nil {
		return applied, fmt.Errorf("%w (ON CLUSTER needs <distributed_ddl> in every node's config)", err)
	}
	if err := c.distribute(ctx, local, " ON CLUSTER "+c.Name, len(lacking) > 0); err != nil {
		return applied, err
	}
	for _, n := range c.Nodes {
		if c.isDown(n.Addr) {
			continue // it gets the columns at a start when it answers
		}
		if err := c.query(ctx, n.Addr, func(conn Conn) error { return c.addColumns(ctx, conn) }); err != nil {
			return applied, fmt.Errorf("node %s: %w", n.Addr, err)
		}
	}
	return applied, nil
}

// lackingNodes lists the nodes that lack a table of <db>_local or <db>
// which another node has.
func (c *Cluster) lackingNodes(ctx context.Context) ([]string, error) {
	tables := make([]map[string]bool, len(c.Nodes))
	all := map[string]bool{}
	for i, n := range c.Nodes {
		tables[i] = map[string]bool{}
		if c.isDown(n.Addr) {
			continue
		}
		err := c.query(ctx, n.Addr, func(conn Conn) error {
			rows, err := conn.Query(ctx, nodeTables, c.LocalDB, c.DB)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var db, name string
				if err := rows.Scan(&db, &name); err != nil {
					return err
				}
				tables[i][db+"."+name] = true
				all[db+"."+name] = true
			}
			return rows.Err()
		})
		if err != nil {
			return nil, fmt.Errorf("list tables on %s: %w", n.Addr, err)
		}
	}
	var out []string
	for i, n := range c.Nodes {
		if len(tables[i]) < len(all) && !c.isDown(n.Addr) {
			out = append(out, n.Addr)
		}
	}
	return out, nil
}

// localAndDistributed lists, on conn's node, the tables of <db>_local and
// of <db> with their columns.
func (c *Cluster) localAndDistributed(ctx context.Context, conn Conn) (local, dist []table, err error) {
	if local, err = tableColumns(ctx, conn, c.LocalDB); err != nil {
		return nil, nil, err
	}
	dist, err = tableColumns(ctx, conn, c.DB)
	return local, dist, err
}

// distribute creates, through conn's node, a Distributed table in <db>
// for every table of <db>_local that lacks one (for every table when all
// is set); onCluster is "" or " ON CLUSTER name".
func (c *Cluster) distribute(ctx context.Context, conn Conn, onCluster string, all bool) error {
	tables, dist, err := c.localAndDistributed(ctx, conn)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, ok := find(dist, t.name); ok && !all {
			continue
		}
		s, err := statement("cluster/create_distributed.sql", map[string]string{
			"DB": c.DB, "Table": t.name, "OnCluster": onCluster, "LocalDB": c.LocalDB,
			"Cluster": c.Name, "ShardingKey": shardingKey(t)})
		if err != nil {
			return err
		}
		if err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	return nil
}

// addColumns adds to the Distributed tables of conn's node the columns
// their local tables gained. It runs on each node, never ON CLUSTER:
// ClickHouse refuses an ALTER ON CLUSTER of a table that is not
// replicated (a Distributed one) when the shards replicate internally.
func (c *Cluster) addColumns(ctx context.Context, conn Conn) error {
	tables, dist, err := c.localAndDistributed(ctx, conn)
	if err != nil {
		return err
	}
	for _, t := range tables {
		have, ok := find(dist, t.name)
		if !ok {
			continue
		}
		for _, col := range t.cols {
			if have.has(col.name) {
				continue
			}
			s, err := statement("cluster/add_distributed_column.sql", map[string]string{
				"DB": c.DB, "Table": t.name, "Column": col.name, "Type": col.typ})
			if err != nil {
				return err
			}
			if err := conn.Exec(ctx, s); err != nil {
				return fmt.Errorf("%w\n%s", err, s)
			}
		}
	}
	return nil
}

// shardingKey routes a buyer's rows to one shard. Tables without a buyer
// are never inserted into through Distributed except dead letters, which
// are routed by their identity so a re-delivered one collapses, and the
// scheduler's slots, routed by job.
func shardingKey(t table) string {
	switch {
	case t.has("shop_id") && t.has("customer_id"):
		return ", cityHash64(shop_id, customer_id)"
	case t.has("source") && t.has("location"):
		return ", cityHash64(source, location)"
	case t.has("shop_id"):
		return ", cityHash64(shop_id)"
	case t.has("job"):
		return ", cityHash64(job)" // schedule_slots
	}
	return "" // read-only through Distributed (schema_migrations)
}

type column struct{ name, typ string }

type table struct {
	name string
	cols []column
}

func (t table) has(col string) bool {
	for _, c := range t.cols {
		if c.name == col {
			return true
		}
	}
	return false
}

func find(ts []table, name string) (table, bool) {
	for _, t := range ts {
		if t.name == name {
			return t, true
		}
	}
	return table{}, false
}

// tableColumns lists the tables of db with their columns in order.
func tableColumns(ctx context.Context, conn Conn, db string) ([]table, error) {
	rows, err := conn.Query(ctx, tableColumnsSQL, db)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", db, err)
	}
	defer rows.Close()
	var out []table
	for rows.Next() {
		var tname string
		var col column
		if err := rows.Scan(&tname, &col.name, &col.typ); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].name != tname {
			out = append(out, table{name: tname})
		}
		out[len(out)-1].cols = append(out[len(out)-1].cols, col)
	}
	return out, rows.Err()
}
