-- metrics.md §8 "Alerts v2", hourly evaluation: the (day, hour) partitions
-- metric_alert_intraday_parts holds, so days the evaluation no longer
-- needs are dropped (18.16 has no TTL).
SELECT DISTINCT partition
FROM system.parts
WHERE database = currentDatabase() AND table = 'metric_alert_intraday_parts' AND active
