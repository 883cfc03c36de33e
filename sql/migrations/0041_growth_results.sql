-- Result tables of metrics §11–§14 (../shared/spec/metrics.md), written by
-- package metrics like those of 0002: one partition a day, recomputed by
-- dropping the day and inserting; counts, not rates; money Int64 cents.

-- §11 experiments. A row per (consultation day, exposure day, shop,
-- experiment, sticky variant): the consultations carrying the experiment
-- that started on `date`, counted for the variant the buyer was first
-- exposed to (on `exposure_date`), and, on the row whose date is the
-- exposure day, the exposed buyers with their orders in [exposure,
-- exposure + W]. crossovers counts a buyer once, on the day of the first
-- consultation that showed another variant. Roll-ups filter and group by
-- exposure_date.
CREATE TABLE IF NOT EXISTS metric_experiments{{.Local}}{{.OnCluster}} (
    date              Date,
    exposure_date     Date,
    shop_id           String,
    experiment        String,
    variant           String,
    buyers            UInt64,
    ordered_buyers    UInt64,
    paid_buyers       UInt64,
    paid_cents        Int64,
    crossovers        UInt64,
    consultations     UInt64,
    bot_consultations UInt64,
    bot_only          UInt64,
    handoffs          UInt64,
    ratings           UInt64,
    ratings_good      UInt64,
    control           String,
    split             Array(String)
) ENGINE = {{.EngineOf "MergeTree" "metric_experiments"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, experiment, variant, exposure_date);

-- §12 hours. A row per (date, shop, local hour of day): consultations by
-- responder class (by their start hour), consulting and ordered buyers of
-- §1 by their anchor's hour and responder class, and paid orders by the
-- date and hour of their created time. weekday is 1 (Monday) to 7; night marks the hours inside
-- hourly.night when the row was computed.
CREATE TABLE IF NOT EXISTS metric_hourly{{.Local}}{{.OnCluster}} (
    date                      Date,
    shop_id                   String,
    hour                      UInt8,
    weekday                   UInt8,
    night                     UInt8,
    bot_only                  UInt64,
    bot_to_human              UInt64,
    human_only                UInt64,
    unanswered                UInt64,
    consulting_bot_only       UInt64,
    consulting_bot_to_human   UInt64,
    consulting_human_only     UInt64,
    consulting_unanswered     UInt64,
    ordered_bot_only          UInt64,
    ordered_bot_to_human      UInt64,
    ordered_human_only        UInt64,
    ordered_unanswered        UInt64,
    paid_orders               UInt64,
    paid_cents                Int64
) ENGINE = {{.EngineOf "MergeTree" "metric_hourly"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY (shop_id, hour);

-- §13 retention. A row per (paid day, shop): every order first paid that
-- day, its repurchases (an earlier paid order of the buyer at the shop in
-- the look-back), the GMV §2 credits to the bot among them, and the buyers
-- reactivated (their latest earlier paid order more than silent_after
-- before), distinct per day.
CREATE TABLE IF NOT EXISTS metric_retention{{.Local}}{{.OnCluster}} (
    date                        Date,
    shop_id                     String,
    paid_orders                 UInt64,
    paid_cents                  Int64,
    repurchase_orders           UInt64,
    repurchase_cents            Int64,
    bot_guided_repurchase_orders UInt64,
    bot_guided_repurchase_cents Int64,
    reactivated_buyers          UInt64,
    bot_reactivated_buyers      UInt64
) ENGINE = {{.EngineOf "MergeTree" "metric_retention"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY shop_id;

-- §14 bot value. A row per (date, shop): the bot-only consultations, the
-- human-only consultations and their handling times (first to last agent
-- message, ms, sorted), and the handling time used with the settings it
-- was computed with (shown beside the figure): the day's median when it
-- has enough human-only consultations, else the median over the 28 days
-- ending with the day (basis '28d'), none at all: basis 'none' and
-- handle_s -1.
CREATE TABLE IF NOT EXISTS metric_roi{{.Local}}{{.OnCluster}} (
    date                   Date,
    shop_id                String,
    bot_only_consultations UInt64,
    human_only             UInt64,
    handle_ms              Array(Int64),
    basis                  String,
    handle_s               Float64,
    wrap_up_s              Float64,
    hourly_cost_cents      Int64,
    hours_per_day          Float64
) ENGINE = {{.EngineOf "MergeTree" "metric_roi"}}
PARTITION BY toYYYYMMDD(date)
ORDER BY shop_id;
