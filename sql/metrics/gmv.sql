-- metrics.md §2 bot-attributed GMV (客服销售额 / 机器人贡献GMV) for the
-- orders first paid on the days {{.From}}..{{.To}}, each dated by its paid day: the anchor is the order's created time
-- (or its payment, per attribution_anchor; an order without created uses
-- its payment); candidates are the buyer's answered pre-sale consultations
-- starting in [anchor − W, anchor], credited by the attribution model.
-- Linear splits the amount in cents so the parts add up exactly. The human
-- bucket is split by the agent of the credited consultation's last agent
-- message strictly before the anchor (metrics.md "Precise readings", §10). Every event of the order is read (its
-- earliest created and paid never depend on the range); refunds count
-- whenever they came.
INSERT INTO metric_gmv (date, shop_id, bucket, agent_id, orders, gmv_cents, refunded_cents)
SELECT toDate(toDateTime(intDiv(paid, 1000)), '{{.TZ}}') AS date, shop_id, cr.1, cr.2, uniqExact(order_id), sum(cr.3), sum(cr.4)
FROM (
    SELECT shop_id, order_id, paid, anchor, paid_cents, refunded_cents,
        arrayFilter(c -> c.1 >= anchor - {{.W}} AND c.1 <= anchor, cs) AS cands,
        {{if eq .Model "last_touch"}}arraySlice(cands, -1, 1){{else if eq .Model "first_touch"}}arraySlice(cands, 1, 1){{else}}cands{{end}} AS credited,
        length(credited) AS n,
        if(n = 0, [('unattributed', '', paid_cents, refunded_cents)],
            arrayMap((c, i) -> (
                if(c.3 = 'bot_only', 'bot', 'human'),
                if(c.3 = 'bot_only', '', arrayFirst((a, t) -> t < anchor, arrayReverse(c.5), arrayReverse(c.4))),
                toInt64(intDiv(paid_cents, greatest(n, 1)) + if(i <= paid_cents % greatest(n, 1), 1, 0)),
                toInt64(intDiv(refunded_cents, greatest(n, 1)) + if(i <= refunded_cents % greatest(n, 1), 1, 0))),
                credited, arrayEnumerate(credited))) AS credits
    FROM (
    SELECT shop_id, order_id, paid, anchor, paid_cents, refunded_cents, cs
    FROM (
      SELECT shop_id, customer_id, order_id, paid, paid_cents, refunded_cents,
        {{if eq .Anchor "created"}}if(created >= 0, created, paid){{else}}paid{{end}} AS anchor
      FROM (
        SELECT shop_id, customer_id, order_id,
            if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'), toInt64(-1)) AS created,
            minIf(ts_ms, status = 'paid') AS paid,
            toInt64(argMinIf(cents, ts_ms, status = 'paid')) AS paid_cents,
            toInt64(sumIf(cents, status = 'refunded')) AS refunded_cents
        FROM (
            SELECT shop_id, customer_id, order_id, ts_ms, status, toInt64(amount * 100) AS cents
            FROM orders
            WHERE {{template "paid_orders" .}}
            LIMIT 1 BY event_id
        )
        GROUP BY shop_id, customer_id, order_id
        HAVING countIf(status = 'paid') > 0 AND paid >= {{.FromMs}} AND paid < {{.ToMs}}
      )
    )
    ANY LEFT JOIN (
        SELECT shop_id, customer_id,
            arraySort(groupArray((start_ms, conversation_id, responder, agent_ts, agent_ids))) AS cs
        FROM metric_consultations
        WHERE date >= {{template "candidates_from" .}} AND date <= toDate('{{.To}}')
            AND pre_sale = 1 AND responder != 'unanswered'{{template "buyer_slice" .}}
        GROUP BY shop_id, customer_id
    ) USING (shop_id, customer_id)
    )
)
ARRAY JOIN credits AS cr
-- anchor is named outside the lambdas so 18.16 keeps the column
WHERE anchor > 0 AND paid_cents >= 0 AND refunded_cents >= 0
GROUP BY date, shop_id, cr.1, cr.2
