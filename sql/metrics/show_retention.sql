-- metrics.md §13 roll-up: sums of the paid days' counts (reactivated
-- buyers are distinct per paid day and summed over days).
SELECT {{.Keys}}
    sum(paid_orders) AS paid_orders,
    sum(paid_cents) AS paid_cents,
    sum(repurchase_orders) AS repurchase_orders,
    sum(repurchase_cents) AS repurchase_cents,
    sum(bot_guided_repurchase_orders) AS bot_guided_repurchase_orders,
    sum(bot_guided_repurchase_cents) AS bot_guided_repurchase_cents,
    sum(reactivated_buyers) AS reactivated_buyers,
    sum(bot_reactivated_buyers) AS bot_reactivated_buyers
FROM metric_retention
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
