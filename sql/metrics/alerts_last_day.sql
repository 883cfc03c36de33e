-- metrics.md "How a run works", step 3: the last day whose alerts a run
-- evaluated, as far as the tables tell. A run evaluates the alerts of
-- every day it computes, and a computed day holds alert rows (an alert
-- open, or closed that day) or metric rows (metric_conversion: a pre-sale
-- consultation; metric_gmv: a payment; as coverage.sql reads them). A day
-- with neither (no traffic, nothing open) stores nothing that tells it
-- from a day never evaluated.
SELECT max(date) FROM (
    SELECT max(date) AS date FROM metric_alerts
    UNION ALL
    SELECT max(date) AS date FROM metric_conversion
    UNION ALL
    SELECT max(date) AS date FROM metric_gmv
)
