-- A throw-away database (the bench's and the demo's) is recreated from
-- scratch; the name is validated by warehouse.Statement's caller.
DROP DATABASE IF EXISTS {{.DB}}
