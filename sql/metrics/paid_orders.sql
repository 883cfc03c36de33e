-- paid_orders: the condition on the orders table that keeps every event of
-- the orders with a paid event in the statement's days ({{.FromSec}} ..
-- {{.ToSec}}) and of its buyer slice (buyer_slice): the orders §2 and §13
-- date by their paid day (gmv.sql, retention.sql) and whose created day
-- bounds their candidates (candidates_from.sql, summary_backfill.sql).
{{define "paid_orders"}}1{{template "buyer_slice" .}} AND (shop_id, customer_id, order_id) IN (
                SELECT shop_id, customer_id, order_id FROM orders
                PREWHERE ts >= toDateTime({{.FromSec}}) AND ts < toDateTime({{.ToSec}})
                WHERE status = 'paid'{{template "buyer_slice" .}}){{end}}
