-- metrics.md "Common terms": one row per consultation (a conversation with
-- a customer message) starting on the day [{{.DayStart}}, {{.DayEnd}}) ms,
-- with its start, channel, responder class, pre-sale flag, stages,
-- sentiment, ratings, bot/agent/handoff facts and unanswered questions.
-- Every later job reads this summary instead of raw messages. A
-- conversation's events are read from W before the day to W after it;
-- each raw table is deduplicated by event_id.
INSERT INTO metric_consultations (date, shop_id, customer_id, conversation_id, start_ms, channel,
    responder, pre_sale, product_id, customer_msgs, score_sum, negative, last_negative, ratings,
    bot_msgs, fallbacks, agent_msgs, handoffs, handoff_reasons, frt_bot_ms, frt_human_ms, repeated,
    stages, stage_intents, agent_ts, agent_ids, topic_lists, topic_products, topic_texts, neg_texts,
    gap_signatures, gap_intents, gap_products, gap_texts)
SELECT
    toDate(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}'), shop_id, customer_id, conversation_id, start_ms,
    channel, responder, pre_sale, product_id, customer_msgs, score_sum, negative, last_negative, ratings,
    bot_msgs, fallbacks, agent_msgs, handoffs, handoff_reasons, frt_bot_ms, frt_human_ms, repeated,
    stages, stage_intents, agent_ts, agent_ids, topic_lists, topic_products, topic_texts, neg_texts,
    gap_signatures, gap_intents, gap_products, gap_texts
