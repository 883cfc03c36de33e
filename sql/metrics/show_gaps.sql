-- metrics.md §7 roll-up: unanswered questions per signature with their
-- examples, the intents and products they came with, and the masked
-- questions with their counts (the caller picks the most asked as label).
SELECT {{.Keys}}
    sum(count) AS count,
    groupArrayArray(examples) AS examples,
    groupArrayArray(intents) AS intents,
    groupArrayArray(intent_counts) AS intent_counts,
    groupArrayArray(products) AS products,
    groupArrayArray(product_counts) AS product_counts,
    groupArrayArray(questions) AS questions,
    groupArrayArray(question_counts) AS question_counts
FROM metric_gaps
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
