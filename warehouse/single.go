package warehouse

// Single is a single server seen as a one-shard cluster: its one pool is
// both the shard and the global view, and its database is both DB and
// LocalDB. Code that runs per shard and reads the whole (metrics.Run)
// takes a *Cluster and so needs no second path for one server. Migrate,
// Status and Close are for a real cluster; a single server is migrated
// with Migrate(conn, …) and closed by whoever opened conn.
func Single(conn Conn, db string) *Cluster {
	return &Cluster{DB: db, LocalDB: db, Global: conn, Shards: []Conn{conn}}
}
