-- convintel forget: mutations of a table not finished yet. Parameter: table.
SELECT count() FROM system.mutations
WHERE database = currentDatabase() AND table = ? AND is_done = 0
