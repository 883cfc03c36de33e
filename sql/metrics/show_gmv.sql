-- metrics.md §2 roll-up: orders, GMV and refunds per bucket/agent; the
-- caller adds total_gmv and bot_share over the non-bucket dimensions.
SELECT {{.Keys}}
    sum(orders) AS orders,
    sum(gmv_cents) AS gmv_sum_cents,
    sum(refunded_cents) AS refunded_cents,
    sumIf(gmv_cents, bucket = 'bot') AS bot_cents
FROM metric_gmv
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
