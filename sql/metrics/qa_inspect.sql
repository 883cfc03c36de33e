-- metrics.md §9 quality inspection (智能质检), the rules that depend on the
-- order of events: slow_reply, slow_first_response, missed_takeover and
-- left_unanswered, plus the reply and first-response delays §10 reports.
-- One row per consultation starting in [{{.FromMs}}, {{.ToMs}}), with its
-- bot/agent messages (for the phrase rule, matched in Go on NFKC text) and
-- its rule violations. Read by metrics/qa.go, which adds the phrase
-- violations, scores and stores.
--
-- Events are grouped, sorted by (ts_ms, event_id), deduplicated and cut
-- to W around the start day exactly as consultations.sql does, so the
-- consultations and their responders agree with metric_consultations.
-- "After" and "before" are positions in that order. Every array step is
-- linear: running counts (arrayCumSum) index small arrays.
--
-- Replies: a bot/agent message is a reply when a customer message came
-- after the previous bot/agent message; with resp_n the running count of
-- bot/agent messages, the latest customer message before it (number cust_n)
-- then has resp_n one less, and the delay runs from the first customer
-- message of that group (g_ts). First responses work the same way with
-- agent messages and handoffs. Service hours are judged at the customer
-- message (at the handoff) in the shop's local time of day.
--
-- Bound arguments, in order: per-shop tables (shops, then values) for the
-- opening, closing, reply SLA and first-response SLA; each table's first
-- entry is the shared setting under an impossible shop_id ''.
SELECT
    toDate(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}') AS date, shop_id, customer_id, conversation_id, start_ms,
    m_ids, m_ts, m_resp, m_text,
    v.1 AS v_rule, v.2 AS v_event, v.3 AS v_ts, v.4 AS v_resp, v.5 AS v_detail, v.6 AS v_delay, v.7 AS v_text, v.8 AS v_intent,
    rp_resp, rp_ms, fr_resp, fr_ms, last_resp, ratings
