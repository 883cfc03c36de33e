-- metrics.md §9: the intent a missed takeover's buyer asked a third time
-- (repeated_question, alone or with negative_sentiment), so the QA page
-- names it ("the buyer's 3rd question of the same kind: Delivery time")
-- instead of "e.g. price or shipping" beside two questions of two kinds.
-- Empty for every other violation and for rows stored before this column
-- (until their days are recomputed with metrics run). On a cluster the
-- Distributed table gains the column through Cluster.addColumns; 18.16 has
-- no ADD COLUMN IF NOT EXISTS (warehouse/migrate_alter.go).
ALTER TABLE qa_violations{{.Local}}{{.OnCluster}} ADD COLUMN intent String DEFAULT '' AFTER detail;
