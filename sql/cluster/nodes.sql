-- Cluster layout (warehouse.Cluster), not a metric: the replicas of a
-- <remote_servers> cluster, in shard order.
SELECT shard_num, replica_num, host_address, port FROM system.clusters
WHERE cluster = ? ORDER BY shard_num, replica_num
