-- metrics.md "Common terms": one row per consultation (a conversation with
-- a customer message) starting in [{{.FromMs}}, {{.ToMs}}) ms (whole local
-- days), with its start, channel, responder class, pre-sale flag, stages,
-- sentiment, ratings, bot/agent/handoff facts and unanswered questions.
-- Every later job reads this summary instead of raw messages.
--
-- One pass over the raw events of the range, read from W before it to W
-- after it: events are grouped per conversation, sorted by (ts_ms,
-- event_id) once and deduplicated by dropping an element whose event_id
-- equals its predecessor's (re-deliveries sort next to each other). A
-- consultation then keeps only its events from W before its start day to
-- W after it, so the result does not depend on how a run splits the range.
-- Per-event values (stage, counted intent, flags) are computed on the rows
-- before grouping; per-conversation work uses the tuple array's columns
-- (ev.N) and is linear in the conversation's length: neighbours come from
-- shifted copies (arrayPushFront/arrayPopBack), "the latest product so far"
-- and "the next bot message" from running counts (arrayCumSum) indexing
-- small arrays, never by slicing the event array per element.
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
        shop_id, customer_id, conversation_id, start_ms,
        -- ev: (1 ts_ms, 2 event_id, 3 kind, 4 who (agent or handoff reason), 5 intent, 6 stage,
        --      7 counted intent, 8 substantive, 9 product_id, 10 has_order, 11 flag (fallback
        --      or rating), 12 label, 13 score, 14 topics, 15 has_topic, 16 signature, 17 text,
        --      18 channel), sorted by time, one per event_id, within W of the start day
        arraySort(raw) AS sorted,
        toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}'))) * 1000 - {{.W}} AS lo_ms,
        toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(start_ms, 1000) + 129600), '{{.TZ}}'))) * 1000 + {{.W}} AS hi_ms,
        arrayMap((t, e, prev) -> e != prev AND t >= lo_ms AND t < hi_ms,
            sorted.1, sorted.2, arrayPopBack(arrayPushFront(sorted.2, ''))) AS keep,
        arrayFilter((x, k) -> k, sorted, keep) AS ev,
        ev.1 AS ts, ev.3 AS kind, ev.5 AS intents, ev.9 AS prods, ev.11 AS flags, ev.17 AS texts, ev.18 AS channels,
        indexOf(kind, 'customer') AS first_cust,
        if(channels[first_cust] != '', channels[first_cust], arrayFirst(c -> c != '', channels)) AS channel,
        countEqual(kind, 'bot') AS bot_msgs,
        arrayCount((k, f) -> k = 'bot' AND f = 1, kind, flags) AS fallbacks,
        countEqual(kind, 'agent') AS agent_msgs,
        countEqual(kind, 'handoff') AS handoffs,
        multiIf(bot_msgs > 0 AND (agent_msgs > 0 OR handoffs > 0), 'bot_to_human',
                bot_msgs > 0, 'bot_only',
                agent_msgs > 0, 'human_only', 'unanswered') AS responder,
        intents[indexOf(ev.8, 1)] AS first_substantive,
        toUInt8(NOT has(ev.10, 1)
            AND (first_substantive = '' OR has(['greeting', 'product_info', 'size_fit', 'stock', 'price_promo', 'shipping_fee', 'delivery_time', 'payment'], first_substantive))) AS pre_sale,
        arrayFirst(p -> p != '', prods) AS product_id,
        countEqual(kind, 'customer') AS customer_msgs,
        arraySum(ev.13) AS score_sum,
        toUInt8(has(ev.12, 'negative')) AS negative,
        toUInt8(arrayFilter((l, k) -> k = 'customer', ev.12, kind)[-1] = 'negative') AS last_negative,
        arrayFilter((f, k) -> k = 'rating', flags, kind) AS ratings,
        arrayFilter((w, k) -> k = 'handoff', ev.4, kind) AS handoff_reasons,
        ts[indexOf(kind, 'handoff')] AS handoff_ms,
        arrayFirst(t -> t >= start_ms, arrayFilter((t, k) -> k = 'bot', ts, kind)) AS bot_ms,
        if(bot_ms > 0, bot_ms - start_ms, -1) AS frt_bot_ms,
        if(handoffs > 0, handoff_ms, start_ms) AS human_base,
        arrayFilter((t, k) -> k = 'agent', ts, kind) AS agent_ts,
        arrayFirst(t -> t >= human_base, agent_ts) AS agent_ms,
        if(agent_ms > 0, agent_ms - human_base, -1) AS frt_human_ms,
        arrayFilter((w, k) -> k = 'agent', ev.4, kind) AS agent_ids,
        -- repeated: some counted intent three times = sorted, an element
        -- equal to the one two places before it
        arraySort(arrayFilter(i -> i != '', ev.7)) AS counted_intents,
        toUInt8(arrayExists((a, b) -> a = b, counted_intents,
            arrayPopBack(arrayPopBack(arrayPushFront(arrayPushFront(counted_intents, ''), ''))))) AS repeated,
        arrayFilter(s -> s != '', ev.6) AS stages,
        arrayFilter((i, s) -> s != '', intents, ev.6) AS stage_intents,
        -- the product a message is about: its own product_id, else the
        -- latest one earlier in the conversation: the n-th product named,
        -- n counting the products named up to the message
        arrayFilter(p -> p != '', prods) AS named_products,
        arrayCumSum(arrayMap(p -> toUInt32(p != ''), prods)) AS named_so_far,
        arrayFilter((t, h) -> h, ev.14, ev.15) AS topic_lists,
        arrayMap(n -> named_products[n], arrayFilter((n, h) -> h, named_so_far, ev.15)) AS topic_products,
        arrayFilter((t, h) -> h, texts, ev.15) AS topic_texts,
        arraySlice(arrayFilter((t, l) -> l = 'negative', texts, ev.12), 1, 5) AS neg_texts,
        -- an unanswered question: a customer message (with a signature)
        -- whose next bot message falls back, i.e. bot number (bots so far + 1)
        arrayFilter((f, k) -> k = 'bot', flags, kind) AS bot_fallbacks,
        arrayMap((k, g) -> k = 'customer' AND g != '', kind, ev.16) AS asks,
        arrayMap(b -> bot_fallbacks[b + 1] = 1,
            arrayFilter((b, a) -> a, arrayCumSum(arrayMap(k -> toUInt32(k = 'bot'), kind)), asks)) AS ask_gap,
        arrayFilter((g, a) -> a, ev.16, asks) AS ask_signatures,
        arrayFilter((g, u) -> u, ask_signatures, ask_gap) AS gap_signatures,
        arrayFilter((i, u) -> u, arrayFilter((i, a) -> a, intents, asks), ask_gap) AS gap_intents,
        arrayFilter((n, u) -> u, arrayMap(n -> named_products[n], arrayFilter((n, a) -> a, named_so_far, asks)), ask_gap) AS gap_products,
        arrayFilter((t, u) -> u, arrayFilter((t, a) -> a, texts, asks), ask_gap) AS gap_texts
    FROM (
        SELECT shop_id, customer_id, conversation_id,
            minIf(ts_ms, kind = 'customer') AS start_ms,
            groupArray((ts_ms, event_id, kind, who, msg_intent, stage, counted, substantive, product_id, has_order,
                flag, msg_label, msg_score, topics, has_topic, msg_signature, msg_text, channel)) AS raw
        FROM (
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, sender AS kind, agent_id AS who,
                if(sender = 'customer', intent, '') AS msg_intent,
                if(sender = 'customer', transform(intent, ['product_info', 'size_fit', 'stock', 'price_promo', 'shipping_fee', 'delivery_time', 'payment'],
                    ['product', 'product', 'product', 'price', 'shipping', 'shipping', 'payment'], ''), '') AS stage,
                if(sender = 'customer' AND msg_intent NOT IN ('', 'greeting', 'thanks_bye', 'other'), intent, '') AS counted,
                toUInt8(sender = 'customer' AND msg_intent NOT IN ('', 'greeting', 'thanks_bye', 'human_request', 'other')) AS substantive,
                product_id, toUInt8(order_id != '') AS has_order, bot_fallback AS flag,
                if(sender = 'customer', sentiment_label, '') AS msg_label,
                if(sender = 'customer', toFloat64(sentiment_score), 0) AS msg_score,
                topics, toUInt8(sender = 'customer' AND notEmpty(topics)) AS has_topic,
                if(sender = 'customer', signature, '') AS msg_signature, if(sender = 'customer', text, '') AS msg_text, channel
            FROM messages
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE 1{{template "buyer_slice" .}}
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, type AS kind, materialize('') AS who, materialize('') AS msg_intent,
                materialize('') AS stage, materialize('') AS counted, materialize(toUInt8(0)) AS substantive, product_id, materialize(toUInt8(0)) AS has_order,
                materialize(toUInt8(0)) AS flag, materialize('') AS msg_label, materialize(toFloat64(0)) AS msg_score, materialize(emptyArrayString()) AS topics, materialize(toUInt8(0)) AS has_topic,
                materialize('') AS msg_signature, materialize('') AS msg_text, channel
            FROM conversations
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE 1{{template "buyer_slice" .}}
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'handoff' AS kind, reason AS who, materialize('') AS msg_intent,
                materialize('') AS stage, materialize('') AS counted, materialize(toUInt8(0)) AS substantive, materialize('') AS product_id, materialize(toUInt8(0)) AS has_order,
                materialize(toUInt8(0)) AS flag, materialize('') AS msg_label, materialize(toFloat64(0)) AS msg_score, materialize(emptyArrayString()) AS topics, materialize(toUInt8(0)) AS has_topic,
                materialize('') AS msg_signature, materialize('') AS msg_text, channel
            FROM handoffs
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE 1{{template "buyer_slice" .}}
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'rating' AS kind, materialize('') AS who, materialize('') AS msg_intent,
                materialize('') AS stage, materialize('') AS counted, materialize(toUInt8(0)) AS substantive, materialize('') AS product_id, materialize(toUInt8(0)) AS has_order,
                score AS flag, materialize('') AS msg_label, materialize(toFloat64(0)) AS msg_score, materialize(emptyArrayString()) AS topics, materialize(toUInt8(0)) AS has_topic,
                materialize('') AS msg_signature, materialize('') AS msg_text, channel
            FROM ratings
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE 1{{template "buyer_slice" .}}
        )
        GROUP BY shop_id, customer_id, conversation_id
        HAVING start_ms >= {{.FromMs}} AND start_ms < {{.ToMs}}
    )
)
