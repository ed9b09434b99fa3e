// The supervisor desktop (M1–M7, G1–G3): the team's agents live from the
// event stream, an actions menu per row, the monitoring pane and the queue
// strip. Every rule is the server's: disabled buttons carry its reason.

import { del, get, post, put } from './api.js';
import { closeDetail, detailID, initDetail, openDetail, renderDetail, tickDetail } from './detail.js';
import { $, el, setOptions } from './dom.js';
import * as fmt from './format.js';

const STATE_NAMES = { available: 'Available', idle: 'Idle', ringing: 'Connecting', engaged: 'On a call', wrapup: 'Wrap-up', rona: 'RONA', virtual: 'Virtual', logged_out: 'Logged out' };

const sup = { ctx: null, team: new Map(), queues: [], idleCodes: [], statsTimer: 0, open: 0, menuFor: 0, active: false,
  expanded: new Set(), devices: new Map() };

/** initSupervisor wires the view; ctx: {failed(err), me(), self()}. */
export function initSupervisor(ctx) {
  sup.ctx = ctx;
  $('agents-filter-state').addEventListener('change', refreshAgents);
  let t = 0;
  $('agents-search').addEventListener('input', () => { clearTimeout(t); t = setTimeout(refreshAgents, 250); });
  for (const a of ['pause', 'resume', 'whisper', 'listen', 'barge']) $(`mon-${a}`).addEventListener('click', () => monitorAction(a));
  $('mon-end').addEventListener('click', endMonitor);
  $('queue-picker-ok').addEventListener('click', onQueuePicked);
  $('idle-picker-ok').addEventListener('click', onIdlePicked);
  for (const id of ['queue-picker-cancel', 'idle-picker-cancel']) $(id).addEventListener('click', closeSupPickers);
  initDetail({ failed: ctx.failed, self: ctx.self, team: () => sup.team, monitorWhy });
}

/** showSupervisor shows or hides the view; on show it loads its lists. */
export async function showSupervisor(on) {
  $('supervisor-view').hidden = !on;
  if (on === sup.active) return;
  sup.active = on;
  clearInterval(sup.statsTimer);
  if (!on) {
    closeDetail('');
    return;
  }
  sup.statsTimer = setInterval(refreshStats, 5000);
  refreshStats();
  refreshAgents();
  const [q, idle] = await Promise.allSettled([get('/api/v1/queues'), get('/api/v1/idle-codes')]);
  if (q.status === 'fulfilled') sup.queues = q.value.queues || [];
  else sup.ctx.failed(q.reason);
  if (idle.status === 'fulfilled') sup.idleCodes = idle.value.idle_codes || [];
  else sup.ctx.failed(idle.reason);
}

/** teamSnapshot replaces the table from the stream's snapshot. */
export function teamSnapshot(agents) {
  if (!agents) return;
  sup.team = new Map(agents.map((a) => [a.user_id, a]));
  renderTable();
}

/** teamEvent applies one agent's change (null: signed out). */
export function teamEvent(userID, agent) {
  if (agent) sup.team.set(userID, agent);
  else sup.team.delete(userID);
  renderTable();
}

async function refreshAgents() {
  const q = new URLSearchParams();
  const st = $('agents-filter-state').value;
  const text = $('agents-search').value.trim();
  if (st) q.set('state', st);
  if (text) q.set('q', text);
  try {
    const r = await get('/api/v1/agents' + (q.toString() ? `?${q}` : ''));
    // The search is server-side; the live table keeps every agent and
    // shows those the server matched.
    sup.matched = (st || text) ? new Set(r.agents.map((a) => a.user_id)) : null;
    for (const a of r.agents) sup.team.set(a.user_id, a);
    renderTable();
  } catch (err) {
    sup.ctx.failed(err);
  }
}

