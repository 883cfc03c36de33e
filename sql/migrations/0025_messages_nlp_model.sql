-- The NLP model version that enriched each message (docs/nlp.md, "The
-- labelling loop"): a registry version such as v0003, builtin-<hash> for
-- the model embedded in the binary, or local-<hash> for classifiers put in
-- the model directory by hand. Empty for messages the model did not read
-- (bot and agent text, ingest with NLP off, rows stored before this column).
-- On a cluster the Distributed tables gain the column through
-- Cluster.addColumns. 18.16 has no ADD COLUMN IF NOT EXISTS: the migrator
-- takes "column already exists" as done when migrations run again
-- (warehouse/migrate_alter.go).
ALTER TABLE messages{{.Local}}{{.OnCluster}} ADD COLUMN nlp_model String DEFAULT '' AFTER signature;
