-- metrics.md §11 roll-up: the arms' counts over the exposure days in the
-- range (--from/--to filter exposure_date: a buyer belongs to the day of
-- their first exposure, every consultation of theirs to that buyer); the
-- caller derives rates, Wilson intervals, lift, the z-test and the
-- sample-ratio check per experiment.
SELECT {{.Keys}}
    sum(buyers) AS buyers,
    sum(ordered_buyers) AS ordered_buyers,
    sum(paid_buyers) AS paid_buyers,
    sum(paid_cents) AS paid_cents,
    sum(crossovers) AS crossovers,
    sum(consultations) AS consultations,
    sum(bot_consultations) AS bot_consultations,
    sum(bot_only) AS bot_only,
    sum(handoffs) AS handoffs,
    sum(ratings) AS ratings,
    sum(ratings_good) AS ratings_good,
    min(exposure_date) AS first_exposure,
    max(exposure_date) AS last_exposure,
    any(control) AS control,
    any(split) AS split
FROM metric_experiments
WHERE exposure_date >= toDate(?) AND exposure_date <= toDate(?){{if .Shop}} AND shop_id = ?{{end}}
GROUP BY {{.GroupBy}}
ORDER BY {{.GroupBy}}
