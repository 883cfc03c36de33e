-- Export "events", handoff: contract fields of every stored handoff with
-- ts_ms in [?, ?), one row per event_id.
SELECT event_id, ts_ms, shop_id, customer_id, channel, conversation_id, reason,
       agent_id, extra
FROM handoffs
WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?
ORDER BY ts_ms, event_id
LIMIT 1 BY event_id
