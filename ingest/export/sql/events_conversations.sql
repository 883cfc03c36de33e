-- Export "events", conversation_started and conversation_ended: contract
-- fields of every stored event with ts_ms in [?, ?), one row per event_id.
SELECT event_id, type, ts_ms, shop_id, customer_id, channel, conversation_id,
       product_id, resolved, extra, experiment, variant
FROM conversations
WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?
ORDER BY ts_ms, event_id
LIMIT 1 BY event_id
