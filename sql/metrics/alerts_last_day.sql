-- metrics.md "How a run works", step 3: the last day whose alerts a run
-- evaluated. A run records every day it evaluates in metric_alert_days
-- (since migration 0090), a quiet one too (no traffic, nothing open, so no
-- alert or metric row). Days evaluated before that table existed count by
-- their rows: alert rows (an alert open, or closed that day) or metric rows
-- (metric_conversion: a pre-sale consultation; metric_gmv: a payment; as
-- coverage.sql reads them).
SELECT max(date) FROM (
    SELECT max(date) AS date FROM metric_alert_days
    UNION ALL
    SELECT max(date) AS date FROM metric_alerts
    UNION ALL
    SELECT max(date) AS date FROM metric_conversion
    UNION ALL
    SELECT max(date) AS date FROM metric_gmv
)
