-- metrics.md §8 alert series, daily, for days [{{.From}}, {{.To}}]: one row
-- per (date, rule, shop_id, subject) with the rule's numerator and
-- denominator, read from the stored result tables (topic_surge: messages;
-- negative_surge: negative / consultations per product; fallback_spike:
-- fallbacks / bot messages; conversion_drop: ordered / consulting buyers;
-- dropoff_spike: dropped / touched per node, weekly in Go; qa_violation:
-- §9's diversion and rude violations per responder, kept in node).
SELECT date, 'topic_surge' AS rule, shop_id, product_id, topic, '' AS node, toFloat64(sum(messages)) AS num, toFloat64(1) AS den
FROM metric_topics
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND product_id != ''
GROUP BY date, shop_id, product_id, topic
UNION ALL
SELECT date, 'negative_surge' AS rule, shop_id, product_id, '' AS topic, '' AS node, toFloat64(sum(negative)) AS num, toFloat64(count()) AS den
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND product_id != ''
GROUP BY date, shop_id, product_id
UNION ALL
SELECT date, 'fallback_spike' AS rule, shop_id, '' AS product_id, '' AS topic, '' AS node, toFloat64(sum(fallbacks)) AS num, toFloat64(sum(bot_messages)) AS den
FROM metric_service
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id
UNION ALL
SELECT date, 'conversion_drop' AS rule, shop_id, '' AS product_id, '' AS topic, '' AS node, toFloat64(sum(ordered_buyers)) AS num, toFloat64(sum(consulting_buyers)) AS den
FROM metric_conversion
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id
UNION ALL
SELECT date, 'dropoff_spike' AS rule, shop_id, '' AS product_id, '' AS topic, node, toFloat64(sum(dropped)) AS num, toFloat64(sum(touched)) AS den
FROM metric_dropoff
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND level = 'node'
GROUP BY date, shop_id, node
UNION ALL
-- (named qa_rule: an alias rule would shadow the column in WHERE)
SELECT date, 'qa_violation' AS qa_rule, shop_id, '' AS product_id, '' AS topic, responder AS node, toFloat64(count()) AS num, toFloat64(1) AS den
FROM qa_violations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND rule = 'forbidden_phrase' AND category IN ('diversion', 'rude')
GROUP BY date, shop_id, responder
