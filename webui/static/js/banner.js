// The health banner (S9): while a part of the system is down, every desktop
// says which features are unavailable, in the server's words so all desks
// agree. The event stream's snapshot and its health events drive it, so it
// appears and clears by itself, and a reload during an outage shows it at
// once.

import { $, el } from './dom.js';
import * as fmt from './format.js';

/**
 * renderHealth shows health.down ([{part, text, since}]); null or an empty
 * list hides the banner.
 */
export function renderHealth(health) {
  const down = (health && Array.isArray(health.down)) ? health.down : [];
  const items = down.map((d) => el('li', { dataset: { part: d.part } },
    d.text,
    fmt.isSet(d.since) ? el('span', { class: 'muted small' }, ` (since ${fmt.time(d.since)})`) : null));
  $('health-list').replaceChildren(...items);
  $('health-banner').hidden = down.length === 0;
}
