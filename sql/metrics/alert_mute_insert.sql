-- metrics.md §8 "Alerts v2" noise control: the header of a mute's insert
-- (a new mute, or a lifted one written again with deleted = 1).
INSERT INTO alert_mutes (mute_id, shop_id, rule, product_id, from_date, to_date, reason, created_by, version, deleted)
