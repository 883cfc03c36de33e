-- metrics.md §4 drop-off (高流失节点): a pre-sale consultation converted
-- when its buyer created an order in [start, start+W]; its last node is
-- the stage of its last staged customer message. touched counts
-- consultations with a message at a node, dropped the unconverted ones
-- whose last node it is; the same per intent and per (product_id, node),
-- the product being the first one the conversation names. All days
-- {{.From}}..{{.To}} share one read of the orders (every event of them,
-- so an order's created time never depends on the range; the join keeps
-- the consulting buyers' ones).
INSERT INTO metric_dropoff (date, shop_id, level, node, intent, product_id, touched, dropped)
SELECT date, shop_id, r.1, r.2, r.3, r.4, sum(r.5), sum(r.6)
FROM (
    SELECT date, shop_id, start_ms, product_id, o_created,
        arrayExists(c -> c >= start_ms AND c <= start_ms + {{.W}}, o_created) AS converted,
        arrayFilter((s, i) -> indexOf(stages, s) = i, stages, arrayEnumerate(stages)) AS nodes,
        arrayFilter((s, i) -> indexOf(stage_intents, s) = i, stage_intents, arrayEnumerate(stage_intents)) AS intents,
        stages[-1] AS last_node,
        stage_intents[-1] AS last_intent,
        arrayConcat(
            arrayMap(x -> ('node', x, '', '', toUInt64(1), toUInt64(NOT converted AND x = last_node)), nodes),
            arrayMap(x -> ('product', x, '', product_id, toUInt64(1), toUInt64(NOT converted AND x = last_node)), nodes),
            arrayMap(i -> ('intent', stages[indexOf(stage_intents, i)], i, '', toUInt64(1), toUInt64(NOT converted AND i = last_intent)), intents)
        ) AS rs
    FROM (
    SELECT date, shop_id, start_ms, stages, stage_intents, product_id, o_created
    FROM (
        SELECT date, shop_id, customer_id, start_ms, stages, stage_intents, product_id
        FROM metric_consultations
        WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND pre_sale = 1 AND notEmpty(stages){{template "buyer_slice" .}}
    )
    ANY LEFT JOIN (
        SELECT shop_id, customer_id, groupArray(created) AS o_created
        FROM (
            SELECT shop_id, customer_id, order_id,
                if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'),
                   if(countIf(status = 'paid') > 0, minIf(ts_ms, status = 'paid'), toInt64(-1))) AS created
            FROM orders
            PREWHERE status IN ('created', 'paid')
            WHERE 1{{template "buyer_slice" .}}
            GROUP BY shop_id, customer_id, order_id
        )
        GROUP BY shop_id, customer_id
    ) USING (shop_id, customer_id)
    )
)
ARRAY JOIN rs AS r
-- start_ms is named outside the lambdas so 18.16 keeps the column
WHERE start_ms > 0 AND length(product_id) >= 0 AND length(o_created) >= 0
GROUP BY date, shop_id, r.1, r.2, r.3, r.4
