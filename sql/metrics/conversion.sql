-- metrics.md §1 consult-to-order conversion (询单转化) for the days
-- {{.From}}..{{.To}}: each consulting buyer's anchor on a day is their
-- first pre-sale consultation of that day (t0); their orders at that shop
-- are matched in [t0, t0+W] (created, final paid) and [t0, end of that day)
-- (same-day paid). An order's created time is its earliest created event,
-- else its earliest paid; its paid time and amount are those of its
-- earliest paid event. All days of the range share one read of the orders
-- (every event of them, so an order's earliest event never depends on the
-- range; the join keeps the consulting buyers' ones: orders are few, and
-- an IN over a million buyers costs more than it saves).
INSERT INTO metric_conversion (date, shop_id, channel, responder, consulting_buyers, ordered_buyers,
    same_day_paid_buyers, final_paid_buyers, final_paid_cents)
SELECT date, shop_id, channel, responder,
    count(), sum(ordered), sum(same_day), sum(final), sum(final_cents)
FROM (
    SELECT date, shop_id, customer_id, anchor.1 AS t0, anchor.3 AS channel, anchor.4 AS responder,
        toInt64(toUnixTimestamp(toDateTime(concat(toString(date + 1), ' 00:00:00'), '{{.TZ}}'))) * 1000 AS day_end,
        arrayExists(c -> c >= t0 AND c <= t0 + {{.W}}, o_created) AS ordered,
        arrayExists(p -> p >= t0 AND p < day_end, o_paid) AS same_day,
        arrayExists(p -> p >= t0 AND p <= t0 + {{.W}}, o_paid) AS final,
        arraySum(arrayMap((p, c) -> if(p >= t0 AND p <= t0 + {{.W}}, c, 0), o_paid, o_cents)) AS final_cents
    FROM (
    SELECT date, shop_id, customer_id, anchor, o_created, o_paid, o_cents
    FROM (
        SELECT date, shop_id, customer_id,
            arraySort(groupArray((start_ms, conversation_id, channel, responder)))[1] AS anchor
        FROM metric_consultations
        WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND pre_sale = 1{{template "buyer_slice" .}}
        GROUP BY date, shop_id, customer_id
    )
    ANY LEFT JOIN (
        SELECT shop_id, customer_id,
            groupArray(created) AS o_created, groupArray(paid) AS o_paid, groupArray(paid_cents) AS o_cents
        FROM (
            SELECT shop_id, customer_id, order_id,
                if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'),
                   if(countIf(status = 'paid') > 0, minIf(ts_ms, status = 'paid'), toInt64(-1))) AS created,
                if(countIf(status = 'paid') > 0, minIf(ts_ms, status = 'paid'), toInt64(-1)) AS paid,
                toInt64(argMinIf(toInt64(amount * 100), ts_ms, status = 'paid')) AS paid_cents
            FROM orders
            PREWHERE status IN ('created', 'paid')
            WHERE 1{{template "buyer_slice" .}}
            GROUP BY shop_id, customer_id, order_id
        )
        GROUP BY shop_id, customer_id
    ) USING (shop_id, customer_id)
    )
)
GROUP BY date, shop_id, channel, responder
