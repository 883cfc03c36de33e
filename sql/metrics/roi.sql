-- metrics.md §14 bot value (人力节省) for the days {{.From}}..{{.To}}, per
-- (date, shop_id): the day's bot_only consultations and its human_only
-- consultations' handling times (first to last agent message, ms). The
-- handling time used is the median of the day's when it has at least
-- {{.MinHumanOnly}} human-only consultations (basis 'day'), else the median
-- over the human-only consultations of the 28 days ending with the day
-- (basis '28d', from the stored consultation summary), else none
-- (basis 'none', handle_s -1: no value). The median of an even count is
-- the mean of the middle two. handle_s adds wrap_up ({{.WrapUpMs}} ms);
-- the settings are stored beside it, so a figure shows its assumptions.
-- A shop's median spans all its buyers, so on a cluster this runs once
-- through the Distributed tables (metrics.Run: a cross-shard job), not per
-- shard: medians of shards are not the shop's median.
INSERT INTO metric_roi (date, shop_id, bot_only_consultations, human_only, handle_ms, basis, handle_s,
    wrap_up_s, hourly_cost_cents, hours_per_day)
SELECT date, shop_id, bot_only, human_only, day_ms,
    multiIf(human_only >= {{.MinHumanOnly}}, 'day', length(window_ms) > 0, '28d', 'none') AS basis,
    if(basis = 'none', -1,
        (if(basis = 'day', day_median, window_median) + {{.WrapUpMs}}) / 1000) AS handle_s,
    {{.WrapUpMs}} / 1000, {{.HourlyCostCents}}, {{.HoursPerDay}}
FROM (
    SELECT date, shop_id, bot_only, human_only, day_ms, window_ms,
        length(day_ms) AS dn, length(window_ms) AS wn,
        if(dn = 0, 0, if(dn % 2 = 1, toFloat64(day_ms[intDiv(dn + 1, 2)]),
            (day_ms[intDiv(dn, 2)] + day_ms[intDiv(dn, 2) + 1]) / 2)) AS day_median,
        if(wn = 0, 0, if(wn % 2 = 1, toFloat64(window_ms[intDiv(wn + 1, 2)]),
            (window_ms[intDiv(wn, 2)] + window_ms[intDiv(wn, 2) + 1]) / 2)) AS window_median
    FROM (
        SELECT target AS date, shop_id,
            sumIf(day_bot_only, k = 0) AS bot_only,
            sumIf(day_human_only, k = 0) AS human_only,
            arraySort(groupArrayArrayIf(handles, k = 0)) AS day_ms,
            arraySort(groupArrayArray(handles)) AS window_ms
        FROM (
            SELECT consult_date, shop_id, day_bot_only, day_human_only, handles,
                arrayJoin(range(28)) AS k,
                addDays(consult_date, k) AS target
            FROM (
                -- per consultation day and shop first: on a cluster this
                -- level runs on every shard and the initiator merges the
                -- shards' counts and handling times before any median
                SELECT date AS consult_date, shop_id,
                    countIf(responder = 'bot_only') AS day_bot_only,
                    countIf(responder = 'human_only') AS day_human_only,
                    groupArrayIf(if(length(agent_ts) > 0, agent_ts[-1] - agent_ts[1], toInt64(0)),
                        responder = 'human_only') AS handles
                FROM metric_consultations
                WHERE date >= toDate('{{.From}}') - 27 AND date <= toDate('{{.To}}')
                    AND responder IN ('bot_only', 'human_only')
                GROUP BY consult_date, shop_id
            )
        )
        WHERE target >= toDate('{{.From}}') AND target <= toDate('{{.To}}')
        GROUP BY target, shop_id
    )
)
