-- metrics.md §8: the alerts still open at the end of a day (the day before
-- the one evaluated), whose state the evaluation carries over.
SELECT date, alert_id, rule, shop_id, subject, product_id, topic, node, opened,
    status, severity, value, baseline, ratio, evidence, action_zh, action_en,
    gmv_at_stake_cents, direction, intraday_hour
FROM metric_alerts
WHERE date = toDate(?) AND status = 'open'
