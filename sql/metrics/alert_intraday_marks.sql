-- metrics.md §8 "Alerts v2", hourly evaluation: the completion rows of day
-- {{.Date}} in metric_alert_intraday_parts, one per computed hour, with the
-- raw row count it was computed from. An hour without exactly one is left
-- out: it was not computed to the end and is recomputed.
SELECT hour, max(raw_rows) AS raw_rows
FROM metric_alert_intraday_parts
WHERE date = toDate('{{.Date}}') AND mark = 1
GROUP BY hour
HAVING count() = 1
