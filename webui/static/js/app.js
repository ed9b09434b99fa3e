// The Ringside desktop: sign-in, station, and the agent desktop. All live
// state comes from the server: a snapshot on every (re)connection of the
// event stream, then events with growing sequence numbers.

import { initAdmin, loadAdmin } from './admin.js';
import { del, EventStream, get, post, put } from './api.js';
import { pollHealth, renderHealth } from './banner.js';
import { action, closePickers, drive, forgetRevealed, initCalls, renderCall, renderConsultOffer, tickCall } from './calls.js';
import { desktopId, sayLeaving, showElsewhere } from './desktop.js';
import { $, fillFacts, setOptions, showText } from './dom.js';
import * as fmt from './format.js';
import { detectDemo, Sim } from './sim.js';
import { dialStation, initDialFields, loadDialCountries, showRememberedDial, syncDialFields } from './station.js';
import { initSupervisor, renderTable, showSupervisor, teamEvent, teamSnapshot, tickTable } from './supervisor.js';

const ROLE_NAMES = { agent: 'Agent', supervisor: 'Supervisor', supervisor_agent: 'Supervisor and Agent' };
const BUSY_STATES = { ringing: 'Connecting', engaged: 'On a call', wrapup: 'Wrap-up' };

const app = {
  screen: 'loading',
  me: null, // GET /api/v1/me
  agent: null, // the live AgentView; null when not signed in on a station
  seq: 0, // sequence number of the snapshot or last event applied
  idleCodes: [],
  wrapupCodes: [],
  stream: null,
  demo: null, // null: not checked yet
  sim: null,
  ronaText: '',
  wrapupFor: '', // the interaction the wrap-up dialog was prepared for
  adminOpen: false, // an admin chose Administration
  leftDesktop: false, // the page said goodbye (pagehide) and may come back from the cache
};

// ---- screens ---------------------------------------------------------------

function setScreen(name) {
  // S9 before sign-in: the screens after it get health from the event stream.
  if ((name === 'signin') !== (app.screen === 'signin')) pollHealth(name === 'signin');
  app.screen = name;
  $('app').dataset.screen = name;
  $('loading').hidden = name !== 'loading';
  $('signin-screen').hidden = name !== 'signin';
  $('station-screen').hidden = name !== 'station';
  $('elsewhere-screen').hidden = name !== 'elsewhere';
  $('desktop-screen').hidden = name !== 'desktop';
  $('desk-header').hidden = name !== 'desktop';
  $('admin-screen').hidden = name !== 'admin';
  $('admin-open').hidden = !hasRole('admin') || !['station', 'desktop'].includes(name);
  if (name !== 'desktop') {
    $('connecting').hidden = true;
    $('offer-popover').hidden = true;
    $('consult-popover').hidden = true;
    hideNotice();
    closePickers();
    if (app.sim) app.sim.stop();
    showSupervisor(false);
  }
}

/** route shows the screen that the current state calls for. */
function route() {
  if (!app.me) {
    if (app.screen !== 'signin') enterSignIn();
    return;
  }
  if (app.adminOpen || !(hasRole('agent') || hasRole('supervisor'))) {
    if (app.screen !== 'admin') enterAdmin(); // administration needs no station
    return;
  }
  if (!app.agent) {
    if (app.screen !== 'station') enterStation();
    return;
  }
  if (app.screen !== 'desktop') enterDesktop();
  else renderDesk();
}

// ---- banner ----------------------------------------------------------------

function showBanner(text, kind = 'error') {
  $('banner-text').textContent = text;
  $('banner').className = `banner ${kind}`;
  $('banner').hidden = false;
}

function hideBanner() {
  $('banner').hidden = true;
}

/** showNotice shows a notice the server pushed (consult failed, transfer failed…). */
function showNotice(text, kind = 'info') {
  $('notice-text').textContent = text;
  $('notice').className = `notice ${kind}`;
  $('notice').hidden = false;
}

function hideNotice() {
  $('notice').hidden = true;
}

