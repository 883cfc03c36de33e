-- metrics.md §7 roll-up: how often each masked question of a gap was asked.
SELECT {{.Keys}}
    sum(count) AS count
FROM metric_gap_questions
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
