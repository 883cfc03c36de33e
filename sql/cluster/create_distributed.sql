-- The Distributed table over a local table of every shard (docs/deployment.md).
-- Identifiers are the cluster's own names, checked before they reach here;
-- ShardingKey is "" (read-only through Distributed) or ", cityHash64(…)".
CREATE TABLE IF NOT EXISTS {{.DB}}.{{.Table}}{{.OnCluster}} AS {{.LocalDB}}.{{.Table}}
    ENGINE = Distributed({{.Cluster}}, {{.LocalDB}}, {{.Table}}{{.ShardingKey}})
