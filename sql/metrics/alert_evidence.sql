-- metrics.md §8 evidence: up to 5 masked customer messages of the day per
-- (rule, shop_id, product_id, topic): topic questions, negative messages
-- per product, and unanswered questions (for fallback spikes).
SELECT 'topic_surge' AS rule, shop_id, product_id, topic, arraySlice(arraySort(groupUniqArrayArray(examples)), 1, 5) AS evidence
FROM metric_topics
WHERE date = toDate('{{.Date}}')
GROUP BY shop_id, product_id, topic
UNION ALL
SELECT 'negative_surge' AS rule, shop_id, product_id, '' AS topic, arraySlice(arraySort(groupUniqArrayArray(neg_texts)), 1, 5) AS evidence
FROM metric_consultations
WHERE date = toDate('{{.Date}}')
GROUP BY shop_id, product_id
UNION ALL
SELECT 'fallback_spike' AS rule, shop_id, '' AS product_id, '' AS topic, arraySlice(arraySort(groupUniqArrayArray(gap_texts)), 1, 5) AS evidence
FROM metric_consultations
WHERE date = toDate('{{.Date}}')
GROUP BY shop_id
