-- metrics.md §8 "Alerts v2", hourly evaluation: how many raw rows each
-- hour of the day so far has (local midnight {{.FromMs}} ms to the cutoff
-- {{.CutoffMs}} ms; hour = whole hours since midnight): the messages and
-- the conversation starts that name a product, the rows
-- alert_intraday_part.sql reads. An hour whose count differs from the one
-- its rows of metric_alert_intraday_parts were computed from is
-- recomputed.
SELECT toUInt8(intDiv(ts_ms - {{.FromMs}}, 3600000)) AS hour, count() AS raw_rows
FROM (
    SELECT ts_ms FROM messages
    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
    WHERE ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}}
    UNION ALL
    SELECT ts_ms FROM conversations
    PREWHERE ts >= toDateTime({{.FromSec}}) AND ts <= toDateTime({{.CutoffSec}})
    WHERE ts_ms >= {{.FromMs}} AND ts_ms < {{.CutoffMs}} AND product_id != ''
)
GROUP BY hour
