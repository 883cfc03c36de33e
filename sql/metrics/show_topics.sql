-- metrics.md §8 topic_surge series roll-up: customer messages per topic
-- and product.
SELECT {{.Keys}}
    sum(messages) AS messages
FROM metric_topics
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
