-- metrics.md §4 roll-up of touched and dropped consultations at one level.
SELECT {{.Keys}}
    sum(touched) AS touched,
    sum(dropped) AS dropped
FROM metric_dropoff
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}{{if .Level}} AND level = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
