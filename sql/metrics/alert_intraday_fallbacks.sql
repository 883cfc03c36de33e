-- metrics.md §8 evidence for the hourly evaluation's fallback_spike: up
-- to 5 masked questions per shop the bot answered with a fallback (the
-- customer message right before a fallback), from the last hours of the
-- day so far ({{.FromMs}}..{{.CutoffMs}} ms: what buyers hit now). Read
-- only when such an alert fires, for the firing shops (@shops, bound to a
-- tuple of shop ids), and only the 50 latest conversations with a fallback
-- per shop are grouped: five examples need no more, and the cost stays
-- flat however many buyers the shop has.
SELECT 'fallback_spike' AS rule, shop_id, '' AS product_id, '' AS topic, arraySlice(arraySort(groupUniqArrayArray(asked)), 1, 5) AS evidence
FROM (
    SELECT shop_id, arraySort(groupArray((ts_ms, sender, bot_fallback, text))) AS ev,
        arrayPushBack(arrayPopFront(ev.2), '') AS next_sender,
        arrayPushBack(arrayPopFront(ev.3), toUInt8(0)) AS next_fallback,
        arrayFilter((t, s, ns, nf) -> s = 'customer' AND ns = 'bot' AND nf = 1, ev.4, ev.2, next_sender, next_fallback) AS asked
    FROM messages
    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
    WHERE shop_id IN @shops AND ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}}
        AND (shop_id, customer_id, conversation_id) IN (
            SELECT shop_id, customer_id, conversation_id
            FROM messages
            PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
            WHERE shop_id IN @shops AND ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}} AND bot_fallback = 1
            ORDER BY ts_ms DESC, event_id
            LIMIT 50 BY shop_id)
    GROUP BY shop_id, customer_id, conversation_id
    HAVING max(bot_fallback) = 1
)
GROUP BY shop_id
