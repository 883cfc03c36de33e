-- metrics.md §8: one stored alert state per alert and day; the columns are
-- those of metrics.Alert (its ch tags). Values are appended as a batch.
INSERT INTO metric_alerts (date, alert_id, rule, shop_id, subject, product_id, topic, node,
    opened, status, severity, value, baseline, ratio, evidence, action_zh, action_en,
    gmv_at_stake_cents, direction, intraday_hour)
