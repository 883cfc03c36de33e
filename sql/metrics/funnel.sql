-- metrics.md §5 funnel for the days {{.From}}..{{.To}}: for each buyer with
-- a pre-sale consultation starting on a day (anchor t0: their first one of
-- that day), the buyer's customer messages (by stage) and orders (created,
-- paid) in [t0, t0+W] are collected with ms times relative to t0. Step k
-- is reached when the chain of required steps before it plus k happens in
-- order (windowFunnel(W) semantics: with every event inside [t0, t0+W] the
-- window always holds, so the chain is matched greedily, see
-- metrics/funnel.go); times_ms is the time from t0 to the step as the
-- chain reached it (its link time: a price question asked before any
-- product question does not reach the price step), times_s the same in
-- whole seconds. Messages are read once for the range and meet
-- every anchor of their buyer in the join (no IN over the buyers: a set of
-- a million buyers costs more than streaming the messages past the join); a re-delivered message changes neither a
-- chain nor a first time, so they are not deduplicated.
INSERT INTO metric_funnel (date, shop_id, step, step_name, buyers, times_s, times_ms)
SELECT date, shop_id, step, step_name, buyers, arrayMap(x -> toUInt32(intDiv(x, 1000)), times_ms), times_ms
FROM (
SELECT date, shop_id, st.1 AS step, st.2 AS step_name, sum(st.3) AS buyers, arraySort(groupArrayIf(st.4, st.3 = 1)) AS times_ms
FROM (
    SELECT date, shop_id, customer_id,
        {{range .Steps}}{{.ReachSQL}},
        {{end}}[{{range $i, $s := .Steps}}{{if $i}}, {{end}}(toUInt8({{$s.Index}}), '{{$s.Name}}', toUInt8({{$s.Reached}} != 4294967295),
            toUInt32({{$s.Reached}})){{end}}] AS steps
    FROM (
    SELECT date, shop_id, customer_id, groupArray(rel) AS rels, groupArray(kind) AS kinds, groupArray(stage) AS stages
    FROM (
        SELECT date, shop_id, customer_id, kind, stage, toUInt32(ts_ms - t0) AS rel
        FROM (
            SELECT shop_id, customer_id, 'msg' AS kind, ts_ms,
                transform(intent, ['product_info', 'size_fit', 'stock', 'price_promo', 'shipping_fee', 'delivery_time', 'payment'],
                    ['product', 'product', 'product', 'price', 'shipping', 'shipping', 'payment'], '') AS stage
            FROM messages
            PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.HiSec}})
            WHERE sender = 'customer'{{template "buyer_slice" .}}
            UNION ALL
            SELECT shop_id, customer_id, ev.1 AS kind, ev.2 AS ts_ms, '' AS stage
            FROM (
                SELECT shop_id, customer_id, order_id,
                    if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'),
                       if(countIf(status = 'paid') > 0, minIf(ts_ms, status = 'paid'), toInt64(-1))) AS created,
                    if(countIf(status = 'paid') > 0, minIf(ts_ms, status = 'paid'), toInt64(-1)) AS paid
                FROM orders
                PREWHERE status IN ('created', 'paid')
                WHERE 1{{template "buyer_slice" .}}
                GROUP BY shop_id, customer_id, order_id
            )
            ARRAY JOIN [('created', created), ('paid', paid)] AS ev
            WHERE ev.2 >= 0
        )
        ALL INNER JOIN (
            SELECT date, shop_id, customer_id, min(start_ms) AS t0
            FROM metric_consultations
            WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND pre_sale = 1{{template "buyer_slice" .}}
            GROUP BY date, shop_id, customer_id
        ) USING (shop_id, customer_id)
        WHERE ts_ms >= t0 AND ts_ms <= t0 + {{.W}}
    )
    GROUP BY date, shop_id, customer_id
    )
    -- the arrays are named outside the lambdas so 18.16 keeps them
    WHERE length(rels) = length(kinds) AND length(stages) = length(rels)
)
ARRAY JOIN steps AS st
GROUP BY date, shop_id, st.1, st.2
)
