// One table and one form for every entity of the Administration view (P6),
// driven by the descriptions in admin_entities.js: list, add, edit, delete
// with a confirmation, and the entity's extra actions (a user's password
// reset). The server checks every value; a refusal shows its message next
// to the form (or in the confirmation) and nothing is reloaded until a
// change is stored.

import { get, post, put, del } from './api.js';
import { $, el, showText } from './dom.js';

// The option lists a form can offer, loaded when an entity is shown.
// numeric: values are ids (0 for "none"); none: the label of 0, if allowed.
const sources = {
  roles: async () => ({ opts: [['admin', 'admin'], ['supervisor', 'supervisor'], ['agent', 'agent']] }),
  varTypes: async () => ({ opts: [['text', 'text'], ['datetime', 'date and time']] }),
  teams: async () => ({ numeric: true, none: 'No team', opts: (await get('/api/v1/admin/teams')).teams.map((t) => [t.id, t.name]) }),
  queues: async () => ({ numeric: true, opts: (await get('/api/v1/admin/queues')).queues.map((q) => [q.id, q.name]) }),
  extensions: async () => ({
    numeric: true, none: 'None',
    opts: (await get('/api/v1/admin/extensions')).extensions.filter((e) => e.kind === 'physical').map((e) => [e.id, e.number]),
  }),
  users: async () => ({ numeric: true, none: 'Shared', opts: (await get('/api/v1/admin/users')).users.map((u) => [u.id, u.login]) }),
};

let hooks = { failed: () => {}, changed: () => {} };
let current = null; // { spec, items, lists }
let form = null; // the open form: { submit(body) }
let doomed = null; // the item the confirmation would delete
let seq = 0; // drops answers for an entity no longer shown

/** initCrud wires the form and the confirmation; hooks: failed(err, where), changed(spec). */
export function initCrud(h) {
  hooks = h;
  $('admin-add').addEventListener('click', () => current && openAdd());
  $('admin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm();
  });
  $('admin-form-cancel').addEventListener('click', closeForm);
  $('admin-confirm-no').addEventListener('click', () => $('admin-confirm').close());
  $('admin-confirm-yes').addEventListener('click', confirmDelete);
}

/** showEntity (re)loads an entity's table and the option lists its form needs. */
export async function showEntity(spec) {
  const mine = ++seq;
  if (current?.spec !== spec) closeForm();
  $('admin-entity-title').textContent = spec.title;
  $('admin-add').textContent = `Add ${spec.one}`;
  $('admin-entity').dataset.entity = spec.key;
  showText('admin-error', '');
  try {
    const keys = [...new Set(spec.fields.filter((f) => f.options).map((f) => f.options))];
    const [data, ...loaded] = await Promise.all([get(spec.path), ...keys.map((k) => sources[k]())]);
    if (mine !== seq) return;
    current = { spec, items: data[spec.listKey], lists: Object.fromEntries(keys.map((k, i) => [k, loaded[i]])) };
    render();
  } catch (err) {
    if (mine === seq) hooks.failed(err, 'admin-error');
  }
}

const columns = (spec) => spec.fields.filter((f) => f.column !== false);

function render() {
  const { spec, items } = current;
  $('admin-entity-head').replaceChildren(...columns(spec).map((f) => el('th', {}, f.label)), el('th', {}, ''));
  $('admin-entity-body').replaceChildren(...items.map(row));
  $('admin-entity-empty').hidden = items.length > 0;
}

function row(item) {
  const { spec } = current;
  const locked = spec.locked ? spec.locked(item) : '';
  const button = (action, text, onclick, cls = 'small secondary') => el('button', {
    type: 'button', class: cls, 'data-action': action, disabled: Boolean(locked), title: locked || undefined, onclick,
  }, text);
  return el('tr', { dataset: { id: String(item.id), key: spec.label(item) } },
    ...columns(spec).map((f) => el('td', {}, cellText(f, item))),
    el('td', { class: 'row-actions' },
      button('edit', 'Edit', () => openEdit(item)),
      ...(spec.actions || []).map((a) => button(a.name, a.label, () => openAction(a, item))),
      button('delete', 'Delete', () => askDelete(item), 'small danger')));
}

function cellText(f, item) {
  if (f.show) return f.show(item, current.lists);
  const v = item[f.name];
  const list = f.options && current.lists[f.options];
  if (list) {
    const label = (x) => list.opts.find(([id]) => id === x)?.[1] ?? '';
    return Array.isArray(v) ? v.map(label).join(', ') : label(v);
  }
  if (f.type === 'checkbox') return v ? 'yes' : '';
  return v === undefined || v === null ? '' : String(v);
}

// ---- the form -------------------------------------------------------------------

function openAdd() {
  const { spec } = current;
  openForm(`Add ${spec.one}`, spec.fields.filter((f) => f.form !== false), spec.defaults || {},
    (body) => post(spec.path, body));
}

