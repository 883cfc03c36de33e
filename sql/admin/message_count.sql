-- How many message rows a database holds (stored rows, before dedup): the
-- bench's metric stage checks the ingest stage filled it.
SELECT count() FROM messages
