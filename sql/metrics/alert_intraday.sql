-- metrics.md §8 "Alerts v2", intraday: the series of the hourly rules for
-- the day so far at {{.Hours}}:00 of {{.Date}}, as alert_intraday_series.sql
-- built them (summed over shards through the Distributed table on a
-- cluster; one row per series on one server).
SELECT kind, shop_id, product_id, topic, toFloat64(sum(num)) AS num, toFloat64(sum(den)) AS den
FROM metric_alert_intraday_series
WHERE date = toDate('{{.Date}}') AND hour = {{.Hours}} AND kind != ''
GROUP BY kind, shop_id, product_id, topic
HAVING num != 0 OR den != 0
