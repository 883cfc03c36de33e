-- metrics.md §5 roll-up: buyers per step and every reaching buyer's time
-- to the step in ms (the caller takes the exact median).
SELECT {{.Keys}}
    any(step_name) AS step_name,
    sum(buyers) AS buyers,
    groupArrayArray(times_ms) AS times_ms
FROM metric_funnel
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
