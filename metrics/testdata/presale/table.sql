-- The result table of the test metric pre_sale, as its migration would
-- create it (sql/migrations/NNNN_*.sql in a real metric).
CREATE TABLE IF NOT EXISTS metric_pre_sale (
    date          Date,
    shop_id       String,
    consultations UInt64,
    pre_sale      UInt64
) ENGINE = MergeTree
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id)
