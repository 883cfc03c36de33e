-- Alerts v2 (../shared/spec/metrics.md §8 "Alerts v2"), written by package
-- metrics and the scheduler. Counts, not rates; money in Int64 cents.

-- What each alert is worth (gmv_at_stake, CNY cents), which way its rule
-- looked (up/down), the hour of its opening day at which the hourly
-- evaluation first raised it (-1: raised by the end-of-day evaluation).
-- 18.16 has no ADD COLUMN IF NOT EXISTS: this file runs once per database.
ALTER TABLE metric_alerts{{.Local}}{{.OnCluster}}
    ADD COLUMN gmv_at_stake_cents Int64,
    ADD COLUMN direction String,
    ADD COLUMN intraday_hour Int8 DEFAULT -1;

-- The series of the intraday rules and of the shop's volume per hour of
-- the consultation start, so the hourly evaluation compares the day so far
-- with the same hours of the baseline days without re-reading them, and
-- the daily evaluation gets its share denominators and volumes.
-- kind: volume (consultations per shop), topic_surge (topic messages per
-- product and topic), product_messages (customer messages of the
-- consultations about a product), negative_surge (negative / consultations
-- per product), fallback_spike (fallbacks / bot messages per shop).
CREATE TABLE IF NOT EXISTS metric_alert_hours{{.Local}}{{.OnCluster}} (
    date       Date,
    hour       UInt8,
    kind       String,
    shop_id    String,
    product_id String,
    topic      String,
    num        UInt64,
    den        UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_alert_hours"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (kind, shop_id, product_id, topic, hour);

-- Inputs of money at stake per day: pre-sale consultations and how many
-- converted (an order created in [start, start+W]), with and without the
-- issue a rule watches. kind: fallback (per shop; flagged = had a bot
-- fallback), negative (per product; flagged = negative), product (per
-- product; all), topic (per product and topic: consultations asking it),
-- node (per funnel node: touched and not dropped there).
CREATE TABLE IF NOT EXISTS metric_alert_money{{.Local}}{{.OnCluster}} (
    date              Date,
    shop_id           String,
    kind              String,
    product_id        String,
    topic             String,
    node              String,
    consultations     UInt64,
    converted         UInt64,
    flagged           UInt64,
    flagged_converted UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_alert_money"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (kind, shop_id, product_id, topic, node);

-- Alerts the hourly evaluation raised during a day, one row per alert and
-- hour it fired; the end-of-day evaluation turns them into the day's
-- alerts. Each hourly run rewrites the day (its other hours kept).
CREATE TABLE IF NOT EXISTS metric_alerts_intraday{{.Local}}{{.OnCluster}} (
    date               Date,
    hour               UInt8,
    alert_id           String,
    rule               String,
    shop_id            String,
    subject            String,
    product_id         String,
    topic              String,
    node               String,
    opened             Date,
    severity           String,
    direction          String,
    value              Float64,
    baseline           Float64,
    ratio              Float64,
    gmv_at_stake_cents Int64,
    evidence           Array(String),
    action_zh          String,
    action_en          String
) ENGINE = {{.EngineOf "MergeTree" "metric_alerts_intraday"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (rule, shop_id, subject, hour);

-- Alerts already announced to the webhooks (alert_id, first time): an
-- alert that keeps firing, or an intraday alert that became the day's, is
-- not sent again. A row recorded twice collapses.
CREATE TABLE IF NOT EXISTS alert_announcements{{.Local}}{{.OnCluster}} (
    alert_id     String,
    shop_id      String,
    announced_at DateTime
) ENGINE = {{.EngineOf "ReplacingMergeTree" "alert_announcements"}}
ORDER BY (alert_id);

-- Mutes: a user silences a rule for a product (or the whole shop when
-- product_id is empty) from `from_date` to `to_date` inclusive. Muted
-- alerts are still computed and stored, shown as muted, never announced.
-- A mute is lifted by writing its mute_id again with deleted = 1; the
-- row with the latest version wins.
CREATE TABLE IF NOT EXISTS alert_mutes{{.Local}}{{.OnCluster}} (
    mute_id    String,
    shop_id    String,
    rule       String,
    product_id String,
    from_date  Date,
    to_date    Date,
    reason     String,
    created_by String,
    version    UInt64,
    deleted    UInt8
) ENGINE = {{.EngineOf "ReplacingMergeTree" "alert_mutes"}}
ORDER BY (mute_id);
