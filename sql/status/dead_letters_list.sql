-- convintel deadletters (issue 14 item 8): the dead letters, newest first,
-- one row per delivery (source, location) however often it was re-delivered,
-- with the head of the raw bytes (masked when stored). Parameters: head
-- bytes, source twice and reason twice ('' = any), the earliest
-- received_at (epoch seconds), the row limit.
SELECT received_at, source, location, reason, detail, event_id, substring(raw, 1, ?) AS head, length(raw) AS raw_bytes
FROM dead_letters
WHERE (? = '' OR source = ?) AND (? = '' OR reason = ?) AND received_at >= toDateTime(?)
ORDER BY received_at DESC, source, location
LIMIT 1 BY source, location
LIMIT ?