function openEdit(item) {
  const { spec } = current;
  openForm(`Edit ${spec.one} ${spec.label(item)}`, spec.fields.filter((f) => f.form !== false && !f.create), item,
    (body) => put(`${spec.path}/${item.id}`, body));
}

function openAction(action, item) {
  openForm(action.title(item), action.fields, {}, (body) => put(action.path(item), body));
}

function openForm(title, fields, values, submit) {
  $('admin-form-title').textContent = title;
  $('admin-form-fields').replaceChildren(...fields.map((f) => input(f, values[f.name])));
  showText('admin-form-error', '');
  form = { fields, submit };
  $('admin-form').hidden = false;
  $('admin-form-fields').querySelector('input, select')?.focus();
}

function closeForm() {
  form = null;
  $('admin-form').hidden = true;
  $('admin-form-fields').replaceChildren();
  showText('admin-form-error', '');
}

/** input builds one labelled control, named after its field. */
function input(f, value) {
  const wrap = (control, after) => el('label', { class: `admin-field admin-field-${f.type}` }, el('span', {}, f.label), control, after,
    f.hint && el('small', { class: 'muted admin-hint' }, f.hint));
  switch (f.type) {
    case 'checkbox': {
      const box = el('input', { type: 'checkbox', name: f.name });
      box.checked = Boolean(value);
      return el('label', { class: 'admin-field admin-field-checkbox' }, box, el('span', {}, f.label));
    }
    case 'number': {
      const box = el('input', { type: 'number', name: f.name, step: 1, inputmode: 'numeric' });
      box.value = value ?? 0;
      return wrap(box, f.unit && el('span', { class: 'muted' }, f.unit));
    }
    case 'select': {
      const list = current.lists[f.options];
      const opts = [...(list.none ? [[0, list.none]] : []), ...list.opts];
      const sel = el('select', { name: f.name }, ...opts.map(([v, label]) => el('option', { value: String(v) }, label)));
      sel.value = String(value ?? opts[0]?.[0] ?? '');
      return wrap(sel);
    }
    case 'multi': {
      const chosen = new Set(value || []);
      return el('fieldset', { class: 'admin-field admin-field-multi' }, el('legend', {}, f.label),
        ...current.lists[f.options].opts.map(([v, label]) => {
          const box = el('input', { type: 'checkbox', name: f.name, value: String(v) });
          box.checked = chosen.has(v);
          return el('label', {}, box, ` ${label}`);
        }));
    }
    default: {
      const box = el('input', {
        type: f.type === 'password' ? 'password' : 'text', name: f.name,
        autocomplete: f.type === 'password' ? 'new-password' : 'off', placeholder: f.placeholder,
      });
      box.value = value ?? '';
      return wrap(box);
    }
  }
}

/** read turns the form's controls into the JSON the API takes. */
function read() {
  const body = {};
  const root = $('admin-form-fields');
  for (const f of form.fields) {
    const list = f.options && current.lists[f.options];
    const conv = (v) => (list?.numeric ? Number(v) : v);
    const controls = [...root.querySelectorAll(`[name="${f.name}"]`)];
    switch (f.type) {
      case 'checkbox': body[f.name] = controls[0].checked; break;
      case 'number': body[f.name] = controls[0].value === '' ? 0 : Number(controls[0].value); break;
      case 'select': body[f.name] = conv(controls[0].value); break;
      case 'multi': body[f.name] = controls.filter((c) => c.checked).map((c) => conv(c.value)); break;
      case 'password': body[f.name] = controls[0].value; break;
      default: body[f.name] = controls[0].value.trim();
    }
  }
  return body;
}

async function submitForm() {
  if (!form) return;
  const spec = current.spec;
  const save = $('admin-form-save');
  showText('admin-form-error', '');
  save.disabled = true;
  try {
    await form.submit(read());
    closeForm();
    hooks.changed(spec);
    await showEntity(spec);
  } catch (err) {
    if (err.status === 401 || err.code === 'desktop_replaced') hooks.failed(err);
    else showText('admin-form-error', err.message);
  } finally {
    save.disabled = false;
  }
}

// ---- delete -----------------------------------------------------------------------

function askDelete(item) {
  const { spec } = current;
  doomed = { spec, item };
  $('admin-confirm-text').textContent = `Delete ${spec.one} ${spec.label(item)}? This cannot be undone.`;
  showText('admin-confirm-error', '');
  $('admin-confirm').showModal();
}

async function confirmDelete() {
  if (!doomed) return;
  const { spec, item } = doomed;
  const yes = $('admin-confirm-yes');
  yes.disabled = true;
  try {
    await del(`${spec.path}/${item.id}`);
    doomed = null;
    $('admin-confirm').close();
    hooks.changed(spec);
    await showEntity(spec);
  } catch (err) {
    if (err.status === 401 || err.code === 'desktop_replaced') {
      $('admin-confirm').close();
      hooks.failed(err);
    } else {
      showText('admin-confirm-error', err.message);
    }
  } finally {
    yes.disabled = false;
  }
}
