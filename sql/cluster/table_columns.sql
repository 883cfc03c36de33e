-- Cluster layout (warehouse.Cluster): the tables of a database with their
-- columns in order, to create and extend the Distributed tables.
SELECT table, name, type FROM system.columns WHERE database = ? ORDER BY table
