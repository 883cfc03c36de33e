-- metrics.md §8 evidence for the hourly evaluation: up to 5 masked
-- customer messages of the last hours of the day so far
-- ({{.FromMs}}..{{.CutoffMs}} ms: what buyers ask now) per
-- (rule, shop_id, product_id, topic): topic questions naming the product,
-- and negative messages naming it. Fallback evidence is in
-- alert_intraday_fallbacks.sql. Only the firing shops are read (@shops,
-- bound to a tuple of shop ids).
SELECT 'topic_surge' AS rule, shop_id, product_id, topic, arraySlice(arraySort(groupUniqArray(text)), 1, 5) AS evidence
FROM messages
ARRAY JOIN topics AS topic
PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
WHERE shop_id IN @shops AND ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}} AND sender = 'customer' AND product_id != ''
GROUP BY shop_id, product_id, topic
UNION ALL
SELECT 'negative_surge' AS rule, shop_id, product_id, '' AS topic, arraySlice(arraySort(groupUniqArray(text)), 1, 5) AS evidence
FROM messages
PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
WHERE shop_id IN @shops AND ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}} AND sender = 'customer' AND sentiment_label = 'negative' AND product_id != ''
GROUP BY shop_id, product_id
