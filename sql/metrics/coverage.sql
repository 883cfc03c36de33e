-- Data coverage (docs/metrics.md, "Maturity"; docs/reports.md): the first
-- and last day that hold computed metrics (metric_conversion has a row for
-- every day with a pre-sale consultation, metric_gmv for every paid day),
-- how many such days, and the latest stored order event: the watermark a
-- window [t0, t0 + W] is judged complete against, as conversion_drop does;
-- and the first day of the stored consultations, before which an order's
-- look-back [anchor − W, anchor] (§2) finds nothing.
SELECT
    (SELECT min(date) FROM (SELECT date FROM metric_conversion UNION ALL SELECT date FROM metric_gmv)) AS first_day,
    (SELECT max(date) FROM (SELECT date FROM metric_conversion UNION ALL SELECT date FROM metric_gmv)) AS last_day,
    (SELECT uniqExact(date) FROM (SELECT date FROM metric_conversion UNION ALL SELECT date FROM metric_gmv)) AS days,
    (SELECT max(ts_ms) FROM orders) AS watermark_ms,
    (SELECT min(date) FROM metric_consultations) AS consultations_from
