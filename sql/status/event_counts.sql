-- Status (convintel status): events stored per contract
-- type, counted as distinct event_id so re-delivered events count once.
SELECT 'message' AS type, uniqExact(event_id) FROM messages
UNION ALL SELECT type, uniqExact(event_id) FROM conversations GROUP BY type
UNION ALL SELECT 'handoff', uniqExact(event_id) FROM handoffs
UNION ALL SELECT 'rating', uniqExact(event_id) FROM ratings
UNION ALL SELECT 'order', uniqExact(event_id) FROM orders
