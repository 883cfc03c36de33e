-- Records a scheduler slot as completed, by which host. A batch INSERT header:
-- the row is appended through PrepareBatch (an INSERT … VALUES with bound
-- arguments hangs on 18.16).
INSERT INTO schedule_slots (job, slot, completed_at, completed_by)
