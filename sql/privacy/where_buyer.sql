-- convintel forget: the rows of one buyer in a table with shop_id and
-- customer_id. Binds: shop, customer.
shop_id = ? AND customer_id = ?
