-- A metric table summed per key, as readers see it however many rows
-- (shards, buyer slices) each key was written in.
SELECT toString(tuple({{.Keys}}, {{.Sums}}))
FROM {{.Table}}
GROUP BY {{.Keys}}
ORDER BY {{.Keys}}
