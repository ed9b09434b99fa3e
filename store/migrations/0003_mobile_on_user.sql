-- R4: a remote agent's mobile is kept in one place, the user
-- (users.mobile); a virtual extension's mobile is a copy the store keeps in
-- step. Before, the two were set separately and the extension's was the
-- one dialled, so it becomes the user's: what rings stays the same.
UPDATE users SET mobile = (
    SELECT x.mobile FROM extensions x WHERE x.owner_id = users.id AND x.kind = 'virtual')
WHERE EXISTS (SELECT 1 FROM extensions x WHERE x.owner_id = users.id AND x.kind = 'virtual');
