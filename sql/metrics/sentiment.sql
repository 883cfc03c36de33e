-- metrics.md §3 sentiment per (date, shop_id, channel, responder): a
-- consultation is negative when any customer message is; recovered when it
-- is negative and its last customer message is not, or it was rated 4–5.
INSERT INTO metric_sentiment (date, shop_id, channel, responder, consultations, negative, recovered,
    customer_msgs, score_sum)
SELECT date, shop_id, channel, responder, count(), sum(negative),
    sum(negative AND (last_negative = 0 OR arrayExists(r -> r >= 4, ratings))),
    sum(customer_msgs), sum(score_sum)
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id, channel, responder
