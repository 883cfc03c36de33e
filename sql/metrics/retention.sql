-- metrics.md §13 retention (复购与沉默客户激活) for the orders first paid on
-- {{.From}}..{{.To}}, each dated by its paid day t (its earliest paid
-- event; amount: that event's). A paid order is a repurchase when the
-- buyer had another order first paid at the shop in [t − {{.LookbackDays}} d, t);
-- it is a reactivation when the latest of those was more than
-- {{.SilentDays}} d before t (exactly {{.SilentDays}} d is not silent). The
-- buyer's earlier orders are read from the raw orders table, all of them,
-- so an imported order history counts from the first day computed.
-- Bot-guided: an order §2 credits (wholly or, with linear, in part) to
-- the bot bucket, with §2's anchor, candidates (answered pre-sale
-- consultations in [anchor − W, anchor]) and model ({{.Model}}), as gmv.sql
-- does; its GMV is the bot's part. Whether it is bot-guided never depends
-- on the amount: a 0.00 order (free sample) the bot is credited with is a
-- bot-guided repurchase and, from a silent buyer, a bot reactivation.
INSERT INTO metric_retention (date, shop_id, paid_orders, paid_cents, repurchase_orders, repurchase_cents,
    bot_guided_repurchase_orders, bot_guided_repurchase_cents, reactivated_buyers, bot_reactivated_buyers)
SELECT date, shop_id, count(), sum(paid_cents), sum(repurchase), sum(if(repurchase = 1, paid_cents, 0)),
    sum(repurchase * bot), sum(if(repurchase = 1, bot_cents, 0)),
    uniqExactIf(customer_id, reactivated = 1), uniqExactIf(customer_id, reactivated = 1 AND bot = 1)
FROM (
    SELECT date, shop_id, customer_id, paid_cents, repurchase, reactivated, anchor,
        arrayFilter(c -> c.1 >= anchor - {{.W}} AND c.1 <= anchor, cs) AS cands,
        {{if eq .Model "last_touch"}}arraySlice(cands, -1, 1){{else if eq .Model "first_touch"}}arraySlice(cands, 1, 1){{else}}cands{{end}} AS credited,
        length(credited) AS n,
        toUInt8(arrayExists(c -> c.3 = 'bot_only', credited)) AS bot,
        toInt64(arraySum(arrayMap((c, i) -> if(c.3 = 'bot_only',
            intDiv(paid_cents, greatest(n, 1)) + if(i <= paid_cents % greatest(n, 1), 1, 0), 0),
            credited, arrayEnumerate(credited)))) AS bot_cents
    FROM (
        SELECT toDate(toDateTime(intDiv(paid, 1000)), '{{.TZ}}') AS date, shop_id, customer_id, paid, paid_cents,
            {{if eq .Anchor "created"}}if(created >= 0, created, paid){{else}}paid{{end}} AS anchor,
            arrayFilter(p -> p >= paid - {{.LookbackMs}} AND p < paid, all_paid) AS earlier,
            toUInt8(length(earlier) > 0) AS repurchase,
            toUInt8(length(earlier) > 0 AND paid - arrayReduce('max', earlier) > {{.SilentMs}}) AS reactivated
        FROM (
            SELECT shop_id, customer_id, order_id,
                if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'), toInt64(-1)) AS created,
                minIf(ts_ms, status = 'paid') AS paid,
                toInt64(argMinIf(toInt64(amount * 100), ts_ms, status = 'paid')) AS paid_cents
            FROM orders
            WHERE {{template "paid_orders" .}}
            GROUP BY shop_id, customer_id, order_id
            HAVING countIf(status = 'paid') > 0 AND paid >= {{.FromMs}} AND paid < {{.ToMs}}
        )
        ANY LEFT JOIN (
            SELECT shop_id, customer_id, groupArray(first_paid) AS all_paid
            FROM (
                SELECT shop_id, customer_id, order_id, minIf(ts_ms, status = 'paid') AS first_paid
                FROM orders
                PREWHERE status = 'paid'
                WHERE 1{{template "buyer_slice" .}} AND (shop_id, customer_id) IN (
                    SELECT shop_id, customer_id FROM orders
                    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts < toDateTime({{.ToSec}})
                    WHERE status = 'paid'{{template "buyer_slice" .}})
                GROUP BY shop_id, customer_id, order_id
            )
            GROUP BY shop_id, customer_id
        ) USING (shop_id, customer_id)
    )
    ANY LEFT JOIN (
        SELECT shop_id, customer_id, arraySort(groupArray((start_ms, conversation_id, responder))) AS cs
        FROM metric_consultations
        WHERE date >= {{template "candidates_from" .}} AND date <= toDate('{{.To}}')
            AND pre_sale = 1 AND responder != 'unanswered'{{template "buyer_slice" .}}
        GROUP BY shop_id, customer_id
    ) USING (shop_id, customer_id)
)
-- anchor is named outside the lambdas so 18.16 keeps the column
WHERE anchor > 0
GROUP BY date, shop_id
