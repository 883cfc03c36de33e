-- How many message rows a database holds from a time on (stored rows,
-- before dedup): the bench's intraday stage reports the day it loaded.
SELECT count() FROM messages WHERE ts >= toDateTime(?)