/** failed shows an action's failure; a lost session leads back to sign-in. */
function failed(err, where) {
  if (err.status === 401) {
    signedOut(err.message);
    return;
  }
  if (err.code === 'desktop_replaced') {
    enterElsewhere('replaced'); // S2: the stream has not told us yet
    return;
  }
  if (where) showText(where, err.message);
  else showBanner(err.message, 'error');
}

// ---- sign-in ---------------------------------------------------------------

function enterSignIn() {
  setScreen('signin');
  $('login').focus();
}

async function onSignIn(e) {
  e.preventDefault();
  showText('signin-error', '');
  const button = $('signin');
  button.disabled = true;
  try {
    await post('/api/v1/auth/login', { login: $('login').value, password: $('password').value });
    $('password').value = '';
    hideBanner();
    app.me = await get('/api/v1/me');
    app.agent = app.me.agent;
    await openDesktop();
  } catch (err) {
    showText('signin-error', err.message);
  } finally {
    button.disabled = false;
  }
}

/** signedOut forgets everything and shows the sign-in screen with a message. */
function signedOut(message) {
  if (app.stream) app.stream.stop();
  app.stream = null;
  renderHealth(null); // no stream to clear it any more
  app.me = null;
  app.agent = null;
  app.seq = 0;
  app.adminOpen = false;
  enterSignIn();
  if (message) showText('signin-error', message);
}

async function logout() {
  try {
    await post('/api/v1/auth/logout');
  } catch (err) {
    showBanner(err.message, 'error');
    return;
  }
  hideBanner();
  signedOut('');
}

// ---- station ---------------------------------------------------------------

function hasRole(role) {
  return Boolean(app.me) && app.me.roles.includes(role);
}

async function enterStation() {
  setScreen('station');
  showText('station-error', '');
  $('station-user').textContent = app.me.user.name;
  $('role-field').hidden = !(hasRole('agent') && hasRole('supervisor')); // S3
  loadTeams();
  loadDialCountries();
  const select = $('station-select');
  try {
    const { stations } = await get('/api/v1/stations');
    setOptions(select, stations.length
      ? stations.map((s) => [s.number, s.label === s.number ? s.number : `${s.label} (${s.number})`])
      : [['', 'No extensions available', true]]);
  } catch (err) {
    failed(err, 'station-error');
  }
  if (app.screen !== 'station' || !app.me) return; // moved on meanwhile
  const remembered = app.me.remembered_station; // S5
  $('remember').checked = Boolean(remembered);
  if (remembered && remembered.type === 'dial_number') {
    $('station-type-dial').checked = true;
    showRememberedDial(remembered.number);
  } else {
    $('station-type-extension').checked = true;
    if (remembered && [...select.options].some((o) => o.value === remembered.number)) select.value = remembered.number;
  }
  syncStationType();
  ($('role-field').hidden ? select : $('role-select')).focus();
}

function syncStationType() {
  const dial = $('station-type-dial').checked;
  $('station-select').disabled = dial;
  syncDialFields();
}

// S6: a Supervisor-and-Agent picks the team they work in; the list is
// searchable and starts on the user's own team.
async function loadTeams() {
  syncTeamField();
  if ($('role-field').hidden) return;
  try {
    const { teams } = await get('/api/v1/teams');
    app.teams = teams;
    filterTeams();
  } catch (err) {
    failed(err, 'station-error');
  }
}

function filterTeams() {
  const q = $('team-search').value.trim().toLowerCase();
  const select = $('team-select');
  const keep = select.value || String(app.me.user.team_id || '');
  const shown = (app.teams || []).filter((t) => t.name.toLowerCase().includes(q));
  setOptions(select, shown.length ? shown.map((t) => [String(t.id), t.name]) : [['', 'No team matches', true]]);
  if (shown.some((t) => String(t.id) === keep)) select.value = keep;
}

function syncTeamField() {
  $('team-field').hidden = signInRole() !== 'supervisor_agent';
}

function signInRole() {
  if (hasRole('agent') && hasRole('supervisor')) return $('role-select').value;
  return hasRole('agent') ? 'agent' : 'supervisor';
}

