-- Cluster layout (warehouse.Cluster): whether this node has ZooKeeper (the
-- system.zookeeper table exists only then) and how many of the {shard} and
-- {replica} macros it defines. Replicated tables need both; migrating ON
-- CLUSTER needs both on every node.
SELECT
    (SELECT count() FROM system.tables WHERE database = 'system' AND name = 'zookeeper'),
    (SELECT count() FROM system.macros WHERE macro IN ('shard', 'replica'))
