-- Scheduler bookkeeping (reports/schedule): the last completed slot per
-- job, over every replica's runs.
SELECT job, max(slot) FROM schedule_slots GROUP BY job
