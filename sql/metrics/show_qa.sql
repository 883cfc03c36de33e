-- metrics.md §9 roll-up per responder: sums the stored counts; the caller
-- recomputes violation_rate and avg_qa_score from the sums.
SELECT {{.Keys}}
    sum(consultations) AS consultations,
    sum(messages_inspected) AS messages_inspected,
    sum(violations) AS violations,
    sum(violating_consultations) AS violating_consultations,
    sum(qa_score_sum) AS qa_score_sum,
    sum(forbidden_phrase) AS forbidden_phrase,
    sum(slow_reply) AS slow_reply,
    sum(slow_first_response) AS slow_first_response,
    sum(missed_takeover) AS missed_takeover,
    sum(left_unanswered) AS left_unanswered,
    sum(rude) AS rude,
    sum(absolute_claim) AS absolute_claim,
    sum(diversion) AS diversion,
    sum(inducement) AS inducement
FROM metric_qa
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
