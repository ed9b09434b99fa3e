// Call handling on the desktop (A5–A11): the call panel's buttons, the
// recording indicator, the consult panel, the consult and transfer pickers,
// and the call-data panel. Whether a button is enabled, and why not, is
// always the server's answer (interaction.actions); nothing here decides a
// rule.

import { get, patch, post } from './api.js';
import { fromLocalInput, readable, toLocalInput, zoneLabel } from './datetime.js';
import { $, el, fillFacts, showText } from './dom.js';
import * as fmt from './format.js';

/** The most characters a call variable takes (A11.2). */
export const MAX_VALUE = 256;

const STATE_NAMES = {
  available: 'Available', virtual: 'Virtual', idle: 'Idle', ringing: 'Ringing', engaged: 'On a call',
  wrapup: 'Wrap-up', rona: 'RONA', logged_out: 'Logged out',
};
const CONSULT_STATES = { connecting: 'Connecting…', ringing: 'Ringing', connected: 'Connected' };

let ctx = null; // { agent(): AgentView|null, failed(err, where), render() }
const pending = new Set(); // actions whose request is under way
const ui = {
  ixId: '', // the interaction the call-data state below belongs to
  editing: new Map(), // variable name → {version} read when editing began (A11.4)
  notes: new Map(), // variable name → {text, kind}
  revealed: new Map(), // variable name → value, until the next server update (A11.3)
};
let pickers = [];

function current() {
  const a = ctx.agent();
  return a && a.interaction;
}

const ixPath = (ix, rest) => `/api/v1/interactions/${encodeURIComponent(ix.id)}/${rest}`;

/**
 * action is what the server says about one action now: {allowed, reason}.
 * A server that sends no actions at all predates them: only End and
 * Wrap-up exist there.
 */
export function action(ix, name) {
  if (!ix) return { allowed: false, reason: 'No call' };
  if (!ix.actions) {
    return name === 'end' || name === 'wrapup' ? { allowed: true } : { allowed: false, reason: 'Not available on this server' };
  }
  return ix.actions[name] || { allowed: false, reason: 'Not available now' };
}

/** drive enables a button when the server allows its action, else disables it with the reason as its tooltip. */
export function drive(id, ix, name) {
  const b = $(id);
  const a = action(ix, name);
  b.disabled = !a.allowed || pending.has(name);
  b.title = a.allowed ? '' : sentence(a.reason || 'Not available now');
}

