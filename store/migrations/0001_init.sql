-- 0001: the first schema. Provisioning (users, teams, queues, extensions,
-- codes, variable definitions), desktop sessions, and the history tables
-- (agent sessions, state history, interactions, events, audit).
--
-- Conventions:
--   * times are TEXT in UTC, fixed width ("2006-01-02T15:04:05.000000000Z"),
--     so they sort as strings and SQLite's date functions read them; NULL
--     means "not yet" (a zero time.Time in Go);
--   * booleans are INTEGER 0/1 with a CHECK;
--   * names that people type (teams, queues, codes, variables) are unique
--     without regard to case, so "Sales" and "sales" cannot both exist;
--   * history tables (agent_sessions, agent_state_history, interactions,
--     interaction_events, audit_log) keep user ids WITHOUT a foreign key on
--     purpose: the record of what happened must outlive a removed user.

CREATE TABLE teams (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
         CHECK (length(name) BETWEEN 1 AND 64)
);

CREATE TABLE queues (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE COLLATE NOCASE
                           CHECK (length(name) BETWEEN 1 AND 64),
    priority               INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000),
    ring_time_s            INTEGER NOT NULL CHECK (ring_time_s BETWEEN 1 AND 600),
    wrapup_time_s          INTEGER NOT NULL DEFAULT 0 CHECK (wrapup_time_s BETWEEN 0 AND 3600),
    recording              INTEGER NOT NULL DEFAULT 0 CHECK (recording IN (0, 1)),
    privacy_shield_s       INTEGER NOT NULL DEFAULT 0 CHECK (privacy_shield_s BETWEEN 0 AND 3600),
    allow_end_wrapup_early INTEGER NOT NULL DEFAULT 0 CHECK (allow_end_wrapup_early IN (0, 1))
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    login                 TEXT NOT NULL UNIQUE
                          CHECK (login = lower(login) AND length(login) BETWEEN 3 AND 254
                                 AND instr(login, '@') > 1),
    name                  TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    password_hash         TEXT NOT NULL CHECK (password_hash <> ''),
    allow_remote          INTEGER NOT NULL DEFAULT 0 CHECK (allow_remote IN (0, 1)),
    mobile                TEXT NOT NULL DEFAULT '' CHECK (length(mobile) <= 19),
    -- A team with members cannot be removed (the store says so first).
    team_id               INTEGER REFERENCES teams (id),
    personal_extension_id INTEGER REFERENCES extensions (id) ON DELETE SET NULL
);
CREATE INDEX users_team ON users (team_id);
CREATE INDEX users_personal_extension ON users (personal_extension_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'agent')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Queue skills (R1): the queues a user is assigned to.
CREATE TABLE user_queues (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, queue_id)
) WITHOUT ROWID;
CREATE INDEX user_queues_queue ON user_queues (queue_id);

CREATE TABLE extensions (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 32),
    dial_string TEXT NOT NULL DEFAULT '' CHECK (length(dial_string) <= 256),
    kind        TEXT NOT NULL CHECK (kind IN ('physical', 'virtual')),
    -- Removing a user removes their virtual extension and un-owns their
    -- physical ones in the same transaction (store.RemoveUser).
    owner_id    INTEGER REFERENCES users (id),
    mobile      TEXT NOT NULL DEFAULT '' CHECK (length(mobile) <= 19),
    -- A physical extension is a phone the PBX dials; a virtual one (R3)
    -- follows its owner to a mobile number.
    CHECK ((kind = 'physical' AND dial_string <> '' AND mobile = '')
        OR (kind = 'virtual' AND owner_id IS NOT NULL AND mobile <> ''))
);
CREATE INDEX extensions_owner ON extensions (owner_id);
-- R5/R6 speak of "their virtual extension": one per user.
CREATE UNIQUE INDEX extensions_one_virtual_per_owner ON extensions (owner_id) WHERE kind = 'virtual';

CREATE TABLE idle_codes (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 32),
    label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 64)
);

CREATE TABLE wrapup_codes (
    id    INTEGER PRIMARY KEY,
    code  TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 32),
    label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 64),
    auto  INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0, 1))
);
-- A12: the wrap-up time ends wrap-up with "the" automatic code: at most one.
CREATE UNIQUE INDEX wrapup_codes_one_auto ON wrapup_codes (auto) WHERE auto = 1;

CREATE TABLE variable_defs (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
    label    TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 64),
    ord      INTEGER NOT NULL DEFAULT 0 CHECK (ord BETWEEN 0 AND 10000),
    editable INTEGER NOT NULL DEFAULT 0 CHECK (editable IN (0, 1)),
    secure   INTEGER NOT NULL DEFAULT 0 CHECK (secure IN (0, 1)),
    popover  INTEGER NOT NULL DEFAULT 0 CHECK (popover IN (0, 1)),
    -- A11.3: secure variables are never in the popover.
    CHECK (NOT (secure = 1 AND popover = 1))
);

-- Desktop sign-in sessions: only a SHA-256 of the cookie token is kept, so
-- a copy of the database does not hand out live sessions.
CREATE TABLE web_sessions (
    token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

-- S5: "remember my credentials" keeps the station choice, one per user.
CREATE TABLE remembered_stations (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    type    TEXT NOT NULL CHECK (type IN ('extension', 'dial_number', 'browser')),
    number  TEXT NOT NULL CHECK (length(number) <= 32)
);

CREATE TABLE agent_sessions (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'supervisor_agent')),
    station_type   TEXT NOT NULL CHECK (station_type IN ('extension', 'dial_number', 'browser')),
    station_number TEXT NOT NULL CHECK (length(station_number) <= 32),
    team_id        INTEGER,
    started_at     TEXT NOT NULL,
    ended_at       TEXT CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX agent_sessions_user ON agent_sessions (user_id, started_at);
CREATE INDEX agent_sessions_open ON agent_sessions (ended_at) WHERE ended_at IS NULL;

-- A13: every agent state change, stamped.
CREATE TABLE agent_state_history (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    session_id INTEGER REFERENCES agent_sessions (id),
    state      TEXT NOT NULL CHECK (state IN ('logged_out', 'available', 'idle', 'ringing',
                                              'engaged', 'wrapup', 'rona', 'virtual')),
    reason     TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 256),
    at         TEXT NOT NULL
);
CREATE INDEX agent_state_history_user ON agent_state_history (user_id, at);

CREATE TABLE interactions (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 128),
    queue       TEXT NOT NULL,
    caller      TEXT NOT NULL,
    agent_id    INTEGER,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'connecting', 'ringing', 'connected',
                                               'wrapup', 'done')),
    arrived_at  TEXT NOT NULL,
    answered_at TEXT,
    ended_at    TEXT,
    wrapped_at  TEXT,
    wrapup_code TEXT NOT NULL DEFAULT '',
    -- Call variables as a JSON object of strings; secure ones included, so
    -- readers decide who sees them (A11.3).
    variables   TEXT NOT NULL DEFAULT '{}'
                CHECK (json_valid(variables) AND json_type(variables) = 'object')
);
CREATE INDEX interactions_arrived ON interactions (arrived_at);
CREATE INDEX interactions_agent ON interactions (agent_id, arrived_at);

CREATE TABLE interaction_events (
    id             INTEGER PRIMARY KEY,
    interaction_id TEXT NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    user_id        INTEGER,
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX interaction_events_interaction ON interaction_events (interaction_id, at);

-- M7, A10.5, G1: who did what to whom.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor_id       INTEGER,
    action         TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    target_user_id INTEGER,
    interaction_id TEXT NOT NULL DEFAULT '',
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
