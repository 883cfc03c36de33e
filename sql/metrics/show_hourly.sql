-- metrics.md §12 roll-up: counts per hour class summed over the grouping;
-- night sums (hours flagged night when computed) give the night order
-- share and night conversion by responder; coverage_gaps counts the
-- (date, shop, hour) rows with consultations and none answered.
SELECT {{.Keys}}
    sum(bot_only) AS h_bot_only,
    sum(bot_to_human) AS h_bot_to_human,
    sum(human_only) AS h_human_only,
    sum(unanswered) AS h_unanswered,
    sum(consulting_bot_only + consulting_bot_to_human + consulting_human_only + consulting_unanswered) AS h_consulting_buyers,
    sum(ordered_bot_only + ordered_bot_to_human + ordered_human_only + ordered_unanswered) AS h_ordered_buyers,
    sum(paid_orders) AS h_paid_orders,
    sum(paid_cents) AS h_paid_cents,
    sumIf(paid_orders, night = 1) AS h_night_paid_orders,
    sumIf(paid_cents, night = 1) AS h_night_paid_cents,
    sumIf(consulting_bot_only, night = 1) AS h_night_consulting_bot_only,
    sumIf(consulting_bot_to_human, night = 1) AS h_night_consulting_bot_to_human,
    sumIf(consulting_human_only, night = 1) AS h_night_consulting_human_only,
    sumIf(consulting_unanswered, night = 1) AS h_night_consulting_unanswered,
    sumIf(ordered_bot_only, night = 1) AS h_night_ordered_bot_only,
    sumIf(ordered_bot_to_human, night = 1) AS h_night_ordered_bot_to_human,
    sumIf(ordered_human_only, night = 1) AS h_night_ordered_human_only,
    sumIf(ordered_unanswered, night = 1) AS h_night_ordered_unanswered,
    countIf(unanswered > 0 AND bot_only + bot_to_human + human_only = 0) AS h_coverage_gaps
FROM metric_hourly
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