/** sentence starts a server's reason with a capital, as a tooltip stands alone. */
function sentence(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** run sends one interaction command; its failure is shown as the server's message. */
async function run(name, rest, body) {
  const ix = current();
  if (!ix || pending.has(name)) return false;
  pending.add(name);
  ctx.render();
  try {
    await post(ixPath(ix, rest), body);
    return true;
  } catch (err) {
    ctx.failed(err);
    return false;
  } finally {
    pending.delete(name);
    ctx.render();
  }
}

/** party names an agent, queue or number: "Sue Both · 2003 · Team Red". */
function party(p) {
  if (!p) return '';
  return [p.name, p.station, p.team].filter(Boolean).join(' · ');
}

// ---- the call and consult panels ------------------------------------------------

/** renderCall fills the call view for a connected interaction. */
export function renderCall(ix) {
  if (ui.ixId !== ix.id) {
    ui.ixId = ix.id;
    ui.editing.clear();
    ui.notes.clear();
    ui.revealed.clear();
  }
  const consulted = ix.role === 'consulted';
  $('call-caller').textContent = ix.caller;
  $('call-queue').textContent = ix.queue;
  $('call-answered').textContent = fmt.isSet(ix.answered_at) ? fmt.time(ix.answered_at) : '';
  $('call-title').textContent = consulted ? 'Consult call' : 'Call';

  const badge = $('call-state');
  let [text, kind] = ['Connected', 'ok'];
  if (consulted) [text, kind] = ['Consult', 'consult'];
  else if (ix.consult && ix.consult.conference) [text, kind] = ['Conference', 'ok'];
  else if (ix.consult) [text, kind] = ['Consulting…', 'consult'];
  else if (ix.held) [text, kind] = ['On hold', 'held'];
  badge.textContent = text;
  badge.className = `badge ${kind}`;

  // A7: the consulted agent has Exit consult only (in the consult panel).
  $('call-actions').hidden = consulted;
  $('rec-strip').hidden = consulted;
  drive('hold', ix, 'hold');
  drive('resume', ix, 'resume');
  drive('consult', ix, 'consult');
  drive('transfer', ix, 'transfer');
  drive('conference', ix, 'conference');
  drive('end-call', ix, 'end');
  drive('rec-pause', ix, 'recording_pause');
  drive('rec-resume', ix, 'recording_resume');
  renderRecording(ix, Date.now());
  renderConsult(ix);
  renderVars(ix);
}

/** renderRecording shows the recording indicator (A10.2) with the privacy-shield countdown (A10.3). */
function renderRecording(ix, now) {
  const r = ix.recording;
  const state = r ? r.state : '';
  let icon = '○';
  let text = 'Not recorded';
  let cls = 'off';
  if (state === 'recording') {
    [icon, text, cls] = ['●', 'Recording', 'on'];
  } else if (state === 'paused') {
    [icon, text, cls] = ['❚❚', 'Paused', 'paused'];
    if (fmt.isSet(r.resumes_at)) text = `Paused · resumes in ${fmt.until(r.resumes_at, now)}`;
  } else if (state === 'stopped') {
    text = 'Recording stopped';
  }
  $('rec-indicator').className = `rec-indicator ${cls}`;
  $('rec-icon').textContent = icon;
  $('rec-text').textContent = text;
  $('rec-indicator').title = state === 'paused' && fmt.isSet(r.resumes_at) ? `Recording resumes by itself at ${fmt.time(r.resumes_at)}` : '';
}

/** tickCall updates the call view's running clocks. */
export function tickCall(ix, now) {
  if (ix && ix.recording && ix.recording.state === 'paused') renderRecording(ix, now);
  if (ix && ix.consult && ix.consult.state === 'queued') $('consult-state').textContent = queuedText(ix.consult, now);
}

/** queuedText is a queue consult waiting for an agent (A6.1): "Waiting in queue support · 0:12". */
function queuedText(c, now) {
  return `Waiting in queue ${c.queue} · ${fmt.since(c.since, now)}`;
}

/** renderConsult shows the consult in progress (A6), for agent 1 or the consulted agent. */
function renderConsult(ix) {
  const consulted = ix.role === 'consulted';
  const c = ix.consult;
  const panel = $('consult-panel');
  panel.hidden = !(consulted || c);
  if (panel.hidden) return;
  panel.classList.toggle('conference', Boolean(c && c.conference));
  let state = c ? c.state : ix.state;
  if (c && c.conference) state = 'conference';
  if (state === 'queued') $('consult-state').textContent = queuedText(c, Date.now());
  else $('consult-state').textContent = state === 'conference' ? 'Conference' : CONSULT_STATES[state] || state;
  $('consult-state').className = `badge ${state === 'connected' || state === 'conference' ? 'ok' : 'consult'}`;
  let held = '';
  if (consulted) {
    $('consult-title').textContent = 'Consult';
    $('consult-with-label').textContent = 'Requested by';
    $('consult-with').textContent = party(ix.from);
    const from = ix.from ? ix.from.name : 'The other agent';
    if (c && c.conference) held = 'Conference: you, the customer and ' + from + ' hear each other.';
    else if (c && c.held === 'consulted') held = `${from} has put you on hold.`;
  } else {
    const who = c.with && c.with.name ? c.with.name : 'The consulted party';
    $('consult-title').textContent = 'Consult';
    $('consult-with-label').textContent = 'With';
    $('consult-with').textContent = party(c.with);
    if (c.conference) held = `Conference: you, the customer and ${who} hear each other.`;
    else if (c.held === 'customer') held = 'The customer is on hold.';
    else if (c.held === 'consulted') held = `${who} is on hold; you are talking to the customer.`;
  }
  $('consult-held').textContent = held;
  for (const id of ['consult-resume-customer', 'consult-resume-consulted', 'consult-transfer', 'consult-conference', 'consult-end']) $(id).hidden = consulted;
  $('consult-exit').hidden = !consulted;
  drive('consult-resume-customer', ix, 'resume');
  drive('consult-resume-consulted', ix, 'resume_consulted');
  drive('consult-transfer', ix, 'transfer');
  drive('consult-conference', ix, 'conference');
  drive('consult-end', ix, 'consult_end');
  drive('consult-exit', ix, 'consult_exit');
}

/** renderConsultOffer fills the consulted agent's popover (A1, A6.5). */
export function renderConsultOffer(ix) {
  const from = ix.from || {};
  const line = $('consult-from');
  line.replaceChildren(el('strong', {}, from.name || 'An agent'),
    from.station ? ` · DN ${from.station}` : '', from.team ? ` · ${from.team}` : '');
  $('consult-about').textContent = `Customer ${ix.caller} · queue ${ix.queue}`;
  // A1, A11.3: up to six variables, never a secure one, whatever the server sent.
  const vars = (ix.variables || []).filter((v) => v.popover && !v.secure).slice(0, 6);
  fillFacts($('consult-vars'), vars.map((v) => [v.label || v.name, v.value]));
}

// ---- the consult and transfer pickers (A6.1, A8.1) ----------------------------

class Picker {
  /** prefix names the dialog's ids; purpose is the target list's; go(target) acts. */
  constructor(prefix, purpose, go) {
    this.p = prefix;
    this.purpose = purpose;
    this.go = go;
    this.dialog = $(`${prefix}-dialog`);
    this.tabName = 'agent';
    this.sel = { agent: null, queue: null };
    this.agentSeq = 0;
    this.searchTimer = 0;
    for (const t of ['agent', 'queue', 'dial']) {
      $(`${prefix}-tab-${t}`).addEventListener('click', () => this.tab(t, true));
    }
    $(`${prefix}-tab-agent`).parentElement.addEventListener('keydown', (e) => this.onTabKey(e));
    $(`${prefix}-search`).addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.loadAgents(), 200);
    });
    for (const [kind, list] of [['agent', `${prefix}-agents`], ['queue', `${prefix}-queues`]]) {
      const ul = $(list);
      ul.addEventListener('click', (e) => this.pick(kind, e.target.closest('li[data-id]')));
      ul.addEventListener('dblclick', (e) => {
        if (this.pick(kind, e.target.closest('li[data-id]'))) this.submit();
      });
      ul.addEventListener('keydown', (e) => this.onListKey(kind, ul, e));
    }
    $(`${prefix}-cancel`).addEventListener('click', () => this.close());
    $(`${prefix}-form`).addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
  }

  open() {
    showText(`${this.p}-error`, '');
    $(`${this.p}-search`).value = '';
    $(`${this.p}-number`).value = '';
    this.sel = { agent: null, queue: null };
    $(`${this.p}-agents`).replaceChildren();
    $(`${this.p}-queues`).replaceChildren();
    $(`${this.p}-go`).disabled = false;
    this.tab('agent', false);
    if (!this.dialog.open) this.dialog.showModal();
    $(`${this.p}-search`).focus();
    this.loadAgents();
    this.loadQueues();
  }

  close() {
    clearTimeout(this.searchTimer);
    if (this.dialog.open) this.dialog.close();
  }

  tab(name, focus) {
    this.tabName = name;
    for (const t of ['agent', 'queue', 'dial']) {
      const b = $(`${this.p}-tab-${t}`);
      b.setAttribute('aria-selected', String(t === name));
      b.tabIndex = t === name ? 0 : -1;
      $(`${this.p}-pane-${t}`).hidden = t !== name;
    }
    showText(`${this.p}-error`, '');
    if (!focus) return;
    if (name === 'agent') $(`${this.p}-search`).focus();
    else if (name === 'dial') $(`${this.p}-number`).focus();
    else $(`${this.p}-tab-queue`).focus();
  }

  onTabKey(e) {
    const order = ['agent', 'queue', 'dial'];
    const i = order.indexOf(this.tabName);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = order[(i + (e.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length];
      this.tab(next, false);
      $(`${this.p}-tab-${next}`).focus();
    }
  }

  async loadAgents() {
    const seq = ++this.agentSeq;
    const q = $(`${this.p}-search`).value.trim();
    try {
      const { agents } = await get(`/api/v1/targets/agents?purpose=${this.purpose}&q=${encodeURIComponent(q)}`);
      if (seq !== this.agentSeq) return; // a newer search is under way
      if (!agents.some((a) => String(a.user_id) === this.sel.agent)) this.sel.agent = null;
      const none = q ? `No agent matches “${q}”` : `No agent can take a ${this.purpose} now`;
      this.fill(`${this.p}-agents`, 'agent', agents.map((a) => ({
        id: String(a.user_id),
        attrs: { 'data-testid': 'target-agent', 'data-user-id': String(a.user_id), 'data-state': a.state },
        label: `${a.name}, ${a.station}, ${STATE_NAMES[a.state] || a.state}`,
        cells: [
          el('span', { class: 't-name' }, a.name),
          el('span', { class: 't-station' }, a.station),
          el('span', { class: 't-state' }, el('span', { class: `state-dot ${a.state}`, 'aria-hidden': 'true' }), STATE_NAMES[a.state] || a.state),
        ],
      })), none);
    } catch (err) {
      if (seq === this.agentSeq) ctx.failed(err, `${this.p}-error`);
    }
  }

  async loadQueues() {
    try {
      const { queues } = await get('/api/v1/queues');
      if (!queues.some((q) => String(q.id) === this.sel.queue)) this.sel.queue = null;
      this.fill(`${this.p}-queues`, 'queue', queues.map((q) => ({
        id: String(q.id),
        attrs: { 'data-testid': 'target-queue', 'data-queue-id': String(q.id) },
        label: q.name,
        cells: [el('span', { class: 't-name' }, q.name)],
      })), 'No queues');
    } catch (err) {
      ctx.failed(err, `${this.p}-error`);
    }
  }

  fill(listId, kind, rows, none) {
    const ul = $(listId);
    if (!rows.length) {
      ul.replaceChildren(el('li', { class: 'empty', role: 'presentation' }, none));
      return;
    }
    const sel = this.sel[kind];
    ul.replaceChildren(...rows.map((r, i) => el('li', {
      ...r.attrs,
      role: 'option',
      'aria-label': r.label,
      'aria-selected': String(r.id === sel),
      tabindex: r.id === sel || (!sel && i === 0) ? '0' : '-1',
      dataset: { id: r.id },
    }, ...r.cells)));
  }

  /** pick selects a row; it answers whether one was picked. */
  pick(kind, li) {
    if (!li) return false;
    this.sel[kind] = li.dataset.id;
    for (const row of li.parentElement.querySelectorAll('li[data-id]')) {
      const on = row === li;
      row.setAttribute('aria-selected', String(on));
      row.tabIndex = on ? 0 : -1;
    }
    showText(`${this.p}-error`, '');
    return true;
  }

  onListKey(kind, ul, e) {
    const rows = [...ul.querySelectorAll('li[data-id]')];
    const i = rows.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = rows[Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) next.focus();
    } else if ((e.key === 'Enter' || e.key === ' ') && i >= 0) {
      e.preventDefault();
      const already = this.sel[kind] === rows[i].dataset.id;
      this.pick(kind, rows[i]);
      if (already && e.key === 'Enter') this.submit();
    }
  }

  /** target reads the chosen destination, or a message saying what is missing. */
  target() {
    if (this.tabName === 'agent') {
      return this.sel.agent ? { type: 'agent', id: Number(this.sel.agent) } : 'Choose an agent.';
    }
    if (this.tabName === 'queue') {
      return this.sel.queue ? { type: 'queue', id: Number(this.sel.queue) } : 'Choose a queue.';
    }
    const number = $(`${this.p}-number`).value.trim();
    return number ? { type: 'dial_number', number } : 'Enter a number to dial.';
  }

  async submit() {
    const t = this.target();
    if (typeof t === 'string') {
      showText(`${this.p}-error`, t);
      return;
    }
    showText(`${this.p}-error`, '');
    const go = $(`${this.p}-go`);
    if (go.disabled) return;
    go.disabled = true;
    try {
      await this.go(t);
      this.close();
    } catch (err) {
      ctx.failed(err, `${this.p}-error`); // the dialog stays open with the server's reason
    } finally {
      go.disabled = false;
    }
  }
}

