-- Export "events", rating: contract fields of every stored rating with
-- ts_ms in [?, ?), one row per event_id.
SELECT event_id, ts_ms, shop_id, customer_id, channel, conversation_id, score, extra
FROM ratings
WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?
ORDER BY ts_ms, event_id
LIMIT 1 BY event_id