async function refreshStats() {
  try {
    const r = await get('/api/v1/queues/stats');
    $('queue-strip').replaceChildren(...r.queues.map((q) => el('div', { class: 'queue-tile', dataset: { queueId: q.id } },
      el('strong', {}, q.name),
      el('span', { dataset: { testid: 'q-waiting' } }, `Waiting ${q.waiting}`),
      // Agents' consults waiting in this queue (A6.1), shown only when there are some.
      q.consults_waiting ? el('span', { dataset: { testid: 'q-consults' } }, `Consults ${q.consults_waiting}`) : false,
      el('span', { dataset: { testid: 'q-longest' } }, `Longest ${fmt.duration(q.longest_wait_seconds * 1000)}`),
      el('span', { dataset: { testid: 'q-available' } }, `Available ${q.available}`))));
  } catch (err) {
    if (err.status !== 403) sup.ctx.failed(err);
  }
}

function visible(a) {
  if (sup.matched) return sup.matched.has(a.user_id) && (!$('agents-filter-state').value || a.state === $('agents-filter-state').value);
  return true;
}

/** renderTable redraws the team table and the monitoring pane. */
export function renderTable() {
  if (!sup.active) return;
  const me = sup.ctx.self();
  const rows = [...sup.team.values()].filter((a) => a.user_id !== (me && me.user_id) && visible(a))
    .sort((a, b) => a.name.localeCompare(b.name));
  const now = Date.now();
  // What the actions menu shows depends on the viewer too (monitorWhy).
  const viewer = JSON.stringify(me ? { m: me.monitoring || null, i: Boolean(me.interaction) } : null);
  patchRows($('agents-body'), rows.flatMap((a) => {
    const open = sup.expanded.has(a.user_id);
    const row = { key: `a${a.user_id}`, sig: JSON.stringify([a, open, detailID(), viewer]), build: () => agentRow(a, open, me, now) };
    if (!open) return [row];
    const dev = sup.devices.get(a.user_id);
    return [row, { key: `d${a.user_id}`, sig: JSON.stringify([stationKey(a), dev || null]), build: () => devicesRow(a) }];
  }));
  renderMonitor(me);
  renderDetail();
}

/**
 * patchRows makes body's rows the wanted ones, rebuilding only rows whose
 * data changed. Events redraw the table many times a second on a busy
 * team; rebuilding every row would drop a click that lands mid-redraw and
 * the focus of a keyboard user.
 */
function patchRows(body, want) {
  const have = [...body.children];
  const sameOrder = have.length === want.length && have.every((tr, i) => tr.dataset.key === want[i].key);
  if (sameOrder) {
    want.forEach((w, i) => {
      if (have[i].dataset.sig !== w.sig) have[i].replaceWith(keyed(w));
    });
    return;
  }
  const byKey = new Map(have.map((tr) => [tr.dataset.key, tr]));
  body.replaceChildren(...want.map((w) => {
    const old = byKey.get(w.key);
    return old && old.dataset.sig === w.sig ? old : keyed(w);
  }));
}

function keyed(w) {
  const tr = w.build();
  tr.dataset.key = w.key;
  tr.dataset.sig = w.sig;
  return tr;
}

/** agentRow is one agent's row of the team table. */
function agentRow(a, open, me, now) {
  const ix = a.interaction;
  return el('tr', { class: ix && ix.id === detailID() ? 'detail-open' : '', dataset: { testid: 'agent-row', userId: a.user_id } },
    el('td', {}, el('button', {
      type: 'button', class: 'small secondary expand', dataset: { testid: 'agent-expand' },
      'aria-expanded': String(open), title: open ? 'Hide devices' : 'Show devices', onclick: () => toggleDevices(a.user_id),
    }, open ? '▾' : '▸'), ' ', a.name),
    el('td', { dataset: { testid: 'agent-state' } }, STATE_NAMES[a.state] || a.state),
    el('td', { dataset: { testid: 'agent-reason' } }, a.reason || ''),
    el('td', { class: 'mono', dataset: { since: a.since } }, fmt.isSet(a.since) ? fmt.since(a.since, now) : ''),
    el('td', { dataset: { testid: 'agent-call' } }, ix ? el('button', {
      type: 'button', class: 'link', dataset: { testid: 'agent-call-open' }, title: 'Show the interaction', onclick: () => showInteraction(ix.id),
    }, `${ix.caller} · ${ix.queue}`) : ''),
    el('td', { dataset: { testid: 'agent-queues' } }, (a.queues || []).join(', ')),
    el('td', { dataset: { testid: 'agent-monitored-by' } }, a.monitored_by || ''),
    el('td', {}, actionsMenu(a, me)));
}

