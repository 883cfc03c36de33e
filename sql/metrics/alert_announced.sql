-- metrics.md §8 "Alerts v2" noise control: the alerts already announced to
-- the webhooks since the bound time (an alert keeps its id while it keeps
-- firing, so an announced one is never sent again).
SELECT DISTINCT alert_id FROM alert_announcements WHERE announced_at >= toDateTime(?)