/** closePickers closes the consult and transfer dialogs (the call moved on). */
export function closePickers() {
  for (const p of pickers) p.close();
}

// ---- call data (A11) ------------------------------------------------------------

/** forgetRevealed masks revealed secure values again: each server update re-renders (A11.3). */
export function forgetRevealed() {
  ui.revealed.clear();
}

function renderVars(ix) {
  const dl = $('call-vars');
  const vars = ix.variables || [];
  $('call-vars-empty').hidden = vars.length > 0;
  const rows = new Map([...dl.children].map((r) => [r.dataset.var, r]));
  const names = new Set(vars.map((v) => v.name));
  for (const [name, row] of rows) {
    if (!names.has(name)) row.remove();
  }
  vars.forEach((v, i) => {
    let row = rows.get(v.name);
    if (row && row.dataset.type !== varType(v)) { // another call defines the name differently
      row.remove();
      row = null;
    }
    row = row || makeRow(v);
    updateRow(row, v);
    if (dl.children[i] !== row) dl.insertBefore(row, dl.children[i] || null);
  });
}

/** varType is how a variable is edited: text, or datetime (A11.2). */
function varType(v) {
  return v.type === 'datetime' ? 'datetime' : 'text';
}

function makeRow(v) {
  const name = v.name;
  const type = varType(v);
  // A11.2: a date-time gets the browser's picker, to the second, in the
  // agent's local time; saving converts it to RFC 3339 with their offset.
  const input = type === 'datetime'
    ? el('input', { type: 'datetime-local', step: '1', 'data-testid': 'var-input', autocomplete: 'off' })
    : el('input', { type: 'text', maxlength: String(MAX_VALUE), 'data-testid': 'var-input', autocomplete: 'off' });
  const count = el('span', { class: 'count', 'aria-live': 'polite', hidden: type === 'datetime' });
  input.addEventListener('input', () => updateCount(input, count));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancelEdit(name);
    }
  });
  const editor = el('form', { class: 'var-editor', 'data-testid': 'var-editor', novalidate: true, hidden: true },
    input,
    el('div', { class: 'row' },
      el('button', { type: 'submit', class: 'small', 'data-testid': 'var-save' }, 'Save'),
      el('button', { type: 'button', class: 'small secondary', 'data-testid': 'var-cancel', onclick: () => cancelEdit(name) }, 'Cancel'),
      count,
      type === 'datetime' && el('span', { class: 'zone', 'data-testid': 'var-zone' }, zoneLabel())));
  editor.addEventListener('submit', (e) => {
    e.preventDefault();
    saveVar(name);
  });
  return el('div', { class: 'var-row', 'data-testid': 'var-row', dataset: { var: name, type } },
    el('dt', {}),
    el('dd', {}, el('div', { class: 'var-view' }), editor),
    el('p', { class: 'var-note', 'data-testid': 'var-notice', role: 'status', hidden: true }));
}

