-- nlp sample (docs/nlp.md, "The labelling loop"): the messages to label,
-- at most ? per predicted intent (the largest quota; Go trims each intent
-- to its own), drawn without replacement by weighted reservoir keys
-- (Efraimidis–Spirakis: key = ln(u) / w, the largest keys win) where u is
-- a uniform number from a hash of the event id, so the same window gives
-- the same sample, and w = 1.25 - confidence over-weights messages the
-- model was unsure of (nlp.SampleWeight). A text repeated in the window
-- (在吗, 好的) is drawn once per intent: labelling it twice teaches nothing.
-- order_referenced is the context the message was enriched with (an order
-- id on the message event: ingest's nlp.Context), so a labeller's row
-- trains with the context it was read in.
-- Arguments as sample_strata.sql, then the per-intent limit.
SELECT conversation_id, event_id, shop_id, ts_ms, text, intent, intent_confidence, nlp_model, order_referenced, sample_key
FROM (
    SELECT conversation_id, event_id, shop_id, ts_ms, text, intent, intent_confidence, nlp_model, order_referenced,
        log((cityHash64(event_id) % 9007199254740992 + 0.5) / 9007199254740992)
            / (1.25 - least(greatest(toFloat64(intent_confidence), 0.), 1.)) AS sample_key
    FROM (
        SELECT conversation_id, event_id, shop_id, ts_ms, text, intent, intent_confidence, nlp_model,
            order_id != '' AS order_referenced
        FROM messages
        WHERE ts >= toDateTime(?) AND ts < toDateTime(?)
          AND ts_ms >= ? AND ts_ms < ?
          AND (? = '' OR shop_id = ?)
          AND sender = 'customer' AND intent_source = 'model' AND text != ''
        LIMIT 1 BY event_id
    )
    ORDER BY sample_key DESC, event_id
    LIMIT 1 BY intent, text
)
ORDER BY intent, sample_key DESC, event_id
LIMIT ? BY intent
