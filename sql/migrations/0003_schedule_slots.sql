-- Scheduler bookkeeping (reports/schedule), not a metric: one row per
-- completed slot of a scheduled job (metrics, alerts, weekly). Every
-- `serve` replica reads and writes it, so the replica that becomes leader
-- resumes after the last slot any leader completed instead of running it
-- again and sending its webhook twice. A slot recorded twice collapses;
-- readers take max(slot) per job, so merges never matter. On a cluster the
-- Distributed table routes a job's rows by cityHash64(job).
CREATE TABLE IF NOT EXISTS schedule_slots{{.Local}}{{.OnCluster}} (
    job          String,
    slot         DateTime,
    completed_at DateTime,
    completed_by String
) ENGINE = {{.EngineOf "ReplacingMergeTree" "schedule_slots"}}
ORDER BY (job, slot);
