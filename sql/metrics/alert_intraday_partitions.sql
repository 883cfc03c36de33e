-- metrics.md §8 "Alerts v2", hourly evaluation: the (day, hour) partitions
-- {{.Table}} (metric_alert_intraday_parts or _series) holds, so days the evaluation no longer
-- needs are dropped (18.16 has no TTL).
SELECT DISTINCT partition
FROM system.parts
WHERE database = currentDatabase() AND table = '{{.Table}}' AND active
