// Package api is Ringside's HTTP face: REST under /api/v1, the desktop's
// WebSocket, sign-in with session cookies, RBAC, origin checks, health and
// metrics. It reaches the orchestrator through the small Controller
// interface and persistence through Accounts, so tests use fakes.
//
// Endpoints (DESIGN "API v1 shape"; more arrive with later issues):
//
//	POST   /api/v1/auth/login            {"login","password"} → 200 {"user":{id,login,name,roles,team_id}} + cookie
//	POST   /api/v1/auth/logout           → 204 (always)
//	GET    /api/v1/me                    → {"user","roles","agent":AgentView|null,"remembered_station":{type,number}|null}
//	GET    /api/v1/stations              → {"stations":[StationOption…]} in R6 order
//	POST   /api/v1/session               {"role","station":{"type","number"},"team_id","remember"} → 201 AgentView
//	DELETE /api/v1/session               → 204 (409 while S8 forbids it)
//	PUT    /api/v1/session/state         {"state":"available|idle","reason_code"} → 204
//	GET    /api/v1/interactions?active=true → {"interactions":[InteractionView…]}
//	POST   /api/v1/interactions/{id}/end → 204
//	POST   /api/v1/interactions/{id}/wrapup {"code"} → 204
//	POST   /api/v1/interactions/{id}/hold | resume | conference → 204
//	POST   /api/v1/interactions/{id}/consult {"target":{"type":"agent|queue|dial_number","id","number"}} → 204
//	POST   /api/v1/interactions/{id}/consult/end | consult/exit | consult/resume → 204 (resume: back to the consulted party)
//	POST   /api/v1/interactions/{id}/transfer {"target":{…},"mode":"blind|consult"} → 204 (consult: no target)
//	POST   /api/v1/interactions/{id}/recording/pause | recording/resume → 204
//	PATCH  /api/v1/interactions/{id}/variables/{name} {"value","version"} → 200 VariableView; 409 names the value that won (A11.4)
//	POST   /api/v1/interactions/{id}/variables/{name}/reveal → 200 {"value"} (never cached, never logged)
//	GET    /api/v1/targets/agents?purpose=consult|transfer&q= → {"agents":[TargetAgentView…]} (q: name contains, any case)
//	GET    /api/v1/queues                → {"queues":[{id,name}…]} by name
//	GET    /api/v1/idle-codes            → {"idle_codes":[{id,code,label}…]}
//	GET    /api/v1/wrapup-codes          → {"wrapup_codes":[{id,code,label,auto}…]}
//	POST   /api/v1/desktop               {"id","takeover"} → 204; 409 desktop_in_use while another desktop of the user is live (S2)
//	POST   /api/v1/desktop/leave         {"id"} → 204; the page is going away: the desktop is free once its stream ends, no grace (S2)
//	GET    /api/v1/dial-countries        → {"default":"US","countries":[{region,code}…]} for the dial-number picker (S4.1)
//	GET    /api/v1/admin/users           admin: users with their remote settings (R4)
//	PUT    /api/v1/admin/users/{id}/remote  admin: {"allow_remote","mobile","virtual_extension"} saved together (R4)
//	POST   /api/v1/admin/users           admin: create {login,password,name,roles,team_id,queues,personal_extension_id}
//	PUT    /api/v1/admin/users/{id}      admin: update (every field but the password, which has its own route); DELETE removes
//	PUT    /api/v1/admin/users/{id}/password  admin: reset the password
//	GET|POST /api/v1/admin/{teams,queues,extensions,idle-codes,wrapup-codes,variables}
//	PUT|DELETE /api/v1/admin/{…}/{id}    admin CRUD (P6); a PUT replaces every field and must carry each (400 names those left out); each change audited
//	GET    /api/v1/events?desktop={id}   WebSocket: {"type":"snapshot","seq","agent","health"}, then orchestrator.Event JSON
//	                                     (type "health" when a part goes down or comes back, S9);
//	                                     a replaced desktop gets {"type":"replaced"} and close code 4409 (do not reconnect)
//	GET    /healthz  /readyz  /metrics
//	                                     /readyz: 200 {"status":"ready","down":[]}, or 503 with "failing" {part:"down"}
//	                                     and "down" [{"part","text"}] in the banner's words (the sign-in screen's S9 banner)
//
// Demo only (Options.Sim set; no session, no origin check):
//
//	POST /api/v1/sim/calls {"queue","caller","variables"} → 201 {"leg_id"}
//	GET  /api/v1/sim/legs → {"legs":[{id,endpoint,state,room,caller}…]}
//	POST /api/v1/sim/legs/{id}/answer|reject|hangup → 204
//	GET  /api/v1/sim/hears?from=&to= → {"hears":bool}
//	POST /api/v1/sim/link/drop|link/restore → 204
//
// Errors are {"error":{"code","message"}}. Statuses: a body that cannot be
// read (malformed JSON, unknown field, wrong type) is 400 naming the field;
// CodeInvalid (values read but not acceptable) 422; unauthorized 401;
// forbidden 403; not_found 404; conflict 409; throttled 429; unavailable
// 503; anything else 500 "internal error" with details only in the log.
//
// Sign-in is throttled (S1, Throttle): after 5 failures for a login or 20
// from an address, each further failure locks it for 1 s, doubling up to
// 10 min; while locked every attempt, right password or not, is 429
// "throttled" with Retry-After, the same for unknown logins. The address
// is the TCP peer's, or behind a reverse proxy listed in
// Options.TrustedProxies the client's from X-Forwarded-For (clientIP).
//
// One live desktop per user (S2): the web desktop claims POST /desktop
// before streaming and sends X-Ringside-Desktop on every request; a
// state-changing request naming a replaced desktop is 409
// desktop_replaced. Requests without the header are not affected.
//
// Roles: /stations, /session*, /idle-codes and /queues need the agent or
// supervisor role; /interactions*, /targets/agents and /wrapup-codes the
// agent role; POST /session checks the requested role against the user's
// (supervisor_agent needs both). Whether the user may act on an interaction
// now (owner or consulted agent, A7) is the orchestrator's answer: 403 or
// 409 with its reason.
// State-changing requests need an Origin (or Referer) equal to the request's
// host or one of Options.AllowedOrigins.
package api
