-- Quality inspection (metrics.md §9, 智能质检) and agent performance (§10,
-- 客服绩效), written by package metrics (metrics/qa.go, agents.sql). Like
-- every result table they are partitioned by day: a run drops the day and
-- inserts it again, so recomputation is idempotent. Disputes are the one
-- table people write (a supervisor in `serve`); they are keyed by a
-- violation_id that a recomputation gives the same violation again, so a
-- rerun never loses a dispute.

-- §9: one row per violation, dated by its consultation's start. evidence
-- is masked text: the message that broke the rule (the reply, the
-- triggering customer message, the unanswered one); phrase is the
-- forbidden phrase found (forbidden_phrase only); delay_ms the measured
-- delay (slow_reply, slow_first_response).
CREATE TABLE IF NOT EXISTS qa_violations{{.Local}}{{.OnCluster}} (
    date            Date,
    shop_id         String,
    customer_id     String,
    conversation_id String,
    event_id        String,
    ts_ms           Int64,
    responder       String,
    rule            String,
    category        String,
    detail          String,
    phrase          String,
    delay_ms        Int64,
    weight          UInt16,
    evidence        String,
    violation_id    String
) ENGINE = {{.EngineOf "MergeTree" "qa_violations"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, responder, rule, conversation_id, event_id);

-- §9 at (date, shop_id, responder): responder is bot, an agent_id or
-- unassigned. Counts, never rates; reply and first-response delays (in
-- service hours) kept as arrays for exact percentiles in §10 roll-ups;
-- ratings of the consultations whose last bot/agent message was the
-- responder's (§10 csat).
CREATE TABLE IF NOT EXISTS metric_qa{{.Local}}{{.OnCluster}} (
    date                    Date,
    shop_id                 String,
    responder               String,
    consultations           UInt64,
    messages_inspected      UInt64,
    violations              UInt64,
    violating_consultations UInt64,
    qa_score_sum            UInt64,
    forbidden_phrase        UInt64,
    slow_reply              UInt64,
    slow_first_response     UInt64,
    missed_takeover         UInt64,
    left_unanswered         UInt64,
    rude                    UInt64,
    absolute_claim          UInt64,
    diversion               UInt64,
    inducement              UInt64,
    replies_within_sla      UInt64,
    reply_ms                Array(UInt32),
    first_response_ms       Array(UInt32),
    ratings                 UInt64,
    ratings_good            UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_qa"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, responder);

-- §10 at (date, shop_id, agent_id); agent_id bot is the bot. Buyers by the
-- consultation's start day; sales (sales_orders, sales_cents) by the paid
-- day as §2; the §9 columns copied from metric_qa.
CREATE TABLE IF NOT EXISTS metric_agents{{.Local}}{{.OnCluster}} (
    date               Date,
    shop_id            String,
    agent_id           String,
    served_buyers      UInt64,
    consulting_buyers  UInt64,
    ordered_buyers     UInt64,
    final_paid_buyers  UInt64,
    final_paid_cents   Int64,
    sales_orders       UInt64,
    sales_cents        Int64,
    replies_within_sla UInt64,
    reply_ms           Array(UInt32),
    first_response_ms  Array(UInt32),
    ratings            UInt64,
    ratings_good       UInt64,
    qa_consultations   UInt64,
    qa_score_sum       UInt64,
    violations         UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_agents"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, agent_id);

-- 申诉: a supervisor's verdict on one violation (status disputed or
-- accepted), the latest per violation_id wins (version = decided_ms).
-- Not partitioned by day and never dropped by a run.
CREATE TABLE IF NOT EXISTS qa_disputes{{.Local}}{{.OnCluster}} (
    violation_id String,
    date         Date,
    shop_id      String,
    status       String,
    note         String,
    decided_by   String,
    decided_ms   Int64
) ENGINE = {{.EngineOf "ReplacingMergeTree" "qa_disputes"}}
ORDER BY (violation_id);