function updateCount(input, count) {
  const n = [...input.value].length;
  count.textContent = `${n}/${MAX_VALUE}`;
  count.classList.toggle('error', n > MAX_VALUE);
}

function updateRow(row, v) {
  const name = v.name;
  const label = v.label || name;
  row.querySelector('dt').textContent = label;
  const editing = ui.editing.has(name);
  const revealed = ui.revealed.get(name);
  const view = row.querySelector('.var-view');
  const key = JSON.stringify([v.value, v.secure, v.editable, revealed, label, varType(v)]);
  if (view.dataset.key !== key) {
    view.dataset.key = key;
    let value;
    if (v.secure) {
      value = el('span', { class: 'var-value secret', 'data-testid': 'var-value' }, revealed === undefined ? '*****' : revealed);
    } else if (varType(v) === 'datetime' && v.value) {
      // Shown in the agent's locale and time zone; the stored value on hover.
      value = el('time', { class: 'var-value', 'data-testid': 'var-value', datetime: v.value, title: v.value }, readable(v.value));
    } else {
      value = el('span', { class: `var-value${v.value ? '' : ' empty'}`, 'data-testid': 'var-value' }, v.value || '—');
    }
    view.replaceChildren(...[value,
      v.secure && revealed === undefined && el('button', { type: 'button', class: 'link', 'data-testid': 'var-reveal', 'aria-label': `Reveal ${label}`, onclick: () => revealVar(name) }, 'Reveal'),
      v.secure && revealed !== undefined && el('button', { type: 'button', class: 'link', 'data-testid': 'var-hide', 'aria-label': `Hide ${label}`, onclick: () => hideVar(name) }, 'Hide'),
      v.editable && el('button', { type: 'button', class: 'link', 'data-testid': 'var-edit', 'aria-label': `Edit ${label}`, onclick: () => startEdit(name) }, 'Edit')].filter(Boolean));
  }
  view.hidden = editing;
  const editor = row.querySelector('.var-editor');
  editor.hidden = !editing;
  editor.querySelector('input').setAttribute('aria-label', `New value for ${label}`);
  const note = ui.notes.get(name);
  const p = row.querySelector('.var-note');
  p.textContent = note ? note.text : '';
  p.hidden = !note;
  p.className = `var-note${note && note.kind === 'error' ? ' error' : ''}`;
}