/** showInteraction opens the interaction detail and marks its row. */
function showInteraction(id) {
  openDetail(id);
  renderTable();
}

// stationKey changes when the agent's active station does, so the open
// devices row is fetched again.
function stationKey(a) {
  const st = a.station || {};
  return `${a.state}|${st.type || ''}|${st.number || ''}`;
}

function toggleDevices(userID) {
  if (sup.expanded.has(userID)) sup.expanded.delete(userID);
  else sup.expanded.add(userID);
  renderTable();
}

/** devicesRow is the expanded row: the agent's devices, the active one marked (G3). */
function devicesRow(a) {
  const key = stationKey(a);
  const entry = sup.devices.get(a.user_id);
  if (!entry || entry.key !== key) loadDevices(a.user_id, key);
  let body;
  if (!entry || !entry.devices) body = el('span', { class: 'muted' }, entry && entry.error ? entry.error : 'Loading devices…');
  else if (!entry.devices.length) body = el('span', { class: 'muted' }, 'No devices');
  else {
    body = el('ul', { class: 'device-list' }, ...entry.devices.map((d) => el('li', {
      class: d.active ? 'device active' : 'device',
      dataset: { testid: 'device', type: d.type, number: d.number, active: String(Boolean(d.active)) },
    }, d.type === 'dial_number' ? `number ${d.label}` : d.label, d.virtual && !d.label.startsWith('mobile') ? ' (virtual)' : '',
    d.active ? el('span', { class: 'badge ok', dataset: { testid: 'device-active' } }, '● active') : '')));
  }
  return el('tr', { class: 'agent-devices', dataset: { testid: 'agent-devices', userId: a.user_id } },
    el('td', { colspan: 8 }, el('strong', {}, 'Devices: '), body));
}

async function loadDevices(userID, key) {
  const prev = sup.devices.get(userID);
  // Keep the last list on screen while the new one loads.
  sup.devices.set(userID, { key, devices: prev && prev.devices });
  try {
    const r = await get(`/api/v1/agents/${userID}/devices`);
    const cur = sup.devices.get(userID);
    if (cur && cur.key === key) sup.devices.set(userID, { key, devices: r.devices || [] });
  } catch (err) {
    const cur = sup.devices.get(userID);
    if (cur && cur.key === key) sup.devices.set(userID, { key, devices: cur.devices, error: err.message || 'Could not load devices' });
  }
  if (sup.expanded.has(userID)) renderTable();
}

/** tickTable updates the time-in-state column. */
export function tickTable() {
  if (!sup.active) return;
  const now = Date.now();
  for (const td of document.querySelectorAll('#agents-body td[data-since]')) {
    if (fmt.isSet(td.dataset.since)) td.textContent = fmt.since(td.dataset.since, now);
  }
  tickDetail(now);
}

function button(testid, label, onclick, why) {
  return el('button', { type: 'button', class: 'small secondary', dataset: { testid }, disabled: Boolean(why), title: why || '', onclick }, label);
}

/**
 * monitorWhy is why monitoring of agent a cannot start now, "" when it
 * can: the server's rules (M1, M2) as far as the views show them, for the
 * table's Monitor button and the interaction detail alike. The server
 * checks again when asked.
 */
function monitorWhy(a, me) {
  const ix = a.interaction;
  if (a.monitored_by) return `Already monitored by ${a.monitored_by}`;
  if (!ix || a.state !== 'engaged' || ix.state !== 'connected') return 'Not on a call';
  if (ix.role === 'consulted') return 'Consulted on another agent\'s call: monitor the agent who handles it';
  if (me && me.monitoring) return 'End your current monitoring first';
  if (me && me.interaction) return 'You cannot monitor while on a call of your own';
  return '';
}

