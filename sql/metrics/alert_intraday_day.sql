-- metrics.md §8 "Alerts v2": an intraday alert becomes the day's alert at
-- day end. Per subject raised by the hourly evaluation on {{.Date}}: the
-- first hour it fired and its figures at the last hour it fired.
SELECT min(hour) AS first_hour, argMax(alert_id, hour), rule, shop_id, argMax(subject, hour), product_id, topic,
    min(opened), argMax(severity, hour), argMax(direction, hour), argMax(value, hour), argMax(baseline, hour),
    argMax(ratio, hour), argMax(gmv_at_stake_cents, hour), argMax(evidence, hour), argMax(action_zh, hour), argMax(action_en, hour)
FROM metric_alerts_intraday
WHERE date = toDate('{{.Date}}')
GROUP BY rule, shop_id, product_id, topic
