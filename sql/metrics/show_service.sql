-- metrics.md §6 roll-up: counts and the first-response times of every
-- consultation (the caller takes exact percentiles).
SELECT {{.Keys}}
    sum(consultations) AS consultations,
    sum(bot_consultations) AS bot_consultations,
    sum(bot_only) AS bot_only,
    sum(handoffs) AS handoffs,
    sum(handoff_customer_request) AS handoff_customer_request,
    sum(handoff_repeated_question) AS handoff_repeated_question,
    sum(handoff_negative_sentiment) AS handoff_negative_sentiment,
    sum(handoff_low_confidence) AS handoff_low_confidence,
    sum(handoff_business_rule) AS handoff_business_rule,
    sum(handoff_other) AS handoff_other,
    groupArrayArray(frt_bot_ms) AS frt_bot_ms,
    groupArrayArray(frt_human_ms) AS frt_human_ms,
    sum(ratings) AS ratings,
    sum(ratings_good) AS ratings_good,
    sum(rating_sum) AS rating_sum,
    sum(bot_messages) AS bot_messages,
    sum(fallbacks) AS fallbacks,
    sum(repeated) AS repeated
FROM metric_service
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
