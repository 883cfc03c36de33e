-- metrics.md §9: every stored violation of the range with its latest
-- dispute verdict (申诉), most recent first within a day. GLOBAL: on a
-- cluster both tables are Distributed, and a distributed right side is
-- denied unless it is read once and shipped to the shards.
SELECT date, shop_id, conversation_id, event_id, ts_ms, responder, rule, category, detail, intent, phrase, delay_ms,
    toInt64(weight) AS weight, evidence, violation_id, dispute
FROM qa_violations
GLOBAL ANY LEFT JOIN (
    SELECT violation_id, argMax(status, decided_ms) AS dispute
    FROM qa_disputes
    GROUP BY violation_id
) USING (violation_id)
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
ORDER BY date, shop_id, ts_ms, rule, category, event_id
