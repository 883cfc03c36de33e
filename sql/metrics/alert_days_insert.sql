-- metrics.md "How a run works", step 3: a day whose alerts a run
-- evaluated (sql/migrations/0090_metric_alert_days.sql), written after the
-- day's alert rows. Values are appended as a batch.
INSERT INTO metric_alert_days (date, evaluated_at)
