-- metrics.md §9: one row per violation found by quality inspection. A batch
-- INSERT header: rows are appended through PrepareBatch.
INSERT INTO qa_violations (date, shop_id, customer_id, conversation_id, event_id, ts_ms,
    responder, rule, category, detail, intent, phrase, delay_ms, weight, evidence, violation_id)
