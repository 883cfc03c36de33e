-- metrics.md §8 "Alerts v2", hourly evaluation: an hour's completion row
-- in metric_alert_intraday_series, written after its series rows.
INSERT INTO metric_alert_intraday_series (date, hour, kind)