function findVar(name) {
  const ix = current();
  return ix && (ix.variables || []).find((v) => v.name === name);
}

function rowOf(name) {
  return [...$('call-vars').children].find((r) => r.dataset.var === name);
}

function startEdit(name) {
  const v = findVar(name);
  if (!v) return;
  ui.editing.set(name, { version: v.version });
  ui.notes.delete(name);
  const row = rowOf(name);
  const input = row.querySelector('[data-testid=var-input]');
  const current = v.secure ? ui.revealed.get(name) || '' : v.value;
  if (varType(v) === 'datetime') {
    input.value = toLocalInput(current);
    if (current && !input.value) {
      // The PBX may have sent something the picker cannot show: say so
      // rather than silently offering an empty field.
      ui.notes.set(name, { text: `The current value “${current}” is not a date-time the picker can show; pick a new one.`, kind: 'warn' });
    }
  } else {
    input.value = current;
  }
  updateCount(input, row.querySelector('.count'));
  ctx.render();
  input.focus();
  if (input.type === 'text') input.select();
}

function cancelEdit(name) {
  ui.editing.delete(name);
  ui.notes.delete(name);
  ctx.render();
  const edit = rowOf(name)?.querySelector('[data-testid=var-edit]');
  if (edit) edit.focus();
}

