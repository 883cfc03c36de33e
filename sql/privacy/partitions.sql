-- Retention (docs/privacy.md): the active partitions of a table, to drop
-- the whole ones older than the family's retention. Parameter: table.
SELECT DISTINCT partition FROM system.parts
WHERE database = currentDatabase() AND table = ? AND active
ORDER BY partition
