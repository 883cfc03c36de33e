-- The raw messages one pass of the consultation summary reads (its days
-- with W before and after): the size that decides how many buyer slices the
-- pass is cut into (metrics/slices.go).
SELECT count()
FROM messages
PREWHERE ts >= toDateTime({{.LoSec}}) AND ts <= toDateTime({{.HiSec}})
