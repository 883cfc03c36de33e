-- metrics.md §9: the qa_violation alert's series for one day: per shop and
-- responder, the diversion and rude violations (dated by the
-- consultation's start), the earliest one's time, up to five masked
-- messages and the phrases found.
SELECT shop_id, responder, count() AS violations, min(ts_ms) AS first_ms,
    arraySlice(arrayMap(x -> x.2, arraySort(groupArray((ts_ms, evidence)))), 1, 5) AS evidence,
    arraySlice(arrayMap(x -> x.2, arraySort(groupArray((ts_ms, conversation_id)))), 1, 1) AS conversations,
    arraySlice(arraySort(groupUniqArray(phrase)), 1, 5) AS phrases
FROM qa_violations
WHERE date = toDate(?) AND rule = 'forbidden_phrase' AND category IN ('diversion', 'rude')
GROUP BY shop_id, responder
ORDER BY shop_id, responder
