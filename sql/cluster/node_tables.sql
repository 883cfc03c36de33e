-- Cluster layout (warehouse.Cluster): the tables of <db>_local and <db> on this
-- node, to find a node that lacks some.
SELECT database, name FROM system.tables WHERE database IN (?, ?)
