-- convintel forget: the audit row (forget_audit).
INSERT INTO forget_audit (at, operator, reason, salt, buyer_sha256, rows_removed, tables)
