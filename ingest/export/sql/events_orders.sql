-- Export "events", order: contract fields of every stored order status
-- event with ts_ms in [?, ?), one row per event_id. Amounts stay
-- Decimal(18, 2).
SELECT event_id, ts_ms, shop_id, customer_id, channel, order_id, status, amount,
       currency, item_product_ids, item_skus, item_qtys, item_prices, extra
FROM orders
WHERE ts >= toDateTime(?) AND ts <= toDateTime(?) AND ts_ms >= ? AND ts_ms < ?
ORDER BY ts_ms, event_id
LIMIT 1 BY event_id
