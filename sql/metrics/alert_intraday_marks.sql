-- metrics.md §8 "Alerts v2", hourly evaluation: the completion rows of day
-- {{.Date}} in metric_alert_intraday_parts (one per computed hour, with the
-- raw row count it was computed from). marks != 1 means the hour was not
-- computed to the end and is recomputed.
SELECT hour, count() AS marks, max(raw_rows) AS raw_rows
FROM metric_alert_intraday_parts
WHERE date = toDate('{{.Date}}') AND mark = 1
GROUP BY hour
