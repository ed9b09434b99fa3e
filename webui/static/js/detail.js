// The supervisor's interaction detail (M2, G1): one call opened from the
// team table, live from the supervisor's event stream, with the monitoring
// actions. Everything shown comes from the agent views the stream already
// carries (the same ones the table draws), so the detail needs no request
// of its own: secure variables arrive masked by the orchestrator, and a
// masked value is all this page ever has. Whether monitoring may start is
// the same reason the table's Monitor button gives; once this supervisor
// monitors the call, the buttons follow the server's monitor action table.

import { post } from './api.js';
import { $, el, showText } from './dom.js';
import { readable } from './datetime.js';
import * as fmt from './format.js';

const MODES = ['listen', 'whisper', 'barge'];
const CONSULT_STATES = { connecting: 'connecting', ringing: 'ringing', connected: 'connected' };

// ctx: {failed(err), self(), team(): Map<user id, AgentView>, monitorWhy(agent, me)}
const det = { ctx: null, id: '', last: null, go: {}, varsKey: '' };

/** initDetail wires the panel's buttons. */
export function initDetail(ctx) {
  det.ctx = ctx;
  $('ix-detail-close').addEventListener('click', () => closeDetail(''));
  for (const m of MODES) {
    $(`ix-detail-${m}`).addEventListener('click', () => {
      const go = det.go[m];
      if (go) act(go);
    });
  }
}

/** openDetail shows the interaction id, as its agents' views carry it. */
export function openDetail(id) {
  det.id = id;
  det.varsKey = '';
  showText('ix-detail-note', '');
  renderDetail();
  if (!det.id) return;
  $('ix-detail').scrollIntoView({ block: 'nearest' });
  $('ix-detail-close').focus();
}

/** detailID is the interaction shown now ("" when closed). */
export function detailID() {
  return det.id;
}

/**
 * closeDetail hides the panel; note, when set, says why it closed by
 * itself and stays until the next detail opens or it is dismissed.
 */
export function closeDetail(note) {
  det.id = '';
  det.last = null;
  det.go = {};
  $('ix-detail').hidden = true;
  showText('ix-detail-note', note);
}

