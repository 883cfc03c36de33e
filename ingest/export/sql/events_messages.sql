-- Export "events", message family: the contract fields of every stored
-- message event whose ts_ms falls in [?, ?), one row per event_id
-- (docs/import-export.md). The ts bounds only prune partitions.
SELECT event_id, ts_ms, shop_id, customer_id, channel, conversation_id, message_id,
       sender, agent_id, text, product_id, order_id, intent, intent_source,
       intent_confidence, bot_fallback, topics, sentiment_score, sentiment_label,
       signature, extra, experiment, variant
FROM messages
WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?
ORDER BY ts_ms, event_id
LIMIT 1 BY event_id
