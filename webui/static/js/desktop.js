// S2: one live desktop per user. This tab's desktop id, and the screen that
// says Ringside is open elsewhere (before a takeover) or that this desktop
// was replaced (after one).

const KEY = 'ringside.desktop';

function randomId() {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * desktopId names this tab's desktop. A reload keeps it (sessionStorage),
 * so reloading never prompts. While the page runs the id is held in memory
 * only and written back on pagehide: a duplicated tab copies
 * sessionStorage, and would otherwise pass for this very desktop.
 */
export const desktopId = (() => {
  let id = '';
  try {
    id = sessionStorage.getItem(KEY) || '';
    sessionStorage.removeItem(KEY);
  } catch {
    id = ''; // storage disabled: every load is a new desktop
  }
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) id = randomId();
  addEventListener('pagehide', () => {
    try {
      sessionStorage.setItem(KEY, id);
    } catch {
      // storage disabled: the reload will prompt if the grace period has not passed
    }
  });
  addEventListener('pageshow', (e) => {
    // Back from the back-forward cache: running again, so out of storage again.
    if (e.persisted) {
      try {
        sessionStorage.removeItem(KEY);
      } catch {
        // nothing stored
      }
    }
  });
  return id;
})();

const TEXTS = {
  in_use: {
    title: 'Ringside is open elsewhere',
    text: 'Ringside is open in another tab or browser. Continue here to move your desktop to this tab; the other one will stop working. Your state and any current call carry on.',
    go: 'Continue',
  },
  cancelled: {
    title: 'Ringside is open elsewhere',
    text: 'Ringside stays open in the other tab or browser. You can close this one.',
    go: 'Use here',
  },
  replaced: {
    title: 'Desktop replaced',
    text: 'This desktop was replaced by one opened in another tab or browser. Your state and any current call carry on there.',
    go: 'Use here',
  },
};

/**
 * showElsewhere fills the elsewhere screen for kind: 'in_use' (the prompt
 * before a takeover), 'cancelled' (the prompt declined) or 'replaced'.
 * The caller shows the screen.
 */
export function showElsewhere(kind) {
  const t = TEXTS[kind] || TEXTS.replaced;
  const screen = document.getElementById('elsewhere-screen');
  screen.dataset.kind = kind;
  document.getElementById('elsewhere-title').textContent = t.title;
  document.getElementById('elsewhere-text').textContent = t.text;
  document.getElementById('elsewhere-continue').textContent = t.go;
  document.getElementById('elsewhere-cancel').hidden = kind !== 'in_use';
  // Signing out here would end a shared cookie's session for the live tab
  // too; only the prompt offers it (to sign in as someone else).
  document.getElementById('elsewhere-signout').hidden = kind !== 'in_use';
  document.getElementById('elsewhere-error').hidden = true;
}

/**
 * sayLeaving tells the server this desktop's page is going away (closed or
 * reloading), so a tab opened right after a close is not met with the
 * takeover prompt. keepalive lets the request outlive the page; a reload
 * claims the desktop again with the same id.
 */
export function sayLeaving() {
  try {
    fetch('/api/v1/desktop/leave', {
      method: 'POST',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Ringside-Desktop': desktopId },
      body: JSON.stringify({ id: desktopId }),
    }).catch(() => {});
  } catch {
    // the page is going away: nothing to tell anyone
  }
}
