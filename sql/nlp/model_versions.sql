-- status and metrics run (docs/nlp.md, "The labelling loop"): which NLP
-- model enriched the customer messages stored in a window, by distinct
-- event_id, with the time span each covers ('' = stored before the column
-- existed, or with NLP off). Arguments: window start and end, epoch seconds.
SELECT nlp_model, toUInt64(count()) AS messages, min(ts) AS first, max(ts) AS last
FROM (
    SELECT event_id, nlp_model, ts
    FROM messages
    WHERE ts >= toDateTime(?) AND ts < toDateTime(?) AND sender = 'customer'
    LIMIT 1 BY event_id
)
GROUP BY nlp_model
ORDER BY last DESC, nlp_model
