-- metrics.md §8 conversion_drop: the latest order event stored; a day's
-- conversion is final once its attribution window has passed it.
SELECT max(ts_ms) FROM orders
