-- metrics.md §3 roll-up of stored counts and score sums.
SELECT {{.Keys}}
    sum(consultations) AS consultations,
    sum(negative) AS negative,
    sum(recovered) AS recovered,
    sum(customer_msgs) AS customer_msgs,
    sum(score_sum) AS score_sum
FROM metric_sentiment
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
