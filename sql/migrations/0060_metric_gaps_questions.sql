-- Knowledge gaps are labelled with their most frequent masked question
-- (docs/metrics.md §7): each row keeps its distinct masked questions with
-- how often each was asked, so a roll-up over days and shops can pick the
-- most asked. Rows computed before this column have none (the label then
-- falls back to the first example); rerun metrics to fill them.
-- 18.16 has no ADD COLUMN IF NOT EXISTS: the migrator takes "column
-- already exists" as done (sql/migrate_alter.go); on a cluster the
-- Distributed tables gain the columns through Cluster.addColumns.
ALTER TABLE metric_gaps{{.Local}}{{.OnCluster}} ADD COLUMN questions Array(String) AFTER product_counts;
ALTER TABLE metric_gaps{{.Local}}{{.OnCluster}} ADD COLUMN question_counts Array(UInt64) AFTER questions;