/** holders are the signed-in agents whose view carries the interaction. */
function holders() {
  return [...det.ctx.team().values()].filter((a) => a.interaction && a.interaction.id === det.id)
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

// rank puts the agent handling the call first, then whoever wraps it up
// (after a transfer), then a consulted agent.
function rank(a) {
  const ix = a.interaction;
  if (ix.role === 'consulted') return 2;
  return ix.state === 'wrapup' ? 1 : 0;
}

/** renderDetail redraws the panel from the team's views; it closes when no agent holds the interaction any more. */
export function renderDetail() {
  if (!det.id) return;
  const hs = holders();
  if (!hs.length) {
    const l = det.last;
    closeDetail(l ? `The interaction with ${l.caller} (${l.queue}) has ended, so its detail was closed.` : 'The interaction has ended.');
    return;
  }
  const p = hs[0];
  const ix = p.interaction;
  det.last = { caller: ix.caller, queue: ix.queue };
  $('ix-detail').hidden = false;
  $('ix-detail').dataset.interactionId = ix.id;
  $('ix-detail-caller').textContent = ix.caller;
  $('ix-detail-queue').textContent = ix.queue;
  const [text, kind] = stateBadge(ix);
  $('ix-detail-state').textContent = text;
  $('ix-detail-state').className = `badge ${kind}`;
  $('ix-detail-agents').replaceChildren(...hs.map((a) => el('li', { dataset: { testid: 'ix-detail-agent', userId: a.user_id } },
    el('strong', {}, a.name), a.station && a.station.number ? ` · ${a.station.number}` : '', ` (${partLabel(a)})`,
    a.monitored_by ? el('span', { class: 'muted' }, ` · monitored by ${a.monitored_by}`) : '')));
  $('ix-detail-consult').textContent = consultText(ix);
  $('ix-detail-held').textContent = heldText(ix);
  renderTimes(ix, Date.now());
  renderVars(ix);
  renderActions(p);
}

/** tickDetail updates the running clocks. */
export function tickDetail(now) {
  if (!det.id) return;
  const hs = holders();
  if (hs.length) renderTimes(hs[0].interaction, now);
}

function stateBadge(ix) {
  if (ix.state === 'wrapup') return ['Wrap-up', 'held'];
  if (ix.state === 'connecting' || ix.state === 'queued') return ['Connecting', 'consult'];
  if (ix.state === 'ringing') return ['Ringing', 'consult'];
  if (ix.consult && ix.consult.conference) return ['Conference', 'ok'];
  if (ix.consult) return ['Consulting', 'consult'];
  if (ix.held) return ['On hold', 'held'];
  return ['Connected', 'ok'];
}

function partLabel(a) {
  const ix = a.interaction;
  if (ix.role === 'consulted') return 'consulted';
  if (ix.state === 'wrapup') return 'wrapping up';
  if (ix.state === 'connecting' || ix.state === 'ringing') return 'being offered the call';
  return 'handling';
}

function party(p) {
  return p ? [p.name, p.station, p.team].filter(Boolean).join(' · ') : '';
}

function consultText(ix) {
  const c = ix.consult;
  if (!c) return 'None';
  const who = party(c.with) || 'another party';
  if (c.conference) return `Conference with ${who}`;
  let held = '';
  if (c.held === 'customer') held = '; the customer is on hold';
  else if (c.held === 'consulted') held = `; ${c.with && c.with.name ? c.with.name : 'the consulted party'} is on hold`;
  return `With ${who}, ${CONSULT_STATES[c.state] || c.state}${held}`;
}

function heldText(ix) {
  if (ix.state === 'wrapup') return '—';
  if (ix.held || (ix.consult && ix.consult.held === 'customer')) return 'The customer is on hold';
  return 'Not on hold';
}

function recordingText(ix, now) {
  const r = ix.recording;
  if (!r) return 'Not recorded';
  if (r.state === 'paused') return fmt.isSet(r.resumes_at) ? `Paused · resumes in ${fmt.until(r.resumes_at, now)}` : 'Paused';
  if (r.state === 'stopped') return 'Stopped';
  return 'Recording';
}

/** renderTimes fills the clock rows from the server's timestamps. */
function renderTimes(ix, now) {
  $('ix-detail-recording').textContent = recordingText(ix, now);
  const answered = fmt.isSet(ix.answered_at);
  const arrived = fmt.isSet(ix.arrived_at);
  const waitedUntil = answered ? Date.parse(ix.answered_at) : now;
  $('ix-detail-arrived').textContent = arrived
    ? `${fmt.time(ix.arrived_at)} · waited ${fmt.duration(waitedUntil - Date.parse(ix.arrived_at))}` : '—';
  $('ix-detail-answered').textContent = answered ? fmt.time(ix.answered_at) : 'Not yet';
  let label = 'Talking';
  let value = answered ? fmt.since(ix.answered_at, now) : '—';
  if (ix.state === 'wrapup') {
    label = 'Wrap-up';
    value = fmt.isSet(ix.ended_at) ? `${fmt.since(ix.ended_at, now)} (call ended ${fmt.time(ix.ended_at)})` : '';
    if (fmt.isSet(ix.wrapup_deadline)) value += ` · ends by itself in ${fmt.until(ix.wrapup_deadline, now)}`;
  } else if (!answered) {
    label = 'Waiting';
    value = arrived ? fmt.since(ix.arrived_at, now) : '—';
  }
  $('ix-detail-timer-label').textContent = label;
  $('ix-detail-timer').textContent = value;
}

/**
 * renderVars lists the call data as the stream carries it. A secure value
 * is masked whatever arrives (A11.3): a supervisor has no reveal here.
 */
function renderVars(ix) {
  const vars = ix.variables || [];
  const key = JSON.stringify(vars.map((v) => [v.name, v.label, v.secure ? '' : v.value, v.secure, v.type]));
  if (key === det.varsKey) return;
  det.varsKey = key;
  $('ix-detail-vars-empty').hidden = vars.length > 0;
  $('ix-detail-vars').replaceChildren(...vars.flatMap((v) => {
    let value;
    if (v.secure) value = el('span', { class: 'secret' }, '*****');
    else if (v.type === 'datetime' && v.value) value = el('time', { datetime: v.value, title: v.value }, readable(v.value));
    else value = v.value || '—';
    return [el('dt', {}, v.label || v.name), el('dd', { dataset: { testid: 'ix-detail-var', var: v.name } }, value)];
  }));
}

/**
 * renderActions drives Listen, Whisper and Barge. Before this supervisor
 * monitors the call they start a session, disabled with the team table's
 * reason; barging is a change of an answered session (M4), so it waits
 * for one. Once monitoring, each is the server's monitor action.
 */
function renderActions(p) {
  const me = det.ctx.self();
  const mine = me && me.monitoring;
  const watching = Boolean(mine) && mine.agent_id === p.user_id;
  $('ix-detail-monitor').textContent = watching ? `You are monitoring ${mine.agent_name} (${mine.mode}${mine.paused ? ', paused' : ''}, ${mine.state}).` : '';
  $('ix-detail-monitor').hidden = !watching;
  const startWhy = watching ? '' : det.ctx.monitorWhy(p, me);
  det.go = {};
  for (const m of MODES) {
    let why;
    if (watching) {
      const v = (mine.actions || {})[m] || { allowed: false, reason: 'Not available now' };
      why = v.allowed ? '' : v.reason || 'Not available now';
      if (!why) det.go[m] = () => post(`/api/v1/monitors/${encodeURIComponent(mine.id)}/${m}`);
    } else {
      why = startWhy || (m === 'barge' ? 'Start Listen or Whisper first; you barge in once your phone has answered' : '');
      if (!why) det.go[m] = () => post('/api/v1/monitors', { agent_id: p.user_id, mode: m });
    }
    const b = $(`ix-detail-${m}`);
    b.disabled = Boolean(why);
    b.title = why;
  }
}

async function act(fn) {
  try {
    await fn();
  } catch (err) {
    det.ctx.failed(err);
  }
}
