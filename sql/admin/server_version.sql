-- The server's version string (convintel status, the 18.16 feature checks).
SELECT version()
