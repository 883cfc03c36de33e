-- Retention: drop one whole partition (synchronous on 18.16 and current
-- releases; a replica forwards it to its shard's leader).
ALTER TABLE {{.Table}} DROP PARTITION {{.Partition}}
