-- metrics.md §10 roll-up per agent (the bot is agent_id 'bot'): sums the
-- stored counts and concatenates the delays; the caller recomputes rates,
-- averages and percentiles from them.
SELECT {{.Keys}}
    sum(served_buyers) AS served_buyers,
    sum(consulting_buyers) AS consulting_buyers,
    sum(ordered_buyers) AS ordered_buyers,
    sum(final_paid_buyers) AS final_paid_buyers,
    sum(final_paid_cents) AS final_paid_cents,
    sum(sales_orders) AS sales_orders,
    sum(sales_cents) AS sales_cents,
    sum(replies_within_sla) AS replies_within_sla,
    groupArrayArray(reply_ms) AS reply_ms,
    groupArrayArray(first_response_ms) AS first_response_ms,
    sum(ratings) AS ratings,
    sum(ratings_good) AS ratings_good,
    sum(qa_consultations) AS qa_consultations,
    sum(qa_score_sum) AS qa_score_sum,
    sum(violations) AS violations
FROM metric_agents
WHERE date >= toDate(?) AND date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
