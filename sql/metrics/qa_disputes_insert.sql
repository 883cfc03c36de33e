-- metrics.md §9: a supervisor's decision on a disputed violation. A batch
-- INSERT header: the row is appended through PrepareBatch.
INSERT INTO qa_disputes (violation_id, date, shop_id, status, note, decided_by, decided_ms)