FROM (
    SELECT
        shop_id, customer_id, conversation_id,
        -- ev: (1 ts_ms, 2 event_id, 3 kind, 4 agent_id, 5 intent, 6 product_id, 7 order_id,
        --      8 fallback, 9 label, 10 score, 11 topics, 12 signature, 13 text, 14 channel,
        --      15 reason, 16 rating), sorted by time
        arrayFilter(x -> x.3 = 'customer', ev) AS cust,
        cust[1].1 AS start_ms,
        if(cust[1].14 != '', cust[1].14, arrayFirst(x -> x.14 != '', ev).14) AS channel,
        arrayCount(x -> x.3 = 'bot', ev) AS bot_msgs,
        arrayCount(x -> x.3 = 'bot' AND x.8 = 1, ev) AS fallbacks,
        arrayCount(x -> x.3 = 'agent', ev) AS agent_msgs,
        arrayCount(x -> x.3 = 'handoff', ev) AS handoffs,
        multiIf(bot_msgs > 0 AND (agent_msgs > 0 OR handoffs > 0), 'bot_to_human',
                bot_msgs > 0, 'bot_only',
                agent_msgs > 0, 'human_only', 'unanswered') AS responder,
        arrayFirst(x -> x.5 != '' AND NOT has(['greeting', 'thanks_bye', 'human_request', 'other'], x.5), cust).5 AS first_substantive,
        toUInt8(NOT arrayExists(x -> x.7 != '', ev)
            AND (first_substantive = '' OR has(['greeting', 'product_info', 'size_fit', 'stock', 'price_promo', 'shipping_fee', 'delivery_time', 'payment'], first_substantive))) AS pre_sale,
        arrayFirst(x -> x.6 != '', ev).6 AS product_id,
        length(cust) AS customer_msgs,
        arraySum(arrayMap(x -> toFloat64(x.10), cust)) AS score_sum,
        toUInt8(arrayExists(x -> x.9 = 'negative', cust)) AS negative,
        toUInt8(cust[-1].9 = 'negative') AS last_negative,
        arrayMap(x -> x.16, arrayFilter(x -> x.3 = 'rating', ev)) AS ratings,
        arrayMap(x -> x.15, arrayFilter(x -> x.3 = 'handoff', ev)) AS handoff_reasons,
        arrayFirst(x -> x.3 = 'handoff', ev).1 AS handoff_ms,
        arrayFirstIndex(x -> x.3 = 'bot' AND x.1 >= start_ms, ev) AS bot_i,
        if(bot_i > 0, ev[bot_i].1 - start_ms, -1) AS frt_bot_ms,
        if(handoffs > 0, handoff_ms, start_ms) AS human_base,
        arrayFirstIndex(x -> x.3 = 'agent' AND x.1 >= human_base, ev) AS agent_i,
        if(agent_i > 0, ev[agent_i].1 - human_base, -1) AS frt_human_ms,
        arrayFilter(i -> i != '' AND NOT has(['greeting', 'thanks_bye', 'other'], i), arrayMap(x -> x.5, cust)) AS counted_intents,
        toUInt8(arrayExists(i -> countEqual(counted_intents, i) >= 3, counted_intents)) AS repeated,
        arrayMap(x -> transform(x.5, ['product_info', 'size_fit', 'stock', 'price_promo', 'shipping_fee', 'delivery_time', 'payment'],
            ['product', 'product', 'product', 'price', 'shipping', 'shipping', 'payment'], ''), cust) AS cust_stages,
        arrayFilter(s -> s != '', cust_stages) AS stages,
        arrayFilter((i, s) -> s != '', arrayMap(x -> x.5, cust), cust_stages) AS stage_intents,
        arrayMap(x -> x.1, arrayFilter(x -> x.3 = 'agent', ev)) AS agent_ts,
        arrayMap(x -> x.4, arrayFilter(x -> x.3 = 'agent', ev)) AS agent_ids,
        -- the product a message is about: its own product_id, else the
        -- latest one earlier in the conversation
        arrayMap(x -> x.6, ev) AS prods,
        arrayMap(i -> arrayFirst(p -> p != '', arrayReverse(arraySlice(prods, 1, i))), arrayEnumerate(ev)) AS ctx_products,
        arrayMap(x -> x.3 = 'customer' AND notEmpty(x.11), ev) AS has_topic,
        arrayFilter((t, h) -> h, arrayMap(x -> x.11, ev), has_topic) AS topic_lists,
        arrayFilter((p, h) -> h, ctx_products, has_topic) AS topic_products,
        arrayFilter((t, h) -> h, arrayMap(x -> x.13, ev), has_topic) AS topic_texts,
        arraySlice(arrayMap(x -> x.13, arrayFilter(x -> x.9 = 'negative', cust)), 1, 5) AS neg_texts,
        -- an unanswered question: a customer message whose next bot
        -- message falls back
        arrayMap((x, i) -> x.3 = 'customer' AND x.12 != '' AND arrayFirst(y -> y.3 = 'bot', arraySlice(ev, i + 1)).8 = 1,
            ev, arrayEnumerate(ev)) AS is_gap,
        arrayFilter((x, g) -> g, arrayMap(x -> x.12, ev), is_gap) AS gap_signatures,
        arrayFilter((x, g) -> g, arrayMap(x -> x.5, ev), is_gap) AS gap_intents,
        arrayFilter((p, g) -> g, ctx_products, is_gap) AS gap_products,
        arrayFilter((x, g) -> g, arrayMap(x -> x.13, ev), is_gap) AS gap_texts
    FROM (
        SELECT shop_id, customer_id, conversation_id,
            arraySort(groupArray((ts_ms, event_id, kind, agent_id, intent, product_id, order_id, fallback,
                label, score, topics, signature, text, channel, reason, rating))) AS ev
        FROM (
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, sender AS kind, agent_id, intent,
                product_id, order_id, bot_fallback AS fallback, sentiment_label AS label, sentiment_score AS score,
                topics, signature, text, channel, '' AS reason, toUInt8(0) AS rating
            FROM messages
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE (shop_id, customer_id, conversation_id) IN (
                SELECT shop_id, customer_id, conversation_id FROM messages
                PREWHERE ts >= toDateTime({{.DayStartSec}}) AND ts < toDateTime({{.DayEndSec}})
                WHERE sender = 'customer')
            LIMIT 1 BY event_id
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, type AS kind, '' AS agent_id, '' AS intent,
                product_id, '' AS order_id, toUInt8(0) AS fallback, '' AS label, toFloat32(0) AS score,
                emptyArrayString() AS topics, '' AS signature, '' AS text, channel, '' AS reason, toUInt8(0) AS rating
            FROM conversations
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE (shop_id, customer_id, conversation_id) IN (
                SELECT shop_id, customer_id, conversation_id FROM messages
                PREWHERE ts >= toDateTime({{.DayStartSec}}) AND ts < toDateTime({{.DayEndSec}})
                WHERE sender = 'customer')
            LIMIT 1 BY event_id
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'handoff' AS kind, agent_id, '' AS intent,
                '' AS product_id, '' AS order_id, toUInt8(0) AS fallback, '' AS label, toFloat32(0) AS score,
                emptyArrayString() AS topics, '' AS signature, '' AS text, channel, reason, toUInt8(0) AS rating
            FROM handoffs
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE (shop_id, customer_id, conversation_id) IN (
                SELECT shop_id, customer_id, conversation_id FROM messages
                PREWHERE ts >= toDateTime({{.DayStartSec}}) AND ts < toDateTime({{.DayEndSec}})
                WHERE sender = 'customer')
            LIMIT 1 BY event_id
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'rating' AS kind, '' AS agent_id, '' AS intent,
                '' AS product_id, '' AS order_id, toUInt8(0) AS fallback, '' AS label, toFloat32(0) AS no_score,
                emptyArrayString() AS topics, '' AS signature, '' AS text, channel, '' AS reason, score AS rating
            FROM ratings
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE (shop_id, customer_id, conversation_id) IN (
                SELECT shop_id, customer_id, conversation_id FROM messages
                PREWHERE ts >= toDateTime({{.DayStartSec}}) AND ts < toDateTime({{.DayEndSec}})
                WHERE sender = 'customer')
            LIMIT 1 BY event_id
        )
        GROUP BY shop_id, customer_id, conversation_id
        HAVING arrayExists(x -> x.3 = 'customer', ev)
    )
)
WHERE start_ms >= {{.DayStart}} AND start_ms < {{.DayEnd}}