async function saveVar(name) {
  const ix = current();
  const ed = ui.editing.get(name);
  const row = rowOf(name);
  if (!ix || !ed || !row) return;
  const input = row.querySelector('[data-testid=var-input]');
  const save = row.querySelector('[data-testid=var-save]');
  let value = input.value;
  if (row.dataset.type === 'datetime') {
    // The picker's local time becomes RFC 3339 with the agent's offset;
    // the server still checks it. A half-typed date reads as "" with
    // badInput set, which must not be taken for clearing the value.
    value = input.validity.badInput ? null : fromLocalInput(input.value);
    if (value === null) {
      ui.notes.set(name, { text: 'Enter a complete date and time, or clear the field.', kind: 'error' });
      ctx.render();
      return;
    }
  }
  const n = [...value].length;
  if (n > MAX_VALUE) { // A11.2, checked here too so the user need not wait for the server
    ui.notes.set(name, { text: `At most ${MAX_VALUE} characters (this is ${n}).`, kind: 'error' });
    ctx.render();
    return;
  }
  if (save.disabled) return;
  save.disabled = true;
  try {
    const saved = await patch(ixPath(ix, `variables/${encodeURIComponent(name)}`), { value, version: ed.version });
    ui.editing.delete(name);
    ui.notes.delete(name);
    merge(ix, [saved]);
  } catch (err) {
    if (err.status === 401) {
      ctx.failed(err);
      return;
    }
    if (err.status === 409) {
      // A11.4: someone saved first; show the server's message and the value that won.
      ui.editing.delete(name);
      ui.notes.set(name, { text: err.message, kind: 'warn' });
      await refresh(ix.id);
    } else {
      ui.notes.set(name, { text: err.message, kind: 'error' });
    }
  } finally {
    save.disabled = false;
    ctx.render();
  }
}

