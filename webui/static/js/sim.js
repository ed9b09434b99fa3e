// Demo mode only: a simulated handset for the agent's station and a
// customer who places calls, both driving /api/v1/sim.

import { get, post } from './api.js';
import { $, el, showText } from './dom.js';

/** detectDemo reports whether the simulated PBX API is there. */
export async function detectDemo() {
  try {
    await get('/api/v1/sim/legs');
    return true;
  } catch {
    return false;
  }
}

/** parseVars reads "a=1, b=two" into {a: "1", b: "two"}. */
export function parseVars(text) {
  const vars = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    vars[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return vars;
}

/**
 * stationPhone is the number a station's legs are dialled to: a virtual
 * extension rings the agent's mobile through the trunk (R3), so its legs
 * carry the mobile (PJSIP/+15555550123@trunk), not the extension number.
 */
export function stationPhone(station) {
  if (!station) return '';
  return station.mobile || station.number || '';
}

/** dialsTo says whether a leg's endpoint (PJSIP/2001, PJSIP/+1555…@trunk) reaches number. */
export function dialsTo(endpoint, number) {
  return Boolean(number) && endpoint.split(/[/@]/).includes(number);
}

export class Sim {
  /** onError(message) shows a failure; station() is the agent's StationView, or null. */
  constructor({ onError, station }) {
    this.onError = onError;
    this.station = station;
    this.legs = [];
    this.customerLegs = new Set();
    this.timer = 0;
    this.busy = false;
    $('customer-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.placeCall();
    });
  }

  start() {
    if (this.timer) return;
    this.refresh();
    this.timer = setInterval(() => this.refresh(), 1000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
  }

  async refresh() {
    if (this.busy) return;
    this.busy = true;
    try {
      const data = await get('/api/v1/sim/legs');
      this.legs = data.legs || [];
      this.render();
    } catch {
      // The demo API going away is shown by the desktop's own state.
    } finally {
      this.busy = false;
    }
  }

  async act(leg, action) {
    try {
      await post(`/api/v1/sim/legs/${encodeURIComponent(leg.id)}/${action}`);
    } catch (err) {
      this.onError(err.message);
    }
    this.refresh();
  }

  async placeCall() {
    showText('customer-error', '');
    const queue = $('customer-queue').value.trim();
    const caller = $('customer-caller').value.trim();
    const variables = parseVars($('customer-vars').value);
    const button = $('customer-call');
    button.disabled = true;
    try {
      const res = await post('/api/v1/sim/calls', { queue, caller, variables });
      this.customerLegs.add(res.leg_id);
    } catch (err) {
      showText('customer-error', err.message);
    } finally {
      button.disabled = false;
    }
    this.refresh();
  }

  render() {
    const number = stationPhone(this.station());
    $('sim-station').textContent = number ? `(${number})` : '';
    const onStation = this.legs.filter((l) => l.state !== 'down' && !l.inbound && dialsTo(l.endpoint, number));
    renderList($('sim-legs'), onStation.map((leg) => ({
      key: `${leg.id}/${leg.state}`,
      make: () => {
        const ringing = leg.state === 'ringing';
        return el('li', { class: ringing ? 'ringing' : '', dataset: { leg: leg.id, state: leg.state }, 'data-testid': 'sim-leg' },
          el('span', { class: 'leg-info', title: leg.endpoint }, ringing ? `Ringing: ${leg.caller || 'incoming call'}` : `${stateName(leg.state)}: ${leg.caller || leg.endpoint}`),
          el('span', { class: 'leg-actions' },
            ringing && el('button', { type: 'button', class: 'small', 'data-testid': 'sim-answer', onclick: () => this.act(leg, 'answer') }, 'Answer'),
            ringing && el('button', { type: 'button', class: 'small secondary', 'data-testid': 'sim-reject', onclick: () => this.act(leg, 'reject') }, 'Reject'),
            !ringing && el('button', { type: 'button', class: 'small secondary', 'data-testid': 'sim-hangup', onclick: () => this.act(leg, 'hangup') }, 'Hang up')));
      },
    })));
    $('sim-quiet').hidden = onStation.length > 0;

    const byId = new Map(this.legs.map((l) => [l.id, l]));
    for (const id of this.customerLegs) {
      const l = byId.get(id);
      if (!l || l.state === 'down') this.customerLegs.delete(id);
    }
    const mine = [...this.customerLegs].map((id) => byId.get(id));
    renderList($('customer-legs'), mine.map((leg) => ({
      key: `${leg.id}/${leg.state}`,
      make: () => el('li', { dataset: { leg: leg.id, state: leg.state }, 'data-testid': 'customer-leg' },
        el('span', { class: 'leg-info', title: leg.id }, `${leg.caller || leg.endpoint}: ${stateName(leg.state)}`),
        el('span', { class: 'leg-actions' },
          el('button', { type: 'button', class: 'small secondary', 'data-testid': 'customer-hangup', onclick: () => this.act(leg, 'hangup') }, 'Hang up'))),
    })));
  }
}

function stateName(s) {
  return { ringing: 'Ringing', up: 'Connected', held: 'On hold', down: 'Ended' }[s] || s;
}

/** renderList updates a list only where rows changed, so focus survives polling. */
function renderList(ul, rows) {
  const key = rows.map((r) => r.key).join('|');
  if (ul.dataset.key === key) return;
  ul.dataset.key = key;
  ul.replaceChildren(...rows.map((r) => r.make()));
}
