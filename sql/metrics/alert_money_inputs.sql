-- metrics.md §8 "Alerts v2", money at stake: the per-day inputs of days
-- {{.From}}..{{.To}} (the evaluation keeps the baseline days): the money
-- job's consultation counts, and per shop the paid orders and their GMV
-- (kind aov: orders in `consultations`, GMV cents in `converted`; every
-- bucket and agent row, which split the day without overlap) for the
-- average paid order value.
SELECT date, shop_id, kind, product_id, topic, node, toFloat64(sum(consultations)) AS consultations,
    toFloat64(sum(converted)) AS converted, toFloat64(sum(flagged)) AS flagged, toFloat64(sum(flagged_converted)) AS flagged_converted
FROM metric_alert_money
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id, kind, product_id, topic, node
UNION ALL
SELECT date, shop_id, 'aov' AS kind, '' AS product_id, '' AS topic, '' AS node, toFloat64(sum(orders)) AS consultations,
    toFloat64(sum(gmv_cents)) AS converted, toFloat64(0) AS flagged, toFloat64(0) AS flagged_converted
FROM metric_gmv
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id
