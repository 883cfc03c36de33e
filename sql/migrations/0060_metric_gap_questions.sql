-- §7 knowledge gaps: every distinct masked question of a gap with how
-- often it was asked, at (date, shop_id, signature, question), so reports
-- label a gap with its most asked wording (docs/metrics.md §7). A table of
-- its own rather than columns added to metric_gaps: a replica rebuilt from
-- the migrations must recreate metric_gaps exactly as ZooKeeper has it.
CREATE TABLE IF NOT EXISTS metric_gap_questions{{.Local}}{{.OnCluster}} (
    date      Date,
    shop_id   String,
    signature String,
    question  String,
    count     UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_gap_questions"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, signature, question);
