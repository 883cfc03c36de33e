-- The rows a job wrote for the days From..To of its result table (the
-- table name is the descriptor's, never user text).
SELECT count() FROM {{.Table}} WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
