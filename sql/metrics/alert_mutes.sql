-- metrics.md §8 "Alerts v2" noise control: the mutes in force, each
-- mute_id in its latest version (a lifted one has deleted = 1 there).
SELECT mute_id, shop_id, rule, product_id, from_date, to_date, reason, created_by
FROM (
    SELECT mute_id, argMax(shop_id, version) AS shop_id, argMax(rule, version) AS rule,
        argMax(product_id, version) AS product_id, argMax(from_date, version) AS from_date,
        argMax(to_date, version) AS to_date, argMax(reason, version) AS reason,
        argMax(created_by, version) AS created_by, argMax(deleted, version) AS deleted
    FROM alert_mutes
    GROUP BY mute_id
)
WHERE deleted = 0
ORDER BY shop_id, rule, product_id, from_date, mute_id
