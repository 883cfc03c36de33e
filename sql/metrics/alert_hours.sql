-- metrics.md §8 "Alerts v2": the alert series per hour of the consultation
-- start (local time) for days {{.From}}..{{.To}}, from the consultation
-- summary, so the hourly evaluation can compare the day so far with the
-- same hours of the baseline days. kind volume: consultations per shop;
-- topic_surge: customer messages with a topic per (product, topic), the
-- product being the message's own or the latest one named before it
-- (as metric_topics); product_messages: customer messages of the
-- consultations about a product (the topic share's denominator);
-- negative_surge: negative consultations / consultations per product;
-- fallback_spike: bot fallbacks / bot messages per shop.
INSERT INTO metric_alert_hours (date, hour, kind, shop_id, product_id, topic, num, den)
SELECT date, hour, kind, shop_id, product, topic, sum(n), sum(d)
FROM (
  SELECT date, hour, r.1 AS kind, shop_id, r.2 AS product, r.3 AS topics, r.4 AS n, r.5 AS d
  FROM (
    SELECT date, shop_id, toHour(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}') AS hour,
        arrayConcat(
            [('volume', '', [''], toUInt64(1), toUInt64(0)),
             ('fallback_spike', '', [''], toUInt64(fallbacks), toUInt64(bot_msgs))],
            arrayFilter(x -> x.2 != '', [
                ('negative_surge', product_id, [''], toUInt64(negative), toUInt64(1)),
                ('product_messages', product_id, [''], toUInt64(customer_msgs), toUInt64(0))]),
            arrayFilter(x -> x.2 != '', arrayMap((tl, tp) -> ('topic_surge', tp, tl, toUInt64(1), toUInt64(0)), topic_lists, topic_products))
        ) AS rs
    FROM metric_consultations
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
)
  ARRAY JOIN rs AS r
)
-- 18.16 takes one ARRAY JOIN per query level
ARRAY JOIN topics AS topic
GROUP BY date, hour, kind, shop_id, product, topic
