-- metrics.md §8 "Alerts v2", hourly evaluation: an hour's completion row
-- in metric_alert_intraday_parts, written after its conversation rows.
INSERT INTO metric_alert_intraday_parts (date, hour, mark, raw_rows)
