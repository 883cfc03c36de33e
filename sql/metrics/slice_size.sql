-- The consultations of the days {{.From}}..{{.To}}: the size that decides
-- how many buyer slices a buyer-joining job's statement is cut into
-- (metrics/slices.go).
SELECT count()
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
