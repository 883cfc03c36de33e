-- metrics.md "How a run works", step 3: the days whose alerts a run
-- evaluated, one row per day and run, with the run's start (evaluated_at).
-- A day's alert state carries from the day before's, so a run that
-- rewrites past days evaluates the alerts of the later days again, through
-- the last day in this table (sql/metrics/alerts_last_day.sql). A day with
-- no traffic and no open alert stores no alert or metric row; this row
-- says it was evaluated all the same.
--
-- Written by package metrics on the first shard, as metric_alerts is
-- (read through the Distributed table on a cluster). Rows are only
-- inserted: a rerun's row for a day replaces the older one when parts
-- merge (ORDER BY date), and readers take max(date), which duplicates do
-- not change. Partitioned by day like the other metric_* tables, so
-- retention drops it with them (warehouse.ApplyRetention).
CREATE TABLE IF NOT EXISTS metric_alert_days{{.Local}}{{.OnCluster}} (
    date         Date,
    evaluated_at DateTime
) ENGINE = {{.EngineOf "ReplacingMergeTree" "metric_alert_days"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (date);
