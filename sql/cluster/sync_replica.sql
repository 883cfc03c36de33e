-- Wait until this replica has fetched every part its shard's other
-- replicas have of a table (metrics.Run before reading through the
-- Distributed tables what the shard jobs just wrote; docs/deployment.md).
-- Identifiers are the cluster's own names, checked before they reach here.
SYSTEM SYNC REPLICA {{.LocalDB}}.{{.Table}}
