-- Test metric pre_sale: consultations per (date, shop_id) and how many of
-- them were pre-sale (metrics.md common terms), from the summary.
INSERT INTO metric_pre_sale (date, shop_id, consultations, pre_sale)
SELECT date, shop_id, count(), sum(pre_sale)
FROM metric_consultations
WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
GROUP BY date, shop_id
