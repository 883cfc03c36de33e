-- Test metric pre_sale roll-up: the stored counts summed over the keys.
SELECT {{.Keys}}
    sum(consultations) AS consultations,
    sum(pre_sale) AS pre_sale
FROM metric_pre_sale
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
