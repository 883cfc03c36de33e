-- metrics.md §8 "Alerts v2": the hourly alert series of days
-- {{.From}}..{{.To}} summed over the hours before {{.Hours}} (24: whole
-- days), per day and kind ({{.Kinds}}): the same hours of the baseline
-- days for the hourly evaluation, and the volumes and share denominators
-- for the daily one.
SELECT date, kind, shop_id, product_id, topic, toFloat64(sum(num)) AS num, toFloat64(sum(den)) AS den
FROM metric_alert_hours
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND hour < {{.Hours}} AND kind IN ({{.Kinds}})
GROUP BY date, kind, shop_id, product_id, topic
