-- metrics.md §11 experiments (话术 A/B) for the consultations starting on
-- {{.From}}..{{.To}}. A consultation carries experiment E when its
-- conversation_started or one of its bot messages does; its own variant is
-- that of its earliest such event. A buyer (shop_id, customer_id) is
-- exposed at the start of their first consultation carrying E (by start
-- time, ties by conversation_id), read from all history before the range,
-- so exposure is sticky across runs: every consultation of the buyer
-- carrying E counts for that first variant. The exposure consultation's row
-- also carries the buyer, with their orders created / paid in [exposure,
-- exposure + W] (created time: the earliest created event, else the
-- earliest paid; paid time and amount: the earliest paid event). A buyer
-- whose consultations show another variant of E is a crossover, counted
-- once, on the first consultation that showed one. Consultation facts
-- (responder, handoffs, ratings) come from the consultation summary.
INSERT INTO metric_experiments (date, exposure_date, shop_id, experiment, variant, buyers, ordered_buyers,
    paid_buyers, paid_cents, crossovers, consultations, bot_consultations, bot_only, handoffs, ratings, ratings_good,
    control, split)
SELECT date, exposure_date, shop_id, experiment, variant,
    sum(is_exposure), sum(is_exposure * ordered), sum(is_exposure * paid), sum(if(is_exposure = 1, paid_cents, 0)),
    sum(is_crossing), count(), countIf(c_bot_msgs > 0), countIf(c_responder = 'bot_only'), countIf(c_handoffs > 0),
    sum(length(c_ratings)), sum(arrayCount(r -> r >= 4, c_ratings)),
    {{.ControlSQL}}, {{.SplitSQL}}
FROM (
    SELECT date, exposure_date, shop_id, customer_id, conversation_id, experiment, variant, is_exposure, is_crossing,
        toUInt8(arrayExists(c -> c >= exposure_ms AND c <= exposure_ms + {{.W}}, o_created)) AS ordered,
        toUInt8(arrayExists(p -> p >= exposure_ms AND p <= exposure_ms + {{.W}}, o_paid)) AS paid,
        arraySum(arrayMap((p, c) -> if(p >= exposure_ms AND p <= exposure_ms + {{.W}}, c, 0), o_paid, o_cents)) AS paid_cents
    FROM (
        SELECT shop_id, customer_id, experiment, cs.2 AS conversation_id,
            toDate(toDateTime(intDiv(cs.1, 1000)), '{{.TZ}}') AS date,
            exposure_ms, toDate(toDateTime(intDiv(exposure_ms, 1000)), '{{.TZ}}') AS exposure_date, variant,
            toUInt8(idx = 1) AS is_exposure, toUInt8(idx = crossing) AS is_crossing
        FROM (
            SELECT shop_id, customer_id, experiment, consults,
                consults[1].1 AS exposure_ms, consults[1].3 AS variant,
                arrayFirstIndex(c -> arrayExists(v -> v != variant, c.4), consults) AS crossing,
                arrayEnumerate(consults) AS idxs
            FROM (
                SELECT shop_id, customer_id, experiment,
                    arraySort(groupArray((start_ms, conversation_id, conv_variant, conv_variants))) AS consults
                FROM (
                    SELECT shop_id, customer_id, conversation_id, experiment,
                        arraySort(groupArray((ts_ms, event_id, variant)))[1].3 AS conv_variant,
                        groupUniqArray(variant) AS conv_variants
                    FROM (
                        SELECT shop_id, customer_id, conversation_id, experiment, variant, ts_ms, event_id
                        FROM conversations
                        PREWHERE experiment != '' AND ts <= toDateTime({{.HiSec}})
                        WHERE type = 'conversation_started' AND variant != ''{{template "buyer_slice" .}}
                        UNION ALL
                        SELECT shop_id, customer_id, conversation_id, experiment, variant, ts_ms, event_id
                        FROM messages
                        PREWHERE experiment != '' AND ts <= toDateTime({{.HiSec}})
                        WHERE sender = 'bot' AND variant != ''{{template "buyer_slice" .}}
                    )
                    GROUP BY shop_id, customer_id, conversation_id, experiment
                )
                ALL INNER JOIN (
                    SELECT shop_id, customer_id, conversation_id, min(ts_ms) AS start_ms
                    FROM messages
                    PREWHERE ts <= toDateTime({{.HiSec}}) AND sender = 'customer'
                    WHERE 1{{template "buyer_slice" .}} AND conversation_id IN (
                        SELECT conversation_id FROM conversations
                        PREWHERE experiment != '' AND ts <= toDateTime({{.HiSec}})
                        WHERE 1{{template "buyer_slice" .}}
                        UNION ALL
                        SELECT conversation_id FROM messages
                        PREWHERE experiment != '' AND ts <= toDateTime({{.HiSec}})
                        WHERE 1{{template "buyer_slice" .}})
                    GROUP BY shop_id, customer_id, conversation_id
                ) USING (shop_id, customer_id, conversation_id)
                WHERE start_ms < {{.ToMs}}
                GROUP BY shop_id, customer_id, experiment
            )
        )
        ARRAY JOIN consults AS cs, idxs AS idx
        WHERE cs.1 >= {{.FromMs}} AND cs.1 < {{.ToMs}}
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
    -- exposure_ms is named outside the lambdas so 18.16 keeps the column
    WHERE exposure_ms > 0
)
ANY LEFT JOIN (
    SELECT shop_id, customer_id, conversation_id, responder AS c_responder, bot_msgs AS c_bot_msgs,
        handoffs AS c_handoffs, ratings AS c_ratings
    FROM metric_consultations
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}'){{template "buyer_slice" .}}
) USING (shop_id, customer_id, conversation_id)
GROUP BY date, exposure_date, shop_id, experiment, variant
