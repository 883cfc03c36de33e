-- Raw events of the event contract (../shared/spec/events.md), one table per
-- family. Every table is a ReplacingMergeTree: a re-delivered event (same
-- event_id, so the same sort key) collapses in background merges, and every
-- read that counts dedups by event_id explicitly (LIMIT 1 BY event_id or
-- uniqExact), so a duplicate never changes a result even before a merge.
--
-- Sort keys start with the buyer (shop_id, customer_id): every metric join
-- is within one buyer, and a cluster shards by the same pair.
-- Time is ts_ms (epoch milliseconds, Int64, exact windows) plus ts (DateTime,
-- partition pruning and day bucketing with toDate(ts, tz)).

CREATE TABLE IF NOT EXISTS messages{{.Local}}{{.OnCluster}} (
    event_id          String,
    ts                DateTime,
    ts_ms             Int64,
    shop_id           String,
    customer_id       String,
    channel           String,
    conversation_id   String,
    message_id        String,
    sender            String,
    agent_id          String,
    text              String,
    product_id        String,
    order_id          String,
    intent            String,
    intent_source     String,
    intent_confidence Float32,
    bot_fallback      UInt8,
    topics            Array(String),
    sentiment_score   Float32,
    sentiment_label   String,
    signature         String,
    extra             String,
    ingested_at       DateTime
) ENGINE = {{.Engine "messages"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, customer_id, conversation_id, ts_ms, event_id);

CREATE TABLE IF NOT EXISTS conversations{{.Local}}{{.OnCluster}} (
    event_id        String,
    type            String,
    ts              DateTime,
    ts_ms           Int64,
    shop_id         String,
    customer_id     String,
    channel         String,
    conversation_id String,
    product_id      String,
    resolved        Int8,
    extra           String,
    ingested_at     DateTime
) ENGINE = {{.Engine "conversations"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, customer_id, conversation_id, ts_ms, event_id);

CREATE TABLE IF NOT EXISTS handoffs{{.Local}}{{.OnCluster}} (
    event_id        String,
    ts              DateTime,
    ts_ms           Int64,
    shop_id         String,
    customer_id     String,
    channel         String,
    conversation_id String,
    reason          String,
    agent_id        String,
    extra           String,
    ingested_at     DateTime
) ENGINE = {{.Engine "handoffs"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, customer_id, conversation_id, ts_ms, event_id);

CREATE TABLE IF NOT EXISTS ratings{{.Local}}{{.OnCluster}} (
    event_id        String,
    ts              DateTime,
    ts_ms           Int64,
    shop_id         String,
    customer_id     String,
    channel         String,
    conversation_id String,
    score           UInt8,
    extra           String,
    ingested_at     DateTime
) ENGINE = {{.Engine "ratings"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, customer_id, conversation_id, ts_ms, event_id);

CREATE TABLE IF NOT EXISTS orders{{.Local}}{{.OnCluster}} (
    event_id         String,
    ts               DateTime,
    ts_ms            Int64,
    shop_id          String,
    customer_id      String,
    channel          String,
    order_id         String,
    status           String,
    amount           Decimal(18, 2),
    currency         String,
    item_product_ids Array(String),
    item_skus        Array(String),
    item_qtys        Array(UInt32),
    item_prices      Array(Decimal(18, 2)),
    extra            String,
    ingested_at      DateTime
) ENGINE = {{.Engine "orders"}}
PARTITION BY toYYYYMM(ts)
ORDER BY (shop_id, customer_id, order_id, ts_ms, event_id);

-- Dead letters: what could not be stored, with the raw bytes and why.
-- (source, location) identifies a delivery (topic/partition/offset or
-- file:line), so a re-delivered bad event collapses like a good one.
CREATE TABLE IF NOT EXISTS dead_letters{{.Local}}{{.OnCluster}} (
    received_at DateTime,
    source      String,
    location    String,
    reason      String,
    detail      String,
    event_id    String,
    raw         String
) ENGINE = {{.Engine "dead_letters"}}
PARTITION BY toYYYYMM(received_at)
ORDER BY (source, location);
