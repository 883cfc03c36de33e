-- How many migrations are recorded (a version once, even when several
-- nodes recorded it).
SELECT count() FROM (SELECT DISTINCT version FROM schema_migrations)
