-- metrics.md §8: the header of the batch insert of a day's alert rows
-- (rows appended column by column).
INSERT INTO metric_alerts (date, alert_id, rule, shop_id, subject, product_id, topic, node,
    opened, status, severity, value, baseline, ratio, evidence, action_zh, action_en,
    gmv_at_stake_cents, direction, intraday_hour)
