-- metrics.md §7 roll-up: unanswered questions per signature with their
-- examples and the intents and products they came with.
SELECT {{.Keys}}
    sum(count) AS count,
    groupArrayArray(examples) AS examples,
    groupArrayArray(intents) AS intents,
    groupArrayArray(intent_counts) AS intent_counts,
    groupArrayArray(products) AS products,
    groupArrayArray(product_counts) AS product_counts
FROM metric_gaps
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
