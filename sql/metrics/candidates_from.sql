-- candidates_from: the first day whose consultations can be §2
-- attribution candidates of the orders first paid in the statement's days
-- (gmv.sql, retention.sql). A candidate starts in [anchor − W, anchor],
-- and with the created anchor an order paid today may have been created
-- weeks ago (a 双11 pre-sale deposit): the bound is W before the earliest
-- created event of those orders, not W before the first day, so the rows
-- of a day do not depend on which days a run or a rerun started from.
-- (2 W: a margin for the day cut in the zone.)
{{define "candidates_from"}}toDate(toDateTime(intDiv({{if eq .Anchor "created"}}least(toInt64({{.FromMs}}), (
            SELECT if(count() = 0, toInt64({{.FromMs}}), toInt64(min(ts_ms))) FROM orders
            PREWHERE status = 'created'
            WHERE {{template "paid_orders" .}}))
        {{- else}}toInt64({{.FromMs}}){{end}} - 2 * {{.W}}, 1000)), '{{.TZ}}'){{end}}
