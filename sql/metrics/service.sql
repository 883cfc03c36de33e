-- metrics.md §6 service per (date, shop_id, channel), over the day's
-- consultations: bot use, handoffs by reason, first-response times (kept
-- as values for exact percentiles), ratings, fallbacks and repeated
-- questions.
INSERT INTO metric_service (date, shop_id, channel, consultations, bot_consultations, bot_only, handoffs,
    handoff_customer_request, handoff_repeated_question, handoff_negative_sentiment, handoff_low_confidence,
    handoff_business_rule, handoff_other, frt_bot_ms, frt_human_ms, ratings, ratings_good, rating_sum,
    bot_messages, fallbacks, repeated)
SELECT date, shop_id, channel, count(), countIf(bot_msgs > 0), countIf(responder = 'bot_only'), countIf(handoffs > 0),
    sum(countEqual(handoff_reasons, 'customer_request')), sum(countEqual(handoff_reasons, 'repeated_question')),
    sum(countEqual(handoff_reasons, 'negative_sentiment')), sum(countEqual(handoff_reasons, 'low_confidence')),
    sum(countEqual(handoff_reasons, 'business_rule')), sum(countEqual(handoff_reasons, 'other')),
    arraySort(groupArrayIf(toUInt32(frt_bot_ms), frt_bot_ms >= 0)),
    arraySort(groupArrayIf(toUInt32(frt_human_ms), frt_human_ms >= 0)),
    sum(length(ratings)), sum(arrayCount(r -> r >= 4, ratings)), sum(arraySum(ratings)),
    sum(bot_msgs), sum(fallbacks), sum(repeated)
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id, channel
