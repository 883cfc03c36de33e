-- Idempotent recomputation: a job replaces a day by dropping its partition
-- (toYYYYMMDD(date)) first; a missing partition is fine.
ALTER TABLE {{.Table}} DROP PARTITION {{.Partition}}
