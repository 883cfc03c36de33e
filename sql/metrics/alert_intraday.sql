-- metrics.md §8 "Alerts v2", intraday: the series of the hourly rules for
-- the day so far: the consultations of day {{.Date}} that started before
-- hour {{.Hours}} (local time), with their events before it, each event
-- once (by event_id). Read from metric_alert_intraday_parts (one row per
-- conversation and hour, alert_intraday_part.sql), so an evaluation reads
-- a row per conversation-hour instead of every raw event of the day.
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
            minIf(start_ms, start_ms > 0) AS start,
            argMinIf(product_id, product_ms, product_ms > 0) AS product,
            max(negative) AS negative,
            sum(bot_msgs) AS bot_msgs,
            sum(fallbacks) AS fallbacks,
            sum(customer_msgs) AS cust_msgs,
            -- an event is in the hour it is stamped in: the hours' lists are disjoint
            arraySort(groupArrayArray(arrayMap((t, e, p, tl) -> (t, e, p, tl), ev_ts, ev_id, ev_product, ev_topics))) AS ev
        FROM metric_alert_intraday_parts
        WHERE date = toDate('{{.Date}}') AND hour < {{.Hours}} AND mark = 0
        GROUP BY shop_id, customer_id, conversation_id
        HAVING start > 0
    )
)
  ARRAY JOIN rs AS r
)
-- 18.16 takes one ARRAY JOIN per query level
ARRAY JOIN topics AS topic
GROUP BY kind, shop_id, product_id, topic
