-- convintel forget: whether a table exists here. Parameter: name.
SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = ?
