-- A11.2: a variable's type decides how an edit is checked; date-time values
-- are ISO 8601.
ALTER TABLE variable_defs ADD COLUMN type TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text', 'datetime'));
