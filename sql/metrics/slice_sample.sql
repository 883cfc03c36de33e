-- A sample of the buyers of the days {{.Range.From}}..{{.Range.To}} (one
-- in {{.Every}} by hash) with their consultations, in sort order:
-- metrics/slices.go cuts it into buyer slices of about equal size.
SELECT shop_id, customer_id, count() AS n
FROM metric_consultations
WHERE date >= toDate('{{.Range.From}}') AND date <= toDate('{{.Range.To}}') AND cityHash64(customer_id) % {{.Every}} = 0
GROUP BY shop_id, customer_id
ORDER BY shop_id, customer_id
