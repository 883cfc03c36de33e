-- Result tables of the metric jobs (../shared/spec/metrics.md), written by
-- package metrics. Every table is partitioned by its date (one partition a
-- day): a job recomputes a day by dropping that day's partition and
-- inserting, which is synchronous and idempotent on 18.16 and current
-- releases. Counts, not rates, are stored so roll-ups sum counts and
-- recompute rates; quantiles keep their values (arrays) so roll-ups can
-- recompute them exactly. Money is Int64 cents.

-- One row per consultation (metrics.md "Common terms"), dated by its start:
-- the per-consultation summary every other job reuses instead of
-- re-scanning raw messages.
CREATE TABLE IF NOT EXISTS metric_consultations{{.Local}}{{.OnCluster}} (
    date            Date,
    shop_id         String,
    customer_id     String,
    conversation_id String,
    start_ms        Int64,
    channel         String,
    responder       String,
    pre_sale        UInt8,
    product_id      String,
    customer_msgs   UInt32,
    score_sum       Float64,
    negative        UInt8,
    last_negative   UInt8,
    ratings         Array(UInt8),
    bot_msgs        UInt32,
    fallbacks       UInt32,
    agent_msgs      UInt32,
    handoffs        UInt32,
    handoff_reasons Array(String),
    frt_bot_ms      Int64,
    frt_human_ms    Int64,
    repeated        UInt8,
    stages          Array(String),
    stage_intents   Array(String),
    agent_ts        Array(Int64),
    agent_ids       Array(String),
    topic_lists     Array(Array(String)),
    topic_products  Array(String),
    topic_texts     Array(String),
    neg_texts       Array(String),
    gap_signatures  Array(String),
    gap_intents     Array(String),
    gap_products    Array(String),
    gap_texts       Array(String)
) ENGINE = {{.EngineOf "MergeTree" "metric_consultations"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, customer_id, start_ms, conversation_id);

-- §1 conversion at (date, shop_id, channel, responder).
CREATE TABLE IF NOT EXISTS metric_conversion{{.Local}}{{.OnCluster}} (
    date                 Date,
    shop_id              String,
    channel              String,
    responder            String,
    consulting_buyers    UInt64,
    ordered_buyers       UInt64,
    same_day_paid_buyers UInt64,
    final_paid_buyers    UInt64,
    final_paid_cents     Int64
) ENGINE = {{.EngineOf "MergeTree" "metric_conversion"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, channel, responder);

-- §2 attributed GMV at (paid date, shop_id, bucket, agent_id); agent_id is
-- set in the human bucket only.
CREATE TABLE IF NOT EXISTS metric_gmv{{.Local}}{{.OnCluster}} (
    date           Date,
    shop_id        String,
    bucket         String,
    agent_id       String,
    orders         UInt64,
    gmv_cents      Int64,
    refunded_cents Int64
) ENGINE = {{.EngineOf "MergeTree" "metric_gmv"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, bucket, agent_id);

-- §3 sentiment at (date, shop_id, channel, responder).
CREATE TABLE IF NOT EXISTS metric_sentiment{{.Local}}{{.OnCluster}} (
    date          Date,
    shop_id       String,
    channel       String,
    responder     String,
    consultations UInt64,
    negative      UInt64,
    recovered     UInt64,
    customer_msgs UInt64,
    score_sum     Float64
) ENGINE = {{.EngineOf "MergeTree" "metric_sentiment"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, channel, responder);

-- §4 drop-off; level is node, intent or product.
CREATE TABLE IF NOT EXISTS metric_dropoff{{.Local}}{{.OnCluster}} (
    date       Date,
    shop_id    String,
    level      String,
    node       String,
    intent     String,
    product_id String,
    touched    UInt64,
    dropped    UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_dropoff"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (level, shop_id, node, intent, product_id);

-- §5 funnel at (date, shop_id, step); times_s holds each reaching buyer's
-- seconds to the step, for exact medians over any roll-up.
CREATE TABLE IF NOT EXISTS metric_funnel{{.Local}}{{.OnCluster}} (
    date      Date,
    shop_id   String,
    step      UInt8,
    step_name String,
    buyers    UInt64,
    times_s   Array(UInt32)
) ENGINE = {{.EngineOf "MergeTree" "metric_funnel"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, step);

-- §6 service at (date, shop_id, channel).
CREATE TABLE IF NOT EXISTS metric_service{{.Local}}{{.OnCluster}} (
    date                       Date,
    shop_id                    String,
    channel                    String,
    consultations              UInt64,
    bot_consultations          UInt64,
    bot_only                   UInt64,
    handoffs                   UInt64,
    handoff_customer_request   UInt64,
    handoff_repeated_question  UInt64,
    handoff_negative_sentiment UInt64,
    handoff_low_confidence     UInt64,
    handoff_business_rule      UInt64,
    handoff_other              UInt64,
    frt_bot_ms                 Array(UInt32),
    frt_human_ms               Array(UInt32),
    ratings                    UInt64,
    ratings_good               UInt64,
    rating_sum                 UInt64,
    bot_messages               UInt64,
    fallbacks                  UInt64,
    repeated                   UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_service"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, channel);

-- §7 knowledge gaps at (date, shop_id, signature).
CREATE TABLE IF NOT EXISTS metric_gaps{{.Local}}{{.OnCluster}} (
    date           Date,
    shop_id        String,
    signature      String,
    count          UInt64,
    examples       Array(String),
    intents        Array(String),
    intent_counts  Array(UInt64),
    products       Array(String),
    product_counts Array(UInt64)
) ENGINE = {{.EngineOf "MergeTree" "metric_gaps"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, signature);

-- §8 topic_surge series: customer messages with topic T about product P.
CREATE TABLE IF NOT EXISTS metric_topics{{.Local}}{{.OnCluster}} (
    date       Date,
    shop_id    String,
    product_id String,
    topic      String,
    messages   UInt64,
    examples   Array(String)
) ENGINE = {{.EngineOf "MergeTree" "metric_topics"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, product_id, topic);

-- §8 alerts: one row per alert and day it was open, plus the day it closed.
CREATE TABLE IF NOT EXISTS metric_alerts{{.Local}}{{.OnCluster}} (
    date       Date,
    alert_id   String,
    rule       String,
    shop_id    String,
    subject    String,
    product_id String,
    topic      String,
    node       String,
    opened     Date,
    status     String,
    severity   String,
    value      Float64,
    baseline   Float64,
    ratio      Float64,
    evidence   Array(String),
    action_zh  String,
    action_en  String
) ENGINE = {{.EngineOf "MergeTree" "metric_alerts"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (rule, shop_id, subject, alert_id);