FROM (
    SELECT shop_id, customer_id, conversation_id, start_ms,
        arrayElement(?, greatest(indexOf(?, shop_id), 1)) AS open_ms,
        arrayElement(?, greatest(indexOf(?, shop_id), 1)) AS close_ms,
        arrayElement(?, greatest(indexOf(?, shop_id), 1)) AS reply_sla,
        arrayElement(?, greatest(indexOf(?, shop_id), 1)) AS first_sla,
        -- ev: (1 ts_ms, 2 event_id, 3 kind, 4 agent_id, 5 counted intent, 6 negative, 7 text, 8 rating)
        arraySort(raw) AS sorted,
        toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}'))) * 1000 - {{.W}} AS lo_ms,
        toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(start_ms, 1000) + 129600), '{{.TZ}}'))) * 1000 + {{.W}} AS hi_ms,
        arrayMap((t, e, prev) -> e != prev AND t >= lo_ms AND t < hi_ms,
            sorted.1, sorted.2, arrayPopBack(arrayPushFront(sorted.2, ''))) AS keep,
        arrayFilter((x, k) -> k, sorted, keep) AS ev,
        ev.1 AS ts, ev.2 AS ids, ev.3 AS kind, ev.5 AS counted_all, ev.6 AS neg_all, ev.7 AS texts,
        arrayEnumerate(kind) AS pos,
        arrayMap((k, w) -> if(k = 'bot', 'bot', if(k = 'agent', w, '')), kind, ev.4) AS resp,
        -- local time of day and whether it is inside the shop's service hours
        arrayMap(t -> toUInt8(if(open_ms = close_ms, 1,
            if(open_ms < close_ms,
                (t - toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(t, 1000)), '{{.TZ}}'))) * 1000) >= open_ms
                    AND (t - toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(t, 1000)), '{{.TZ}}'))) * 1000) < close_ms,
                (t - toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(t, 1000)), '{{.TZ}}'))) * 1000) >= open_ms
                    OR (t - toInt64(toUnixTimestamp(toStartOfDay(toDateTime(intDiv(t, 1000)), '{{.TZ}}'))) * 1000) < close_ms))), ts) AS inh,
        -- the bot/agent messages, inspected for phrases in Go
        arrayFilter(r -> r != '', resp) AS m_resp,
        arrayFilter((e, r) -> r != '', ids, resp) AS m_ids,
        arrayFilter((t, r) -> r != '', ts, resp) AS m_ts,
        arrayFilter((x, r) -> r != '', texts, resp) AS m_text,
        -- replies
        arrayCumSum(arrayMap(r -> toUInt32(r != ''), resp)) AS resp_n,
        arrayCumSum(arrayMap(k -> toUInt32(k = 'customer'), kind)) AS cust_n,
        arrayFilter((p, k) -> k = 'customer', pos, kind) AS c_pos,
        arrayMap(p -> ts[p], c_pos) AS c_ts,
        arrayMap(p -> resp_n[p], c_pos) AS c_rn,
        arrayMap((r, prev) -> toUInt32(r != prev), c_rn, arraySlice(arrayPushFront(c_rn, toUInt64(-1)), 1, length(c_rn))) AS c_first,
        arrayCumSum(c_first) AS c_first_cum,
        arrayFilter((p, f) -> f = 1, c_pos, c_first) AS g_pos,
        arrayMap(p -> if(resp[p] != '' AND cust_n[p] > 0 AND c_rn[cust_n[p]] + 1 = resp_n[p],
            g_pos[c_first_cum[cust_n[p]]], 0), pos) AS reply_from,
        arrayFilter(p -> reply_from[p] > 0 AND inh[reply_from[p]] = 1, pos) AS rp_pos,
        arrayMap(p -> resp[p], rp_pos) AS rp_resp,
        arrayMap(p -> toUInt32(ts[p] - ts[reply_from[p]]), rp_pos) AS rp_ms,
        -- first agent message after a handoff (the first handoff since the previous agent message)
        arrayCumSum(arrayMap(k -> toUInt32(k = 'agent'), kind)) AS ag_n,
        arrayCumSum(arrayMap(k -> toUInt32(k = 'handoff'), kind)) AS ho_n,
        arrayFilter((p, k) -> k = 'handoff', pos, kind) AS h_pos,
        arrayMap(p -> ag_n[p], h_pos) AS h_an,
        arrayMap((a, prev) -> toUInt32(a != prev), h_an, arraySlice(arrayPushFront(h_an, toUInt64(-1)), 1, length(h_an))) AS h_first,
        arrayCumSum(h_first) AS h_first_cum,
        arrayFilter((p, f) -> f = 1, h_pos, h_first) AS hg_pos,
        arrayMap(p -> if(kind[p] = 'agent' AND ho_n[p] > 0 AND h_an[ho_n[p]] + 1 = ag_n[p],
            hg_pos[h_first_cum[ho_n[p]]], 0), pos) AS first_from,
        arrayFilter(p -> first_from[p] > 0 AND inh[first_from[p]] = 1, pos) AS fr_pos,
        arrayMap(p -> resp[p], fr_pos) AS fr_resp,
        arrayMap(p -> toUInt32(ts[p] - ts[first_from[p]]), fr_pos) AS fr_ms,
        -- 紧急接管: customer messages before the first agent message or handoff
        arrayFirstIndex(k -> k = 'agent' OR k = 'handoff', kind) AS take_idx,
        ts[take_idx] AS take_ts,
        arrayMap(p -> counted_all[p], c_pos) AS c_counted,
        arrayEnumerateUniq(c_counted) AS c_occ,
        arrayMap(p -> neg_all[p], c_pos) AS c_neg,
        arraySlice(arrayPushFront(c_neg, toUInt8(0)), 1, length(c_neg)) AS c_prev_neg,
        -- the position of each customer message's next customer message (0: none):
        -- "before the buyer's next message" is a position, like every "before"
        arrayPushBack(arrayPopFront(c_pos), toUInt32(0)) AS c_next_pos,
        arrayFilter(k -> has(kind, 'bot') AND (take_idx = 0 OR c_pos[k] < take_idx)
                AND ((c_counted[k] != '' AND c_occ[k] = 3) OR (c_neg[k] = 1 AND c_prev_neg[k] = 1))
                AND NOT (take_idx > 0 AND take_ts <= c_ts[k] + {{.TakeoverMs}} AND (c_next_pos[k] = 0 OR take_idx < c_next_pos[k])),
            arrayEnumerate(c_pos)) AS mt_k,
        -- the last customer message and the last bot/agent message
        c_pos[-1] AS last_c,
        arrayFilter((p, r) -> r != '', pos, resp) AS r_pos,
        if(length(r_pos) > 0, resp[r_pos[-1]], 'unassigned') AS last_resp,
        arrayConcat(
            -- (1 rule, 2 event, 3 ts, 4 responder, 5 detail, 6 delay, 7 text, 8 the intent asked a third time)
            arrayMap(p -> ('slow_reply', ids[p], ts[p], resp[p], '', ts[p] - ts[reply_from[p]], texts[p], ''),
                arrayFilter(p -> kind[p] = 'agent' AND ts[p] - ts[reply_from[p]] > reply_sla, rp_pos)),
            arrayMap(p -> ('slow_first_response', ids[p], ts[p], resp[p], '', ts[p] - ts[first_from[p]], texts[p], ''),
                arrayFilter(p -> ts[p] - ts[first_from[p]] > first_sla, fr_pos)),
            arrayMap(k -> ('missed_takeover', ids[c_pos[k]], c_ts[k], 'bot',
                    multiIf(c_counted[k] != '' AND c_occ[k] = 3 AND c_neg[k] = 1 AND c_prev_neg[k] = 1, 'repeated_question+negative_sentiment',
                        c_counted[k] != '' AND c_occ[k] = 3, 'repeated_question', 'negative_sentiment'),
                    toInt64(0), texts[c_pos[k]], if(c_counted[k] != '' AND c_occ[k] = 3, c_counted[k], '')), mt_k),
            arrayMap(p -> ('left_unanswered', ids[p], ts[p], last_resp, '', toInt64(0), texts[p], ''),
                arrayFilter(p -> resp_n[-1] = resp_n[p] AND inh[p] = 1, [last_c]))
        ) AS v,
        arrayFilter((s, k) -> k = 'rating', ev.8, kind) AS ratings
    FROM (
        SELECT shop_id, customer_id, conversation_id,
            minIf(ts_ms, kind = 'customer') AS start_ms,
            groupArray((ts_ms, event_id, kind, who, counted, negative, text, score)) AS raw
        FROM (
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, sender AS kind, agent_id AS who,
                if(sender = 'customer' AND intent NOT IN ('', 'greeting', 'thanks_bye', 'other'), intent, '') AS counted,
                toUInt8(sender = 'customer' AND sentiment_label = 'negative') AS negative,
                text, toUInt8(0) AS score
            FROM messages
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'handoff' AS kind, agent_id AS who,
                materialize('') AS counted, materialize(toUInt8(0)) AS negative, materialize('') AS text, materialize(toUInt8(0)) AS score
            FROM handoffs
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
            UNION ALL
            SELECT shop_id, customer_id, conversation_id, ts_ms, event_id, 'rating' AS kind, materialize('') AS who,
                materialize('') AS counted, materialize(toUInt8(0)) AS negative, materialize('') AS text, score
            FROM ratings
            PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
        )
        GROUP BY shop_id, customer_id, conversation_id
        HAVING start_ms >= {{.FromMs}} AND start_ms < {{.ToMs}}
    )
)