async function onStartSession(e) {
  e.preventDefault();
  showText('station-error', '');
  const dial = $('station-type-dial').checked;
  const body = {
    role: signInRole(),
    station: dial
      ? dialStation()
      : { type: 'extension', number: $('station-select').value },
    remember: $('remember').checked,
  };
  if (!$('team-field').hidden && $('team-select').value) body.team_id = Number($('team-select').value);
  const button = $('start-session');
  button.disabled = true;
  try {
    app.agent = await post('/api/v1/session', body);
    route();
  } catch (err) {
    failed(err, 'station-error');
  } finally {
    button.disabled = false;
  }
}

// ---- administration (admin.js) ------------------------------------------------

function enterAdmin() {
  setScreen('admin');
  $('admin-back').hidden = !(hasRole('agent') || hasRole('supervisor'));
  loadAdmin();
}

function openAdmin() {
  app.adminOpen = true;
  route();
}

function closeAdmin() {
  app.adminOpen = false;
  route();
}

// ---- desktop ---------------------------------------------------------------

async function enterDesktop() {
  setScreen('desktop');
  renderDesk();
  const [idle, wrapup] = await Promise.allSettled([get('/api/v1/idle-codes'), get('/api/v1/wrapup-codes')]);
  if (idle.status === 'fulfilled') app.idleCodes = idle.value.idle_codes;
  else failed(idle.reason);
  if (wrapup.status === 'fulfilled') app.wrapupCodes = wrapup.value.wrapup_codes;
  else if (wrapup.reason.status !== 403) failed(wrapup.reason); // supervisors take no calls
  app.wrapupFor = '';
  if (app.demo === null) app.demo = await detectDemo();
  if (app.demo && !app.sim) {
    app.sim = new Sim({ onError: (m) => showBanner(m, 'error'), station: () => (app.agent ? app.agent.station : null) });
  }
  $('desktop-screen').classList.toggle('no-sim', !app.demo);
  $('sim-panel').hidden = !app.demo;
  if (app.screen === 'desktop') {
    if (app.sim) app.sim.start();
    renderDesk();
  }
}

function stationLabel(st) {
  if (st.type === 'dial_number') return st.number;
  if (!st.virtual) return st.number;
  return st.mobile ? `${st.number} (mobile ${st.mobile})` : `${st.number} (mobile)`;
}

function renderDesk() {
  const a = app.agent;
  if (!a || app.screen !== 'desktop') return;
  $('user-name').textContent = a.name || app.me.user.name;
  $('user-role').textContent = ROLE_NAMES[a.role] || a.role;
  $('station-label').textContent = stationLabel(a.station);
  $('state-time').title = fmt.isSet(a.since) ? `Since ${fmt.dateTime(a.since)}` : '';
  renderStateSelect(a);
  showSupervisor(a.role === 'supervisor' || a.role === 'supervisor_agent');
  renderTable();

  const ix = a.interaction;
  const ixState = ix ? ix.state : '';
  const takesCalls = a.role !== 'supervisor';
  // A12, A8.3: the wrap-up dialog after an end or a transfer, as the state says.
  const wrapup = Boolean(ix) && (ixState === 'wrapup' || a.state === 'wrapup');
  const panel = wrapup ? 'wrapup-dialog'
    : ixState === 'connected' ? 'call-view'
      : a.state === 'rona' ? 'rona-prompt'
        : 'waiting-panel';
  for (const id of ['waiting-panel', 'call-view', 'wrapup-dialog', 'rona-prompt']) $(id).hidden = id !== panel;
  if (panel !== 'call-view') closePickers();

  // A1: Connecting, then the Contact request popover; a consult request
  // (A6.5) has its own popover naming the requesting agent.
  const consultOffer = Boolean(ix) && ix.role === 'consulted';
  $('connecting').hidden = wrapup || ixState !== 'connecting';
  $('offer-popover').hidden = wrapup || ixState !== 'ringing' || consultOffer;
  $('consult-popover').hidden = wrapup || ixState !== 'ringing' || !consultOffer;
  if (ix && (ixState === 'connecting' || ixState === 'ringing')) {
    $('connecting-text').textContent = consultOffer ? `Consult from ${ix.from ? ix.from.name : 'an agent'}` : `${ix.queue} · ${ix.caller}`;
    $('offer-from').textContent = `${ix.caller} · queue ${ix.queue}`;
    // A1, A11.3: never a secure variable in the popover, whatever the server sent.
    const vars = (ix.variables || []).filter((v) => v.popover && !v.secure).slice(0, 6);
    fillFacts($('offer-vars'), vars.map((v) => [v.label || v.name, v.value]));
    if (consultOffer) renderConsultOffer(ix);
  }

  if (panel === 'waiting-panel') renderWaiting(a, takesCalls);
  if (panel === 'call-view') renderCall(ix);
  if (panel === 'wrapup-dialog') renderWrapup(ix);
  if (panel === 'rona-prompt') renderRona();
  tick();
}

