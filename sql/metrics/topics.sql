-- metrics.md §8 topic_surge series: customer messages of the day's
-- consultations per (product, topic), the product being the message's own
-- product_id or else the latest one earlier in its conversation; with up
-- to 5 masked examples as evidence.
INSERT INTO metric_topics (date, shop_id, product_id, topic, messages, examples)
SELECT date, shop_id, tp, topic, count(), arraySlice(arraySort(groupUniqArray(tt)), 1, 5)
FROM (
    SELECT date, shop_id, tl, tp, tt
    FROM metric_consultations
    ARRAY JOIN topic_lists AS tl, topic_products AS tp, topic_texts AS tt
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
)
ARRAY JOIN tl AS topic
GROUP BY date, shop_id, tp, topic
