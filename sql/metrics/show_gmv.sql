-- metrics.md §2 roll-up: orders, GMV and refunds per bucket/agent, and
-- every bucket's orders and GMV side by side (wide), so a roll-up without
-- the bucket dimension keeps them; the caller adds total_gmv and
-- bot_share over the non-bucket dimensions.
SELECT {{.Keys}}
    sum(orders) AS orders_sum,
    sum(gmv_cents) AS gmv_sum_cents,
    sum(refunded_cents) AS refunded_cents,
    sumIf(orders, bucket = 'bot') AS bot_orders,
    sumIf(gmv_cents, bucket = 'bot') AS bot_cents,
    sumIf(orders, bucket = 'human') AS human_orders,
    sumIf(gmv_cents, bucket = 'human') AS human_cents,
    sumIf(orders, bucket = 'unattributed') AS unattributed_orders,
    sumIf(gmv_cents, bucket = 'unattributed') AS unattributed_cents
FROM metric_gmv
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
