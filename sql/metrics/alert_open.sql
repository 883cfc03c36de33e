-- metrics.md §8 "one open alert per (rule, subject)": the alerts open at
-- the end of the day before the evaluated one (bound as the argument).
SELECT alert_id, rule, shop_id, subject, product_id, topic, node, opened,
    severity, value, baseline, ratio, evidence, action_zh, action_en, gmv_at_stake_cents, direction, intraday_hour
FROM metric_alerts WHERE date = toDate(?) AND status = 'open'
