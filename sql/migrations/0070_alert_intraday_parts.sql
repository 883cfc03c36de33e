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
-- conv = cityHash64(shop_id, customer_id, conversation_id): a number to
-- find a conversation's other hours by (a collision only adds a
-- conversation whose contribution does not change).
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
    conv            UInt64,
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

-- The day-so-far series of the hourly rules (kinds as metric_alert_hours),
-- cumulative: the rows of hour h are the series of the consultations of the
-- day over their events before hour h (the evaluation at h:00 reads them).
-- Hour h is hour h-1's rows plus what the conversations active in hour h-1
-- changed (alert_intraday_series.sql), so an hour costs what its own
-- traffic costs, not what the day so far does. Signed: a conversation's
-- old contribution is subtracted when it changes. kind = '' is the hour's
-- completion row, written last; an hour whose inputs were recomputed is
-- dropped with every later hour and rebuilt.
CREATE TABLE IF NOT EXISTS metric_alert_intraday_series{{.Local}}{{.OnCluster}} (
    date       Date,
    hour       UInt8,
    kind       String,
    shop_id    String,
    product_id String,
    topic      String,
    num        Int64,
    den        Int64
) ENGINE = {{.EngineOf "MergeTree" "metric_alert_intraday_series"}}
PARTITION BY (toYYYYMMDD(date), hour)
ORDER BY (kind, shop_id, product_id, topic);
