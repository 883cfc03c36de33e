-- metrics.md §12 hours (全时段) for the days {{.From}}..{{.To}}, per
-- (date, shop_id, local hour): consultations by the hour of their start
-- and responder class; consulting and ordered buyers of §1 (anchor: the
-- buyer's first pre-sale consultation of the day, ordered: an order
-- created in [t0, t0 + W]) by the anchor's hour and responder class, so
-- they sum to §1; paid orders (each once, first paid event's amount) by
-- the date and hour of their created time (earliest created event, else
-- earliest paid). night marks hours in [{{.NightFrom}}, {{.NightTo}}).
INSERT INTO metric_hourly (date, shop_id, hour, weekday, night, bot_only, bot_to_human, human_only, unanswered,
    consulting_bot_only, consulting_bot_to_human, consulting_human_only, consulting_unanswered,
    ordered_bot_only, ordered_bot_to_human, ordered_human_only, ordered_unanswered, paid_orders, paid_cents)
SELECT date, shop_id, hour, toUInt8(toDayOfWeek(date)), toUInt8(hour >= {{.NightFrom}} AND hour < {{.NightTo}}),
    sum(n_bot_only), sum(n_bot_to_human), sum(n_human_only), sum(n_unanswered),
    sum(c_bot_only), sum(c_bot_to_human), sum(c_human_only), sum(c_unanswered),
    sum(o_bot_only), sum(o_bot_to_human), sum(o_human_only), sum(o_unanswered),
    sum(n_paid), sum(n_paid_cents)
FROM (
    SELECT date, shop_id, toUInt8(toHour(toDateTime(intDiv(start_ms, 1000)), '{{.TZ}}')) AS hour,
        toUInt64(responder = 'bot_only') AS n_bot_only, toUInt64(responder = 'bot_to_human') AS n_bot_to_human,
        toUInt64(responder = 'human_only') AS n_human_only, toUInt64(responder = 'unanswered') AS n_unanswered,
        toUInt64(0) AS c_bot_only, toUInt64(0) AS c_bot_to_human, toUInt64(0) AS c_human_only, toUInt64(0) AS c_unanswered,
        toUInt64(0) AS o_bot_only, toUInt64(0) AS o_bot_to_human, toUInt64(0) AS o_human_only, toUInt64(0) AS o_unanswered,
        toUInt64(0) AS n_paid, toInt64(0) AS n_paid_cents
    FROM metric_consultations
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}'){{template "buyer_slice" .}}
    UNION ALL
    SELECT date, shop_id, toUInt8(toHour(toDateTime(intDiv(t0, 1000)), '{{.TZ}}')) AS hour,
        toUInt64(0) AS n_bot_only, toUInt64(0) AS n_bot_to_human, toUInt64(0) AS n_human_only, toUInt64(0) AS n_unanswered,
        toUInt64(responder = 'bot_only') AS c_bot_only, toUInt64(responder = 'bot_to_human') AS c_bot_to_human,
        toUInt64(responder = 'human_only') AS c_human_only, toUInt64(responder = 'unanswered') AS c_unanswered,
        toUInt64(responder = 'bot_only' AND ordered) AS o_bot_only, toUInt64(responder = 'bot_to_human' AND ordered) AS o_bot_to_human,
        toUInt64(responder = 'human_only' AND ordered) AS o_human_only, toUInt64(responder = 'unanswered' AND ordered) AS o_unanswered,
        toUInt64(0) AS n_paid, toInt64(0) AS n_paid_cents
    FROM (
        SELECT date, shop_id, anchor.1 AS t0, anchor.3 AS responder,
            arrayExists(c -> c >= t0 AND c <= t0 + {{.W}}, o_created) AS ordered
        FROM (
            SELECT date, shop_id, customer_id,
                arraySort(groupArray((start_ms, conversation_id, responder)))[1] AS anchor
            FROM metric_consultations
            WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND pre_sale = 1{{template "buyer_slice" .}}
            GROUP BY date, shop_id, customer_id
        )
        ANY LEFT JOIN (
            SELECT shop_id, customer_id, groupArray(created) AS o_created
            FROM (
                SELECT shop_id, customer_id, order_id,
                    if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'), minIf(ts_ms, status = 'paid')) AS created
                FROM orders
                PREWHERE status IN ('created', 'paid')
                WHERE 1{{template "buyer_slice" .}}
                GROUP BY shop_id, customer_id, order_id
            )
            GROUP BY shop_id, customer_id
        ) USING (shop_id, customer_id)
    )
    UNION ALL
    SELECT toDate(toDateTime(intDiv(created, 1000)), '{{.TZ}}') AS date, shop_id,
        toUInt8(toHour(toDateTime(intDiv(created, 1000)), '{{.TZ}}')) AS hour,
        toUInt64(0) AS n_bot_only, toUInt64(0) AS n_bot_to_human, toUInt64(0) AS n_human_only, toUInt64(0) AS n_unanswered,
        toUInt64(0) AS c_bot_only, toUInt64(0) AS c_bot_to_human, toUInt64(0) AS c_human_only, toUInt64(0) AS c_unanswered,
        toUInt64(0) AS o_bot_only, toUInt64(0) AS o_bot_to_human, toUInt64(0) AS o_human_only, toUInt64(0) AS o_unanswered,
        toUInt64(1) AS n_paid, paid_cents AS n_paid_cents
    FROM (
        SELECT shop_id, order_id,
            if(countIf(status = 'created') > 0, minIf(ts_ms, status = 'created'), minIf(ts_ms, status = 'paid')) AS created,
            toInt64(argMinIf(toInt64(amount * 100), ts_ms, status = 'paid')) AS paid_cents
        FROM orders
        WHERE 1{{template "buyer_slice" .}} AND (shop_id, customer_id, order_id) IN (
            SELECT shop_id, customer_id, order_id FROM orders
            PREWHERE ts >= toDateTime({{.FromSec}} - 86400) AND ts < toDateTime({{.ToSec}} + 86400)
            WHERE status IN ('created', 'paid'){{template "buyer_slice" .}})
        GROUP BY shop_id, customer_id, order_id
        HAVING countIf(status = 'paid') > 0 AND created >= {{.FromMs}} AND created < {{.ToMs}}
    )
)
GROUP BY date, shop_id, hour
