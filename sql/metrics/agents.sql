-- (t0 is also named outside the lambdas so 18.16 keeps the column.)
-- metrics.md §10 agent performance (客服绩效) for the days {{.From}}..{{.To}},
-- per (date, shop_id, agent_id) with the bot as agent_id 'bot':
--  * served and consulting buyers from the consultation summary: a buyer
--    is served by everyone who sent a message in a consultation of theirs
--    starting that day (a buyer served by two agents counts for each); the
--    anchor t0 is the start of the first pre-sale consultation of the day
--    the agent served, and ordered / final paid are matched in [t0, t0+W]
--    exactly as conversion.sql does (created time: earliest created, else
--    earliest paid);
--  * sales from §2 (metric_gmv, dated by the paid day): the bot bucket for
--    the bot, the human bucket's agent split for agents (orders no agent
--    had spoken before are nobody's);
--  * replies, first responses, ratings and the §9 figures from metric_qa
--    (written by the qa job just before).
INSERT INTO metric_agents (date, shop_id, agent_id, served_buyers, consulting_buyers, ordered_buyers, final_paid_buyers,
    final_paid_cents, sales_orders, sales_cents, replies_within_sla, reply_ms, first_response_ms, ratings, ratings_good, qa_consultations,
    qa_score_sum, violations)
SELECT date, shop_id, agent_id, sum(served), sum(consulting), sum(ordered), sum(final), sum(final_cents),
    sum(sales_orders), sum(sales_cents), sum(in_sla), groupArrayArray(reply_ms), groupArrayArray(first_ms),
    sum(ratings), sum(good), sum(qa_consultations), sum(qa_score), sum(violations)
FROM (
    SELECT date, shop_id, agent_id,
        toUInt64(1) AS served, toUInt64(pre) AS consulting,
        toUInt64(pre AND t0 > 0 AND arrayExists(c -> c >= t0 AND c <= t0 + {{.W}}, o_created)) AS ordered,
        toUInt64(pre AND t0 > 0 AND arrayExists(p -> p >= t0 AND p <= t0 + {{.W}}, o_paid)) AS final,
        toInt64(if(pre AND t0 > 0, arraySum(arrayMap((p, c) -> if(p >= t0 AND p <= t0 + {{.W}}, c, 0), o_paid, o_cents)), 0)) AS final_cents,
        toUInt64(0) AS sales_orders, toInt64(0) AS sales_cents, toUInt64(0) AS in_sla, emptyArrayUInt32() AS reply_ms, emptyArrayUInt32() AS first_ms,
        toUInt64(0) AS ratings, toUInt64(0) AS good, toUInt64(0) AS qa_consultations, toUInt64(0) AS qa_score, toUInt64(0) AS violations
    FROM (
        SELECT date, shop_id, customer_id, agent_id, t0, pre, o_created, o_paid, o_cents
        FROM (
            SELECT date, shop_id, customer_id, agent_id,
                max(pre_sale) AS pre, minIf(start_ms, pre_sale = 1) AS t0
            FROM metric_consultations
            ARRAY JOIN arrayConcat(if(bot_msgs > 0, ['bot'], emptyArrayString()), agent_ids) AS agent_id
            WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}'){{template "buyer_slice" .}}
            GROUP BY date, shop_id, customer_id, agent_id
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
    -- metric_gmv and metric_qa hold no buyers: a statement in buyer slices
    -- (metrics/slices.go) reads them with its first slice only.
    {{if not .Slice.Lo}}UNION ALL
    SELECT date, shop_id, if(bucket = 'bot', 'bot', agent_id) AS agent_id,
        toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toInt64(0),
        toUInt64(orders), toInt64(gmv_cents), toUInt64(0), emptyArrayUInt32(), emptyArrayUInt32(),
        toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0)
    FROM metric_gmv
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
        AND (bucket = 'bot' OR (bucket = 'human' AND agent_id != ''))
    UNION ALL
    SELECT date, shop_id, responder AS agent_id,
        toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), toInt64(0),
        toUInt64(0), toInt64(0), toUInt64(replies_within_sla), reply_ms, first_response_ms,
        toUInt64(ratings), toUInt64(ratings_good), toUInt64(consultations), toUInt64(qa_score_sum), toUInt64(violations)
    FROM metric_qa
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}') AND responder != 'unassigned'{{end}}
)
GROUP BY date, shop_id, agent_id
