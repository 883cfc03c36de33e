-- summary_backfill: the days before the run's look-back (up to {{.Hi}})
-- whose consultation summary a job of the run reads, each with a flag
-- saying whether metric_consultations holds any row of it (run.go,
-- summaryBackfill): §14's 28-day fallback window (roi.sql: {{.RoiDays}}
-- days from {{.RoiLo}}) and, with the created anchor, the days around the
-- created day of each order first paid in the run (§2 candidates start in
-- [anchor − W, anchor]: gmv.sql, retention.sql), back to {{.OrderLo}}.
SELECT d, toUInt8(d IN (
        SELECT DISTINCT date FROM metric_consultations
        WHERE date >= toDate('{{.OrderLo}}') AND date <= toDate('{{.Hi}}')))
FROM (
    SELECT DISTINCT d FROM (
        SELECT toDate('{{.RoiLo}}') + number AS d FROM system.numbers LIMIT {{.RoiDays}}
{{- if .Created}}
        UNION ALL
        SELECT arrayJoin(arrayMap(k -> created_day - k, range({{.WDays}} + 1))) AS d
        FROM (
            SELECT DISTINCT toDate(toDateTime(intDiv(minIf(ts_ms, status = 'created'), 1000)), '{{.TZ}}') AS created_day
            FROM orders
            WHERE {{template "paid_orders" .}}
            GROUP BY shop_id, customer_id, order_id
            HAVING countIf(status = 'created') > 0
        )
{{- end}}
    )
    WHERE d >= toDate('{{.OrderLo}}') AND d <= toDate('{{.Hi}}')
)
ORDER BY d
