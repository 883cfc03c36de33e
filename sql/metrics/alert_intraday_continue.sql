-- metrics.md §8 "one open alert per (rule, subject)", for the hourly
-- evaluation of {{.Date}}: the alerts open at the end of {{.Prev}} (a
-- subject still firing keeps its alert) and the ones raised at earlier
-- hours of {{.Date}} with the first hour each fired.
SELECT 'open' AS source, alert_id, rule, shop_id, product_id, topic, node, opened, toUInt8(0) AS first_hour
FROM metric_alerts
WHERE date = toDate('{{.Prev}}') AND status = 'open'
UNION ALL
SELECT 'intraday' AS source, any(alert_id), rule, shop_id, product_id, topic, node, min(opened), min(hour) AS first_hour
FROM metric_alerts_intraday
WHERE date = toDate('{{.Date}}')
GROUP BY rule, shop_id, product_id, topic, node
