-- metrics.md §7 knowledge gaps: how often each masked question of a gap
-- (an unanswered customer message, grouped by signature) was asked, dated
-- by the consultation's start; reports label a gap with the most asked.
INSERT INTO metric_gap_questions (date, shop_id, signature, question, count)
SELECT date, shop_id, sig, gt, count()
FROM metric_consultations
ARRAY JOIN gap_signatures AS sig, gap_texts AS gt
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id, sig, gt
