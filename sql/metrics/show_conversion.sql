-- metrics.md §1 roll-up: sums the stored counts; rates are recomputed by
-- the caller from these sums, never averaged.
SELECT {{.Keys}}
    sum(consulting_buyers) AS consulting_buyers,
    sum(ordered_buyers) AS ordered_buyers,
    sum(same_day_paid_buyers) AS same_day_paid_buyers,
    sum(final_paid_buyers) AS final_paid_buyers,
    sum(final_paid_cents) AS final_paid_cents
FROM metric_conversion
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
