-- S9: the health probe writes one row here every few seconds. With SQLite a
-- read is answered from the connection's page cache, so only a write shows
-- a database that can no longer be written (disk full, read-only, I/O
-- errors) — which is when calls' history would be lost.
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL
);