/** merge takes saved variables into the shown interaction when they are newer. */
function merge(ix, saved) {
  const vars = ix.variables || [];
  for (const s of saved) {
    const i = vars.findIndex((v) => v.name === s.name);
    if (i >= 0 && s.version >= vars[i].version) vars[i] = { ...vars[i], ...s };
  }
}

/** refresh reads the interaction again and takes its newer variables. */
async function refresh(id) {
  try {
    const { interactions } = await get('/api/v1/interactions?active=true');
    const fresh = interactions.find((x) => x.id === id);
    const ix = current();
    if (fresh && ix && ix.id === id) merge(ix, fresh.variables || []);
  } catch (err) {
    ctx.failed(err);
  }
}

async function revealVar(name) {
  const ix = current();
  if (!ix) return;
  try {
    const { value } = await post(ixPath(ix, `variables/${encodeURIComponent(name)}/reveal`));
    if (current() === ix || (current() && current().id === ix.id)) ui.revealed.set(name, value);
    ui.notes.delete(name);
  } catch (err) {
    if (err.status === 401) {
      ctx.failed(err);
      return;
    }
    ui.notes.set(name, { text: err.message, kind: 'error' });
  }
  ctx.render();
}

function hideVar(name) {
  ui.revealed.delete(name);
  ctx.render();
}

// ---- wiring -------------------------------------------------------------------

/** initCalls wires the call view's controls. */
export function initCalls(c) {
  ctx = c;
  const send = (rest, body) => {
    const ix = current();
    if (!ix) throw new Error('The call has ended.');
    return post(ixPath(ix, rest), body);
  };
  const consult = new Picker('consult', 'consult', (target) => send('consult', { target }));
  const transfer = new Picker('transfer', 'transfer', (target) => send('transfer', { target, mode: 'blind' }));
  pickers = [consult, transfer];
  const on = (id, fn) => $(id).addEventListener('click', fn);
  on('hold', () => run('hold', 'hold'));
  on('resume', () => run('resume', 'resume'));
  on('end-call', () => run('end', 'end'));
  on('conference', () => run('conference', 'conference'));
  on('consult', () => current() && consult.open());
  on('transfer', () => current() && transfer.open());
  on('rec-pause', () => run('recording_pause', 'recording/pause'));
  on('rec-resume', () => run('recording_resume', 'recording/resume'));
  on('consult-resume-customer', () => run('resume', 'resume'));
  on('consult-resume-consulted', () => run('resume_consulted', 'consult/resume'));
  on('consult-end', () => run('consult_end', 'consult/end'));
  on('consult-exit', () => run('consult_exit', 'consult/exit'));
  on('consult-transfer', () => run('transfer', 'transfer', { mode: 'consult' }));
  on('consult-conference', () => run('conference', 'conference'));
}
