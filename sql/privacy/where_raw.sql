-- convintel forget: a dead letter whose raw bytes name the buyer (the
-- JSON fields as a contract sender writes them). Binds: shop, customer.
position(raw, concat('"shop_id":"', ?, '"')) > 0 AND position(raw, concat('"customer_id":"', ?, '"')) > 0
