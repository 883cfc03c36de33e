-- metrics.md §8 "Alerts v2" noise control: the header of the insert that
-- records announced alerts.
INSERT INTO alert_announcements (alert_id, shop_id, announced_at)
