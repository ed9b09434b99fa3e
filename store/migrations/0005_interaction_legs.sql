-- P5: after a controller restart the open interactions are matched against
-- the legs the PBX still has. The customer's leg id is chosen by the PBX
-- (an Asterisk channel id), so without it here a call still up could never
-- be found again; the handler's leg is kept too, because a consult's leg is
-- named like it and the two cannot be told apart by name. '' means none
-- (and is what rows written before this migration hold).
ALTER TABLE interactions ADD COLUMN customer_leg TEXT NOT NULL DEFAULT '' CHECK (length(customer_leg) <= 128);
ALTER TABLE interactions ADD COLUMN agent_leg TEXT NOT NULL DEFAULT '' CHECK (length(agent_leg) <= 128);
