-- metrics.md §8 "Alerts v2", money at stake: per day {{.From}}..{{.To}}
-- the pre-sale consultations and how many converted (the buyer created an
-- order in [start, start+W], as §4), split by the issue each rule watches:
-- fallback (per shop, flagged = the bot fell back), negative (per product,
-- flagged = negative), product (per product, every consultation), topic
-- (per product and topic: the consultations that asked it), node (per
-- funnel node: consultations that touched it and did not drop there). The
-- orders are read once for the range, every event of them, as dropoff.sql.
INSERT INTO metric_alert_money (date, shop_id, kind, product_id, topic, node, consultations, converted, flagged, flagged_converted)
SELECT date, shop_id, r.1, r.2, r.3, r.4, count(), sum(r.6), sum(r.5), sum(r.5 * r.6)
FROM (
    SELECT date, shop_id,
        toUInt64(arrayExists(c -> c >= start_ms AND c <= start_ms + {{.W}}, o_created)) AS conv,
        arrayFilter((s, i) -> indexOf(stages, s) = i, stages, arrayEnumerate(stages)) AS nodes,
        stages[-1] AS last_node,
        arrayFilter(p -> p.1 != '', arrayReduce('groupUniqArrayArray',
            arrayMap((tl, tp) -> arrayMap(t -> (tp, t), tl), topic_lists, topic_products))) AS asked,
        arrayConcat(
            [('fallback', '', '', '', toUInt64(fallbacks > 0), conv)],
            arrayFilter(x -> x.2 != '', [
                ('negative', product_id, '', '', toUInt64(negative), conv),
                ('product', product_id, '', '', toUInt64(0), conv)]),
            arrayMap(p -> ('topic', p.1, p.2, '', toUInt64(0), conv), asked),
            arrayMap(x -> ('node', '', '', x, toUInt64(0), conv), arrayFilter(x -> conv = 1 OR x != last_node, nodes))
        ) AS rs
    FROM (
        SELECT date, shop_id, customer_id, start_ms, stages, product_id, negative, fallbacks, topic_lists, topic_products
        FROM metric_consultations
        WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND pre_sale = 1{{template "buyer_slice" .}}
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
    -- named outside the lambdas so 18.16 keeps the columns
    WHERE start_ms > 0 AND length(o_created) >= 0 AND length(stages) >= 0
)
ARRAY JOIN rs AS r
GROUP BY date, shop_id, r.1, r.2, r.3, r.4
