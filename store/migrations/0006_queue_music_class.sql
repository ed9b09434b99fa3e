-- A5/P6: the music class a queue's waiting and held callers hear (an
-- Asterisk musiconhold.conf class). '' means the controller's configured
-- default (music_class in the configuration), which is what every queue
-- written before this migration gets. The store checks the characters
-- (letters, digits, '-', '_'); the schema bounds the length as Asterisk's
-- MAX_MUSICCLASS does.
ALTER TABLE queues ADD COLUMN music_class TEXT NOT NULL DEFAULT '' CHECK (length(music_class) <= 80);
