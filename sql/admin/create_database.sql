-- The project's database (and a cluster's local database), created at the
-- first start; the name is validated by warehouse.CreateDatabase.
CREATE DATABASE IF NOT EXISTS {{.DB}}
