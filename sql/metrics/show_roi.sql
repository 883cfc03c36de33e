-- metrics.md §14 roll-up: a (date, shop) row's hours saved are its
-- bot-only consultations × its handling time (none when its basis is
-- 'none'); a roll-up sums hours, cost and FTE days over the rows that have
-- a value and reports how many days used the 28-day fallback.
SELECT {{.Keys}}
    sum(bot_only_consultations) AS r_bot_only_consultations,
    sum(human_only) AS r_human_only_consultations,
    countIf(basis != 'none') AS valued_rows,
    count() AS rows,
    sumIf(bot_only_consultations, basis != 'none') AS valued_bot_only,
    sumIf(handle_s, basis != 'none') AS handle_sum,
    sumIf(bot_only_consultations * handle_s / 3600, basis != 'none') AS hours_saved,
    sumIf(bot_only_consultations * handle_s / 3600 * hourly_cost_cents, basis != 'none') AS cost_saved_cents,
    sumIf(bot_only_consultations * handle_s / 3600 / hours_per_day, basis != 'none') AS fte_days,
    countIf(basis = '28d') AS fallback_rows,
    uniqExact(date) AS days,
    any(basis) AS any_basis,
    min(wrap_up_s) AS r_wrap_up_s,
    min(hourly_cost_cents) AS r_hourly_cost_cents,
    min(hours_per_day) AS r_hours_per_day
FROM metric_roi
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
