-- metrics.md §12 roll-up: counts per hour class summed over the grouping;
-- night sums (hours flagged night when computed) give the night order
-- share and night conversion by responder; coverage_gaps counts the
-- (date, shop, hour) cells with consultations and none answered. The
-- inner query first adds up each cell: on a cluster every shard stores
-- its own buyers' part of a cell, and a cell is a coverage gap only when
-- no shard's part was answered (counting gaps per stored row would count
-- a shard's unanswered part of an answered hour).
SELECT {{.Keys}}
    sum(c_bot_only) AS h_bot_only,
    sum(c_bot_to_human) AS h_bot_to_human,
    sum(c_human_only) AS h_human_only,
    sum(c_unanswered) AS h_unanswered,
    sum(c_consulting_bot_only + c_consulting_bot_to_human + c_consulting_human_only + c_consulting_unanswered) AS h_consulting_buyers,
    sum(c_ordered_bot_only + c_ordered_bot_to_human + c_ordered_human_only + c_ordered_unanswered) AS h_ordered_buyers,
    sum(c_paid_orders) AS h_paid_orders,
    sum(c_paid_cents) AS h_paid_cents,
    sumIf(c_paid_orders, night = 1) AS h_night_paid_orders,
    sumIf(c_paid_cents, night = 1) AS h_night_paid_cents,
    sumIf(c_consulting_bot_only, night = 1) AS h_night_consulting_bot_only,
    sumIf(c_consulting_bot_to_human, night = 1) AS h_night_consulting_bot_to_human,
    sumIf(c_consulting_human_only, night = 1) AS h_night_consulting_human_only,
    sumIf(c_consulting_unanswered, night = 1) AS h_night_consulting_unanswered,
    sumIf(c_ordered_bot_only, night = 1) AS h_night_ordered_bot_only,
    sumIf(c_ordered_bot_to_human, night = 1) AS h_night_ordered_bot_to_human,
    sumIf(c_ordered_human_only, night = 1) AS h_night_ordered_human_only,
    sumIf(c_ordered_unanswered, night = 1) AS h_night_ordered_unanswered,
    countIf(c_unanswered > 0 AND c_bot_only + c_bot_to_human + c_human_only = 0) AS h_coverage_gaps
FROM (
    SELECT date, shop_id, hour, weekday, night,
        sum(bot_only) AS c_bot_only, sum(bot_to_human) AS c_bot_to_human,
        sum(human_only) AS c_human_only, sum(unanswered) AS c_unanswered,
        sum(consulting_bot_only) AS c_consulting_bot_only, sum(consulting_bot_to_human) AS c_consulting_bot_to_human,
        sum(consulting_human_only) AS c_consulting_human_only, sum(consulting_unanswered) AS c_consulting_unanswered,
        sum(ordered_bot_only) AS c_ordered_bot_only, sum(ordered_bot_to_human) AS c_ordered_bot_to_human,
        sum(ordered_human_only) AS c_ordered_human_only, sum(ordered_unanswered) AS c_ordered_unanswered,
        sum(paid_orders) AS c_paid_orders, sum(paid_cents) AS c_paid_cents
    FROM metric_hourly
    WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
    GROUP BY date, shop_id, hour, weekday, night
)
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
