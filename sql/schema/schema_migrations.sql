-- Bookkeeping, not a metric: which migrations a database has applied, one
-- row per version (a version recorded twice collapses). Migrate reads it
-- before applying and adds a row after each migration. On a cluster
-- migrated ON CLUSTER (docs/deployment.md) every node is a replica of one
-- table, so the row Migrate writes on one node reaches every node;
-- migrated node by node, each node keeps its own.
CREATE TABLE IF NOT EXISTS schema_migrations{{.OnCluster}} (
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
) ENGINE = {{.EngineOnEveryNode "ReplacingMergeTree" "schema_migrations"}}
ORDER BY version
