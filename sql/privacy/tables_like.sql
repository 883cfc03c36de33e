-- Retention: the MergeTree tables of the current database whose name
-- starts with a prefix (metric_: every metric result table). Parameter: prefix.
SELECT name FROM system.tables WHERE database = currentDatabase() AND startsWith(name, ?) AND engine LIKE '%MergeTree'
