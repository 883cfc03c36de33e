-- convintel forget: the days a buyer has events on, to recompute the
-- metrics of those days after the delete. Parameters: shop, customer (x5).
SELECT min(d), max(d) FROM (
    SELECT toDate(ts) AS d FROM messages WHERE shop_id = ? AND customer_id = ?
    UNION ALL SELECT toDate(ts) FROM conversations WHERE shop_id = ? AND customer_id = ?
    UNION ALL SELECT toDate(ts) FROM handoffs WHERE shop_id = ? AND customer_id = ?
    UNION ALL SELECT toDate(ts) FROM ratings WHERE shop_id = ? AND customer_id = ?
    UNION ALL SELECT toDate(ts) FROM orders WHERE shop_id = ? AND customer_id = ?
)
