-- The migration versions recorded as applied (the migrator skips them).
SELECT DISTINCT version FROM schema_migrations
