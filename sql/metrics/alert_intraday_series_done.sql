-- metrics.md §8 "Alerts v2", hourly evaluation: the hours of day {{.Date}}
-- whose day-so-far series is complete (their completion row, kind = '').
SELECT hour, count() AS marks
FROM metric_alert_intraday_series
WHERE date = toDate('{{.Date}}') AND kind = ''
GROUP BY hour
