-- metrics.md §8 "Alerts v2": the header of the batch insert of a day's
-- intraday alerts (rows appended column by column).
INSERT INTO metric_alerts_intraday (date, hour, alert_id, rule, shop_id, subject, product_id, topic, node,
    opened, severity, direction, value, baseline, ratio, gmv_at_stake_cents, evidence, action_zh, action_en)
