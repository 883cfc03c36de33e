-- Status: dead letters per reason, counted as distinct deliveries
-- (source, location) so a re-delivered bad event counts once. The two
-- parameters are the same source; '' counts every source.
SELECT reason, uniqExact(source, location) FROM dead_letters
WHERE (? = '' OR source = ?)
GROUP BY reason
