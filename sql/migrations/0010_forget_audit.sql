-- Audit of `convintel forget` (docs/privacy.md): one row per request to
-- forget a buyer under the Personal Information Protection Law. The buyer
-- is kept only as a salted SHA-256 (salt in the row), so the record proves
-- that a named buyer was forgotten (recompute the hash) without keeping who
-- it was. Kept forever: retention never drops it.
CREATE TABLE IF NOT EXISTS forget_audit{{.Local}}{{.OnCluster}} (
    at           DateTime,
    operator     String,
    reason       String,
    salt         String,
    buyer_sha256 String,
    rows_removed UInt64,
    tables       String
) ENGINE = {{.EngineOf "MergeTree" "forget_audit"}}
PARTITION BY toYYYYMM(at)
ORDER BY at;
