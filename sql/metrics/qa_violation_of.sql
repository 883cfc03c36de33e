-- metrics.md §9: the stored violation a dispute is about (its day and shop).
SELECT date, shop_id FROM qa_violations WHERE violation_id = ? LIMIT 1