function actionsMenu(a, me) {
  const ix = a.interaction;
  return el('div', { class: 'row-actions', dataset: { testid: 'agent-actions' } },
    button('act-monitor', 'Monitor', () => startMonitor(a), monitorWhy(a, me)),
    button('act-detail', 'Interaction', () => ix && showInteraction(ix.id), ix ? '' : 'No interaction'),
    button('act-queue-login', 'Log into queue', () => openQueuePicker(a, true)),
    button('act-queue-logout', 'Log out of queue', () => openQueuePicker(a, false), (a.queues || []).length ? '' : 'Not in any queue'),
    button('act-idle', 'Set Idle', () => openIdlePicker(a), a.state === 'idle' ? 'Already Idle' : ''),
    button('act-signout', 'Sign out', () => act(() => del(`/api/v1/agents/${a.user_id}/session`))),
    button('act-end-wrapup', 'End wrap-up', () => act(() => post(`/api/v1/agents/${a.user_id}/wrapup/end`)), a.state === 'wrapup' ? '' : 'Not in wrap-up'));
}

async function act(fn) {
  try {
    await fn();
  } catch (err) {
    sup.ctx.failed(err);
  }
}

function startMonitor(a) {
  act(() => post('/api/v1/monitors', { agent_id: a.user_id, mode: 'listen' }));
}

function openQueuePicker(a, login) {
  closeSupPickers();
  sup.menuFor = a.user_id;
  sup.queueLogin = login;
  const opts = sup.queues.filter((q) => login !== (a.queues || []).includes(q.name)).map((q) => [String(q.id), q.name]);
  setOptions($('queue-picker-select'), opts);
  $('queue-picker-title').textContent = `${login ? 'Log into' : 'Log out of'} a queue: ${a.name}`;
  $('queue-picker').hidden = false;
  $('queue-picker-select').focus();
}

function openIdlePicker(a) {
  closeSupPickers();
  sup.menuFor = a.user_id;
  setOptions($('idle-picker-select'), sup.idleCodes.map((c) => [c.code, c.label]));
  $('idle-picker-title').textContent = `Set Idle: ${a.name}`;
  $('idle-picker').hidden = false;
  $('idle-picker-select').focus();
}

function closeSupPickers() {
  $('queue-picker').hidden = true;
  $('idle-picker').hidden = true;
}

async function onQueuePicked() {
  const q = $('queue-picker-select').value;
  if (!q) return;
  const path = `/api/v1/agents/${sup.menuFor}/queues/${encodeURIComponent(q)}`;
  closeSupPickers();
  await act(() => (sup.queueLogin ? post(path) : del(path)));
}

async function onIdlePicked() {
  const code = $('idle-picker-select').value;
  closeSupPickers();
  await act(() => put(`/api/v1/agents/${sup.menuFor}/state`, { state: 'idle', reason_code: code }));
}

function renderMonitor(me) {
  const m = me && me.monitoring;
  $('monitor-pane').hidden = !m;
  if (!m) return;
  $('monitor-agent').textContent = m.agent_name;
  $('monitor-state').textContent = m.held ? 'held (agent consulting)'
    : m.state === 'following' ? 'following the transfer (waiting for the new agent to answer)' : m.state;
  $('monitor-mode').textContent = m.mode;
  $('monitor-paused').hidden = !m.paused;
  for (const a of ['pause', 'resume', 'whisper', 'listen', 'barge', 'end']) {
    const v = (m.actions || {})[a] || { allowed: false, reason: 'Not available' };
    const b = $(`mon-${a}`);
    b.disabled = !v.allowed;
    b.title = v.allowed ? '' : (v.reason || '');
  }
}

function monitorAction(a) {
  const m = sup.ctx.self() && sup.ctx.self().monitoring;
  if (m) act(() => post(`/api/v1/monitors/${encodeURIComponent(m.id)}/${a}`));
}

function endMonitor() {
  const m = sup.ctx.self() && sup.ctx.self().monitoring;
  if (m) act(() => del(`/api/v1/monitors/${encodeURIComponent(m.id)}`));
}
