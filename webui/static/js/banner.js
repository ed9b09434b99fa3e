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

// The sign-in screen has no event stream yet, so it asks /readyz (open to
// anyone; it names the parts down in the banner's words) every few
// seconds: a database outage says sign-in is unavailable before anyone
// tries, and the banner clears by itself when the part is back.
const POLL_MS = 3000;
let poll = { gen: 0, timer: 0 };

/** pollHealth starts (on) or stops the sign-in screen's health polling. */
export function pollHealth(on) {
  clearTimeout(poll.timer);
  const gen = ++poll.gen;
  poll.timer = 0;
  if (!on) return;
  const tick = async () => {
    let down = null;
    try {
      const res = await fetch('/readyz', { cache: 'no-store', credentials: 'omit' });
      const data = await res.json();
      down = Array.isArray(data.down) ? data.down : [];
    } catch {
      // The server is unreachable: the sign-in itself will say so.
    }
    if (gen !== poll.gen) return; // stopped meanwhile: the desktop owns the banner now
    if (down) renderHealth({ down });
    poll.timer = setTimeout(tick, POLL_MS);
  };
  tick();
}
