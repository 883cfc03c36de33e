-- metrics.md §9: what a qa_violation alert shows, per shop and responder
-- for one day: the diversion and rude violations (dated by the
-- consultation's start), the first one's time and conversation, up to
-- five masked messages and the phrases found.
SELECT shop_id, responder, count() AS violations, min(ts_ms) AS first_ms,
    argMin(conversation_id, ts_ms) AS conversation_id,
    arraySlice(arrayMap(x -> x.2, arraySort(groupArray((ts_ms, evidence)))), 1, 5) AS evidence,
    arraySlice(arraySort(groupUniqArray(phrase)), 1, 5) AS phrases
FROM qa_violations
WHERE date = toDate(?) AND rule = 'forbidden_phrase' AND category IN ('diversion', 'rude')
GROUP BY shop_id, responder
