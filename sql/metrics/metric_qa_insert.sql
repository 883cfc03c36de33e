-- metrics.md §9: the day's quality-inspection aggregates per shop and
-- responder. A batch INSERT header: rows are appended through PrepareBatch.
INSERT INTO metric_qa (date, shop_id, responder, consultations, messages_inspected, violations,
    violating_consultations, qa_score_sum, forbidden_phrase, slow_reply, slow_first_response, missed_takeover, left_unanswered,
    rude, absolute_claim, diversion, inducement, replies_within_sla, reply_ms, first_response_ms, ratings, ratings_good)
