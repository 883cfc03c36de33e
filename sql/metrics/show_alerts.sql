-- metrics.md §8: every stored alert row of the range (one per alert and
-- day); the caller keeps each alert's latest state.
SELECT date, alert_id, rule, shop_id, subject, product_id, topic, node, opened,
    status, severity, value, baseline, ratio, evidence, action_zh, action_en,
    gmv_at_stake_cents, direction, intraday_hour
FROM metric_alerts
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
ORDER BY date, rule, shop_id, subject