function renderStateSelect(a) {
  const ready = a.station.virtual ? 'Virtual' : 'Available';
  const opts = [['available', ready]];
  for (const c of app.idleCodes) opts.push([`idle:${c.code}`, `Idle – ${c.label}`]);
  let value = 'available';
  if (a.state === 'idle') {
    value = `idle:${a.reason}`;
    if (!app.idleCodes.some((c) => c.code === a.reason)) opts.push([value, `Idle – ${a.reason}`]);
  } else if (a.state === 'rona') {
    value = 'rona';
    opts.push(['rona', 'RONA', true]); // A3: shown while it applies; leaving it is manual
  } else if (BUSY_STATES[a.state]) {
    value = `busy:${a.state}`;
    opts.push([value, busyName(a), true]);
  }
  const select = $('state-select');
  setOptions(select, opts);
  select.value = value;
  const busy = Boolean(BUSY_STATES[a.state]);
  select.disabled = busy;
  select.title = busy ? 'You cannot change your state during a call' : '';
}

/** busyName names a talking state; an offer is Connecting, then Ringing (A13). */
function busyName(a) {
  if (a.state === 'ringing' && a.interaction && a.interaction.state === 'ringing') return 'Ringing';
  return BUSY_STATES[a.state];
}

function renderWaiting(a, takesCalls) {
  let title = 'Ready';
  let text = '';
  if (!takesCalls) {
    title = 'Signed in as supervisor';
    text = 'You take no calls in this role.';
  } else if (a.state === 'idle') {
    const code = app.idleCodes.find((c) => c.code === a.reason);
    title = `Idle – ${code ? code.label : a.reason}`;
    text = 'You are not offered calls. Choose Available to take calls.';
  } else if (a.state === 'available' || a.state === 'virtual') {
    title = 'Waiting for calls';
    text = a.queues && a.queues.length ? `Queues: ${a.queues.join(', ')}` : 'You are in no queue.';
  } else if (a.interaction && (a.interaction.state === 'connecting' || a.interaction.state === 'ringing')) {
    title = a.interaction.role === 'consulted' ? 'Consult request' : 'Incoming call';
    text = a.interaction.state === 'ringing' ? 'Your phone is ringing: answer it to take the call.' : 'Calling your phone…';
  } else if (BUSY_STATES[a.state]) {
    title = busyName(a);
  }
  $('waiting-title').textContent = title;
  $('waiting-text').textContent = text;
}

function renderWrapup(ix) {
  const select = $('wrapup-code');
  const manual = app.wrapupCodes.filter((c) => !c.auto);
  const codes = manual.length ? manual : app.wrapupCodes;
  setOptions(select, codes.length ? codes.map((c) => [c.code, c.label]) : [['', 'No wrap-up reasons', true]]);
  $('wrapup-summary').textContent = `${ix.caller} · queue ${ix.queue}`;
  drive('wrapup-submit', ix, 'wrapup');
  if (app.wrapupFor !== ix.id) {
    app.wrapupFor = ix.id;
    showText('wrapup-error', '');
    select.focus();
  }
}

function renderRona() {
  const select = $('rona-idle-code');
  setOptions(select, app.idleCodes.length ? app.idleCodes.map((c) => [c.code, c.label]) : [['', 'No idle reasons', true]]);
  $('rona-idle').disabled = !app.idleCodes.length;
  $('rona-text').textContent = app.ronaText || 'A call was offered to you and not answered, so it went back to its queue. Go Available or Idle to continue.';
  if ($('rona-prompt').dataset.shown !== app.agent.since) {
    $('rona-prompt').dataset.shown = app.agent.since;
    $('rona-available').focus();
  }
}

