-- metrics.md §8 "Alerts v2": the intraday alerts of {{.Date}} raised at
-- hours other than {{.Hour}}, which an hourly rerun of {{.Hour}} keeps.
SELECT hour, alert_id, rule, shop_id, subject, product_id, topic, opened, severity, direction,
    value, baseline, ratio, gmv_at_stake_cents, evidence, action_zh, action_en
FROM metric_alerts_intraday
WHERE date = toDate('{{.Date}}') AND hour != {{.Hour}}
