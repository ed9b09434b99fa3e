// The Administration view (P6): a tab per provisioned entity, each a table
// with its form (admin_crud.js, driven by admin_entities.js). The Users tab
// also lists every user's remote-agent settings (R4) — allow remote sign-in,
// mobile number, virtual extension — each row saved on its own. The server
// checks and normalizes everything; a refused save shows its message next
// to the row or form and changes nothing.

import { get, put } from './api.js';
import { $, el, showText } from './dom.js';
import { initCrud, showEntity } from './admin_crud.js';
import { entities } from './admin_entities.js';

let hooks = { failed: () => {} };
let tab = 'users';

/** initAdmin takes the desktop's hooks: failed(err, where) shows an error. */
export function initAdmin(h) {
  hooks = h;
  initCrud({
    failed: h.failed,
    // Users, teams and extensions show in the remote-settings table.
    changed: () => { if (tab === 'users') loadRemote(); },
  });
  for (const b of document.querySelectorAll('#admin-tabs [data-tab]')) {
    b.addEventListener('click', () => showTab(b.dataset.tab));
  }
}

/** loadAdmin (re)reads the current tab. */
export function loadAdmin() {
  showTab(tab);
}

function showTab(key) {
  const spec = entities.find((e) => e.key === key) || entities[0];
  tab = spec.key;
  for (const b of document.querySelectorAll('#admin-tabs [data-tab]')) {
    b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  }
  $('admin-remote').hidden = tab !== 'users';
  showEntity(spec);
  if (tab === 'users') loadRemote();
}

/** loadRemote (re)reads the users' remote settings into their table. */
async function loadRemote() {
  showText('admin-error', '');
  try {
    const { users } = await get('/api/v1/admin/users');
    $('admin-users-body').replaceChildren(...users.map(userRow));
    $('admin-users-empty').hidden = users.length > 0;
  } catch (err) {
    hooks.failed(err, 'admin-error');
  }
}

function userRow(u) {
  const label = (what) => `${what} for ${u.name}`;
  const allow = el('input', { type: 'checkbox', name: 'allow_remote', 'aria-label': label('Allow remote sign-in') });
  allow.checked = u.allow_remote;
  const mobile = el('input', {
    type: 'tel', name: 'mobile', inputmode: 'tel', autocomplete: 'off', placeholder: '+15551234567',
    'aria-label': label('Mobile number'),
  });
  mobile.value = u.mobile;
  const vext = el('input', {
    name: 'virtual_extension', autocomplete: 'off', placeholder: 'e.g. 8101', size: 8,
    'aria-label': label('Virtual extension'),
  });
  vext.value = u.virtual_extension;
  const status = el('span', { class: 'admin-status', role: 'status', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', class: 'small', 'data-action': 'save' }, 'Save');
  const row = el('tr', { dataset: { userId: String(u.id), login: u.login } },
    el('td', {}, el('strong', {}, u.name), el('div', { class: 'muted small' }, u.login)),
    el('td', {}, u.roles.join(', ')),
    el('td', { class: 'center' }, allow),
    el('td', {}, mobile),
    el('td', {}, vext),
    el('td', {}, button),
    el('td', {}, status));
  const save = () => saveRow(u, row);
  button.addEventListener('click', save);
  row.addEventListener('input', () => { // an edit makes "Saved" or an error stale
    status.textContent = '';
    status.className = 'admin-status';
  });
  for (const input of [mobile, vext]) {
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') save();
    });
  }
  return row;
}

/** saveRow sends the row's three settings; the answer is what was stored. */
async function saveRow(u, row) {
  const field = (name) => row.querySelector(`[name=${name}]`);
  const button = row.querySelector('[data-action=save]');
  const status = row.querySelector('.admin-status');
  status.textContent = '';
  status.className = 'admin-status';
  button.disabled = true;
  try {
    const { user } = await put(`/api/v1/admin/users/${u.id}/remote`, {
      allow_remote: field('allow_remote').checked,
      mobile: field('mobile').value.trim(),
      virtual_extension: field('virtual_extension').value.trim(),
    });
    // Show the stored form (the mobile in E.164).
    field('allow_remote').checked = user.allow_remote;
    field('mobile').value = user.mobile;
    field('virtual_extension').value = user.virtual_extension;
    status.textContent = 'Saved';
    status.classList.add('ok');
  } catch (err) {
    if (err.status === 401 || err.code === 'desktop_replaced') { // the desktop's own screens handle these
      hooks.failed(err);
      return;
    }
    status.textContent = err.message;
    status.classList.add('error');
  } finally {
    button.disabled = false;
  }
}
