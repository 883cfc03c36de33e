-- The reference for TestIntradayPartsMatchRaw: the day-so-far series of
-- sql/metrics/alert_intraday.sql read straight from the raw events, as the
-- hourly evaluation did before metric_alert_intraday_parts (metrics.md §8
-- "Alerts v2"): the consultations that started
-- between local midnight ({{.FromMs}} ms) and the cutoff ({{.CutoffMs}} ms),
-- with their events before the cutoff, each event once (by event_id).
-- kinds as in alert_hours.sql: volume, topic_surge, product_messages,
-- negative_surge, fallback_spike. A conversation's product is the first
-- one it names (started event or message), a topic message's the latest
-- one named up to it, as in the consultation summary. Only the day itself
-- is read: a conversation whose first customer message came before
-- midnight starts, here, at its first one after it.
SELECT kind, shop_id, product_id, topic, toFloat64(sum(n)) AS num, toFloat64(sum(d)) AS den
FROM (
  SELECT r.1 AS kind, shop_id, r.2 AS product_id, r.3 AS topics, r.4 AS n, r.5 AS d
  FROM (
    SELECT shop_id,
        arrayFilter(p -> p != '', ev.3) AS named,
        arrayCumSum(arrayMap(p -> toUInt32(p != ''), ev.3)) AS named_so_far,
        arrayConcat(
            [('volume', '', [''], toUInt64(1), toUInt64(0)),
             ('fallback_spike', '', [''], fallbacks, bot_msgs)],
            arrayFilter(x -> x.2 != '', [
                ('negative_surge', product, [''], toUInt64(negative), toUInt64(1)),
                ('product_messages', product, [''], cust_msgs, toUInt64(0))]),
            arrayFilter(x -> x.2 != '' AND notEmpty(x.3),
                arrayMap((tl, n) -> ('topic_surge', named[n], tl, toUInt64(1), toUInt64(0)), ev.4, named_so_far))
        ) AS rs
    FROM (
        SELECT shop_id, customer_id, conversation_id,
            minIf(ts_ms, kind = 'customer') AS start_ms,
            argMinIf(product_id, ts_ms, product_id != '') AS product,
            maxIf(neg, kind = 'customer') AS negative,
            uniqExactIf(eid, kind = 'bot') AS bot_msgs,
            uniqExactIf(eid, kind = 'bot' AND fb = 1) AS fallbacks,
            uniqExactIf(eid, kind = 'customer') AS cust_msgs,
            -- events that name a product or ask about a topic, once each, in time order
            arraySort(groupUniqArrayIf((ts_ms, eid, product_id, topics), product_id != '' OR notEmpty(topics))) AS ev
        FROM (
            SELECT shop_id, customer_id, conversation_id, ts_ms, cityHash64(event_id) AS eid, sender AS kind, product_id,
                if(sender = 'customer', topics, emptyArrayString()) AS topics,
                toUInt8(sentiment_label = 'negative') AS neg, bot_fallback AS fb
            FROM messages
            PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
            WHERE ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}}
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, cityHash64(event_id) AS eid, 'started' AS kind, product_id,
                emptyArrayString() AS topics, toUInt8(0) AS neg, toUInt8(0) AS fb
            FROM conversations
            PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
            WHERE ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}} AND product_id != ''
        )
        GROUP BY shop_id, customer_id, conversation_id
        HAVING start_ms >= {{.FromMs}} AND start_ms < {{.CutoffMs}}
    )
)
  ARRAY JOIN rs AS r
)
-- 18.16 takes one ARRAY JOIN per query level
ARRAY JOIN topics AS topic
GROUP BY kind, shop_id, product_id, topic
