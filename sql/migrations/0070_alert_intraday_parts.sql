-- Alerts v2, hourly evaluation (../shared/spec/metrics.md §8 "Alerts v2"):
-- what each conversation did within one finished hour of the day, so the
-- evaluation at hour H reads these rows for hours < H instead of the raw
-- events of the whole day so far. Each hour of a day is computed once, from
-- the events stamped in it (alert_intraday_part.sql), and recomputed only
-- when the raw row count of that hour changed (late or re-delivered events).
--
-- One row per (hour, conversation) with events in the hour; start_ms is the
-- conversation's first customer message in the hour (0: none), product_ms
-- and product_id the first product it named in the hour (0/'': none),
-- ev_* its events that name a product or a topic, in time order, as
-- parallel arrays (18.16 stores an Array(Tuple) column as such arrays
-- anyway): ts_ms, cityHash64 of event_id, product_id, topics. The counts
-- are distinct event_ids: a
-- re-delivered event has its original time, so it falls in the same hour.
--
-- mark = 1 is the hour's completion row (no conversation): raw_rows is the
-- number of raw rows (messages + conversation starts) the hour had when
-- computed. It is written after the hour's rows, so an hour without it is
-- incomplete and is recomputed. Partitioned by (day, hour): a recompute
-- drops exactly its hour, and old days are dropped whole.
CREATE TABLE IF NOT EXISTS metric_alert_intraday_parts{{.Local}}{{.OnCluster}} (
    date            Date,
    hour            UInt8,
    mark            UInt8,
    raw_rows        UInt64,
    shop_id         String,
    customer_id     String,
    conversation_id String,
    start_ms        UInt64,
    product_ms      UInt64,
    product_id      String,
    negative        UInt8,
    bot_msgs        UInt64,
    fallbacks       UInt64,
    customer_msgs   UInt64,
    ev_ts           Array(UInt64),
    ev_id           Array(UInt64),
    ev_product      Array(String),
    ev_topics       Array(Array(String))
) ENGINE = {{.EngineOf "MergeTree" "metric_alert_intraday_parts"}}
PARTITION BY (toYYYYMMDD(date), hour)
ORDER BY (shop_id, customer_id, conversation_id);
