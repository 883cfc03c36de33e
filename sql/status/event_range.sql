-- Status (convintel status): the first and last event time stored, over
-- messages and orders (epoch ms; 0 when there are none), so status can say
-- which dates hold data.
SELECT min(lo), max(hi) FROM (
    SELECT min(ts_ms) AS lo, max(ts_ms) AS hi FROM messages
    UNION ALL SELECT min(ts_ms), max(ts_ms) FROM orders
) WHERE hi > 0
