-- The consultations of the days {{.From}}..{{.To}} in one buyer slice.
SELECT count()
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}'){{template "buyer_slice" .}}
