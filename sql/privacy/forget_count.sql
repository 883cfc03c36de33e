-- convintel forget: the rows of one buyer in a table, before deleting them.
SELECT count() FROM {{.Table}} WHERE {{.Where}}
