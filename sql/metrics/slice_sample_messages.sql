-- A sample of the buyers whose raw messages one pass of the consultation
-- summary reads (one in {{.Every}} by hash), with their messages, in sort
-- order: metrics/slices.go cuts it into buyer slices of about equal size.
SELECT shop_id, customer_id, count() AS n
FROM messages
PREWHERE ts >= toDateTime({{.Range.LoSec}}) AND ts <= toDateTime({{.Range.HiSec}})
WHERE cityHash64(customer_id) % {{.Every}} = 0
GROUP BY shop_id, customer_id
ORDER BY shop_id, customer_id