/** tick updates every running clock once a second. */
function tick() {
  const a = app.agent;
  if (!a || app.screen !== 'desktop') return;
  const now = Date.now();
  $('state-time').textContent = fmt.isSet(a.since) ? fmt.since(a.since, now) : '';
  const ix = a.interaction;
  if (ix && ix.state === 'connected' && fmt.isSet(ix.answered_at)) {
    $('call-timer').textContent = fmt.since(ix.answered_at, now);
  }
  if (ix && ix.state === 'connected') tickCall(ix, now);
  const countdown = $('wrapup-countdown');
  if (ix && ix.state === 'wrapup' && fmt.isSet(ix.wrapup_deadline)) {
    countdown.hidden = false;
    countdown.textContent = `Wrap-up ends by itself in ${fmt.until(ix.wrapup_deadline, now)} (at ${fmt.time(ix.wrapup_deadline)})`;
  } else {
    countdown.hidden = true;
  }
}

async function setState(body) {
  try {
    await put('/api/v1/session/state', body);
    return true;
  } catch (err) {
    failed(err);
    renderDesk(); // show the state the agent is really in
    return false;
  }
}

function onStatePicked() {
  const v = $('state-select').value;
  if (v === 'available') setState({ state: 'available' });
  else if (v.startsWith('idle:')) setState({ state: 'idle', reason_code: v.slice(5) });
}

async function onWrapup() {
  const ix = app.agent && app.agent.interaction;
  if (!ix) return;
  showText('wrapup-error', '');
  const button = $('wrapup-submit');
  if (!action(ix, 'wrapup').allowed) return;
  button.disabled = true;
  try {
    await post(`/api/v1/interactions/${encodeURIComponent(ix.id)}/wrapup`, { code: $('wrapup-code').value });
  } catch (err) {
    failed(err, 'wrapup-error');
  } finally {
    button.disabled = false;
    renderDesk();
  }
}

async function onSignOut() {
  if (app.agent) {
    try {
      await del('/api/v1/session');
    } catch (err) {
      failed(err); // S8: the server says why not
      return;
    }
  }
  await logout();
}

// ---- one live desktop per user (S2) --------------------------------------------

/**
 * openDesktop claims this tab as the user's desktop, then opens the event
 * stream. While another tab or browser holds it, the user is asked first.
 */
async function openDesktop() {
  try {
    await post('/api/v1/desktop', { id: desktopId, takeover: false });
  } catch (err) {
    if (err.status === 401) {
      signedOut(err.message);
      return;
    }
    if (err.code === 'desktop_in_use') {
      enterElsewhere('in_use');
      return;
    }
    // Anything else: go on; the stream's handshake applies the same rule.
    showBanner(err.message, 'error');
  }
  startStream();
  route();
}

/** enterElsewhere stops this desktop: kind 'in_use' (the prompt) or 'replaced'. */
function enterElsewhere(kind) {
  if (app.stream) app.stream.stop();
  app.stream = null;
  renderHealth(null); // no stream to keep it current
  hideBanner();
  showElsewhere(kind);
  setScreen('elsewhere');
  $('elsewhere-continue').focus();
}

/** takeOver is Continue / Use here: this tab becomes the desktop, state intact. */
async function takeOver() {
  const button = $('elsewhere-continue');
  showText('elsewhere-error', '');
  button.disabled = true;
  try {
    await post('/api/v1/desktop', { id: desktopId, takeover: true });
    app.me = await get('/api/v1/me');
    app.agent = app.me.agent;
  } catch (err) {
    if (err.status === 401) signedOut(err.message);
    else showText('elsewhere-error', err.message);
    return;
  } finally {
    button.disabled = false;
  }
  startStream();
  route();
}

// ---- the event stream --------------------------------------------------------

