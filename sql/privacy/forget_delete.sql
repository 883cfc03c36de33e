-- convintel forget: delete one buyer's rows (a mutation: asynchronous on
-- 18.16, so the caller waits on system.mutations).
ALTER TABLE {{.Table}} DELETE WHERE {{.Where}}
