-- Event contract v1.1 (../shared/spec/events.md): the experiment (A/B test)
-- and variant (arm) a bot engine assigned, on conversation_started and on
-- messages (bot messages carry the script variant they were written from).
-- Other event types keep these fields in extra. Old parts read '' for them.
-- 18.16 has no ADD COLUMN IF NOT EXISTS: this file runs once per database.
ALTER TABLE messages{{.Local}}{{.OnCluster}}
    ADD COLUMN experiment String,
    ADD COLUMN variant String;

ALTER TABLE conversations{{.Local}}{{.OnCluster}}
    ADD COLUMN experiment String,
    ADD COLUMN variant String;
