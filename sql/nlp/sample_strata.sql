-- nlp sample (docs/nlp.md, "The labelling loop"): the customer messages
-- whose intent the model predicted in the window, per predicted intent,
-- counted by distinct event_id. Arguments: window start and end as epoch
-- seconds (partition pruning) and epoch milliseconds (exact bounds), shop
-- ('' = every shop).
SELECT intent, toUInt64(count()) AS messages
FROM (
    SELECT event_id, intent
    FROM messages
    WHERE ts >= toDateTime(?) AND ts < toDateTime(?)
      AND ts_ms >= ? AND ts_ms < ?
      AND (? = '' OR shop_id = ?)
      AND sender = 'customer' AND intent_source = 'model' AND text != ''
    LIMIT 1 BY event_id
)
GROUP BY intent
ORDER BY intent
