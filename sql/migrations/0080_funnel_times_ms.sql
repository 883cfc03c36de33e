-- §5 funnel: each reaching buyer's time to the step in milliseconds (the
-- time the chain reached it, metrics/funnel.go), for an exact median in
-- seconds over any roll-up. times_s (whole seconds to the buyer's first
-- event of the step) is kept filled for readers of the old column; rows
-- stored before this column have an empty times_ms until their days are
-- recomputed (metrics run).
ALTER TABLE metric_funnel{{.Local}}{{.OnCluster}} ADD COLUMN times_ms Array(UInt32) AFTER times_s;
