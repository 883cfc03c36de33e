-- Status: bytes on disk of a database's active parts on the server asked
-- (a cluster asks every node for its shard-local database and sums).
SELECT toUInt64(sum(bytes)) FROM system.parts WHERE active AND database = ?
