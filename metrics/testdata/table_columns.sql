-- The columns of a metric table and how a test adds up a key's rows:
-- 'key' (dates, names and small codes such as hours: grouped by), 'array'
-- (lists such as the funnel's times: concatenated) or 'sum' (counts and
-- amounts).
SELECT name,
    multiIf(type IN ('String', 'Date', 'UInt8') OR type LIKE 'LowCardinality%' OR type LIKE 'Enum%', 'key',
        type LIKE 'Array%', 'array', 'sum') AS how
FROM system.columns
WHERE database = currentDatabase() AND table = @table
ORDER BY name