function startStream() {
  if (app.stream) return;
  app.stream = new EventStream({
    onSnapshot(msg) {
      $('link-status').hidden = true;
      app.seq = msg.seq;
      app.agent = msg.agent; // a snapshot replaces everything (S10)
      renderHealth(msg.health); // S9: an outage under way shows at once
      forgetRevealed();
      route();
      teamSnapshot(msg.agents); // supervisors: every signed-in agent
      if (app.sim) app.sim.refresh();
    },
    onEvent(msg) {
      if (typeof msg.seq !== 'number' || msg.seq <= app.seq) return; // older than what we have
      app.seq = msg.seq;
      if (msg.type === 'agent' && app.me && msg.user_id !== app.me.user.id) {
        teamEvent(msg.user_id, msg.agent); // another agent: the team table
      } else if (msg.type === 'agent') {
        if (msg.agent) teamEvent(msg.user_id, msg.agent);
        app.agent = msg.agent || null;
        forgetRevealed(); // A11.3: a revealed value lasts until the next update
        route();
      } else if (msg.type === 'notice' && msg.notice) {
        onNotice(msg.notice);
      } else if (msg.type === 'health') {
        renderHealth(msg.health); // S9: for every desktop, whoever's event
      }
      if (app.sim) app.sim.refresh();
    },
    onDown() {
      $('link-status').hidden = false;
    },
    onSignedOut() {
      app.stream = null;
      signedOut('Your session has ended. Sign in again.');
    },
    onReplaced() {
      app.stream = null;
      enterElsewhere('replaced');
    },
  });
}

function onNotice(n) {
  if (n.kind === 'rona') {
    app.ronaText = n.text;
    renderDesk();
    return;
  }
  showNotice(n.text, n.kind === 'error' ? 'error' : 'info');
}

// ---- start -------------------------------------------------------------------

function wire() {
  $('signin-form').addEventListener('submit', onSignIn);
  $('station-form').addEventListener('submit', onStartSession);
  $('station-type-extension').addEventListener('change', syncStationType);
  $('station-type-dial').addEventListener('change', syncStationType);
  initDialFields();
  $('role-select').addEventListener('change', syncTeamField);
  $('team-search').addEventListener('input', filterTeams);
  $('logout').addEventListener('click', logout);
  $('sign-out').addEventListener('click', onSignOut);
  $('state-select').addEventListener('change', onStatePicked);
  $('wrapup-submit').addEventListener('click', onWrapup);
  $('rona-available').addEventListener('click', () => setState({ state: 'available' }));
  $('rona-idle').addEventListener('click', () => setState({ state: 'idle', reason_code: $('rona-idle-code').value }));
  $('banner-close').addEventListener('click', hideBanner);
  $('elsewhere-continue').addEventListener('click', takeOver);
  $('elsewhere-cancel').addEventListener('click', () => showElsewhere('cancelled'));
  $('elsewhere-signout').addEventListener('click', logout);
  $('notice-close').addEventListener('click', hideNotice);
  initCalls({ agent: () => app.agent, failed, render: renderDesk });
  initSupervisor({ failed, self: () => app.agent });
  initAdmin({ failed });
  $('admin-open').addEventListener('click', openAdmin);
  $('admin-back').addEventListener('click', closeAdmin);
  $('admin-logout').addEventListener('click', onSignOut);
  setInterval(tick, 1000);
  setInterval(tickTable, 1000);
  // S2: a desktop with a stream has claimed; its page going away frees it.
  // The stream is closed here too: a page kept in the back-forward cache
  // would otherwise hold the desktop with its open socket.
  addEventListener('pagehide', () => {
    if (!app.stream) return;
    sayLeaving();
    app.stream.stop();
    app.stream = null;
    app.leftDesktop = true;
  });
  addEventListener('pageshow', (e) => {
    // Back from the back-forward cache: claim again (or be prompted) and stream.
    if (e.persisted && app.leftDesktop) {
      app.leftDesktop = false;
      openDesktop();
    }
  });
}

async function boot() {
  wire();
  try {
    app.me = await get('/api/v1/me');
  } catch (err) {
    if (err.status !== 401) showBanner(err.message, 'error');
    enterSignIn();
    return;
  }
  app.agent = app.me.agent;
  await openDesktop();
}

// For browser tests and debugging: a read-only look at the live state.
window.ringside = { get state() { return { screen: app.screen, seq: app.seq, agent: app.agent, demo: app.demo }; } };

boot();
