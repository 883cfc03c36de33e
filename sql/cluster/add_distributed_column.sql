-- A column a local table gained, added to its Distributed table on one node
-- (never ON CLUSTER: a Distributed table is not replicated).
ALTER TABLE {{.DB}}.{{.Table}} ADD COLUMN {{.Column}} {{.Type}}
