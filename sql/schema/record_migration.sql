-- Records one applied migration. A batch INSERT header: the row is appended
-- through PrepareBatch (an INSERT … VALUES with bound arguments hangs on 18.16).
INSERT INTO schema_migrations (version, name, checksum, applied_at)
