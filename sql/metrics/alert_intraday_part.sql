-- metrics.md §8 "Alerts v2", hourly evaluation: what each conversation did
-- within each of the hours {{.Hours}} of day {{.Date}} (hour = whole hours
-- since local midnight, {{.FromMs}} ms), from the raw events stamped in
-- that hour: its first customer message, the first product it named, whether
-- a customer message was negative, its bot messages, fallbacks and customer
-- messages (distinct event_ids), and its events that name a product or a
-- topic. alert_intraday.sql sums these rows into the day so far; see the
-- table's comment in migration 0070.
INSERT INTO metric_alert_intraday_parts (date, hour, mark, raw_rows, shop_id, customer_id, conversation_id, conv,
    start_ms, product_ms, product_id, negative, bot_msgs, fallbacks, customer_msgs, ev_ts, ev_id, ev_product, ev_topics)
SELECT toDate('{{.Date}}'), hour, 0, 0, shop_id, customer_id, conversation_id, cityHash64(shop_id, customer_id, conversation_id),
    minIf(ts_ms, kind = 'customer'),
    minIf(ts_ms, product_id != ''),
    argMinIf(product_id, ts_ms, product_id != ''),
    maxIf(neg, kind = 'customer'),
    uniqExactIf(eid, kind = 'bot'),
    uniqExactIf(eid, kind = 'bot' AND fb = 1),
    uniqExactIf(eid, kind = 'customer'),
    arrayMap(e -> e.1, arraySort(groupUniqArrayIf((ts_ms, eid, product_id, topics), product_id != '' OR notEmpty(topics))) AS ev),
    arrayMap(e -> e.2, ev), arrayMap(e -> e.3, ev), arrayMap(e -> e.4, ev)
FROM (
    SELECT toUInt8(intDiv(ts_ms - {{.FromMs}}, 3600000)) AS hour, shop_id, customer_id, conversation_id, ts_ms,
        cityHash64(event_id) AS eid, sender AS kind, product_id,
        if(sender = 'customer', topics, emptyArrayString()) AS topics,
        toUInt8(sentiment_label = 'negative') AS neg, bot_fallback AS fb
    FROM messages
    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.ToSec}})
    WHERE ts_ms >= {{.FromMs}} AND hour IN ({{.Hours}})
    UNION ALL
    SELECT toUInt8(intDiv(ts_ms - {{.FromMs}}, 3600000)) AS hour, shop_id, customer_id, conversation_id, ts_ms,
        cityHash64(event_id) AS eid, 'started' AS kind, product_id,
        emptyArrayString() AS topics, toUInt8(0) AS neg, toUInt8(0) AS fb
    FROM conversations
    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.ToSec}})
    WHERE ts_ms >= {{.FromMs}} AND hour IN ({{.Hours}}) AND product_id != ''
)
GROUP BY hour, shop_id, customer_id, conversation_id
