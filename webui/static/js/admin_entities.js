// What the Administration tabs manage (P6), as data for admin_crud.js: each
// entity's API path, the fields of its form and which of them the table
// shows. The server checks everything; these only say how to edit it.
//
// A field: { name, label, type: text|number|checkbox|select|multi|password,
// unit (number: shown after the box), hint (a short line under the box),
// placeholder (text: shown while empty), options (select/multi: a key of the
// option lists admin_crud.js loads), create: true (only when adding),
// column: false (form only), show(item, lists) (the table cell's text) }.

const yes = (v) => (v ? 'yes' : '');

export const entities = [
  {
    key: 'users', title: 'Users', one: 'user', path: '/api/v1/admin/users', listKey: 'users', itemKey: 'user',
    label: (u) => u.login,
    fields: [
      { name: 'login', label: 'Login (e-mail)', type: 'text' },
      { name: 'name', label: 'Name', type: 'text' },
      { name: 'password', label: 'Password', type: 'password', create: true, column: false },
      { name: 'roles', label: 'Roles', type: 'multi', options: 'roles', show: (u) => u.roles.join(', ') },
      { name: 'team_id', label: 'Team', type: 'select', options: 'teams', show: (u) => u.team },
      { name: 'queues', label: 'Queues', type: 'multi', options: 'queues' },
      { name: 'personal_extension_id', label: 'Personal extension', type: 'select', options: 'extensions' },
    ],
    // The password is reset on its own (PUT …/password), never sent back.
    actions: [{
      name: 'password', label: 'Reset password', title: (u) => `New password for ${u.login}`,
      fields: [{ name: 'password', label: 'New password', type: 'password' }],
      path: (u) => `/api/v1/admin/users/${u.id}/password`,
    }],
  },
  {
    key: 'teams', title: 'Teams', one: 'team', path: '/api/v1/admin/teams', listKey: 'teams', itemKey: 'team',
    label: (t) => t.name,
    fields: [{ name: 'name', label: 'Name', type: 'text' }],
  },
  {
    key: 'queues', title: 'Queues', one: 'queue', path: '/api/v1/admin/queues', listKey: 'queues', itemKey: 'queue',
    label: (q) => q.name,
    defaults: { ring_time: 20 },
    fields: [
      { name: 'name', label: 'Name (as the dialplan names it)', type: 'text' },
      { name: 'priority', label: 'Priority', type: 'number' },
      { name: 'ring_time', label: 'Ring time', type: 'number', unit: 's' },
      { name: 'wrapup_time', label: 'Wrap-up time', type: 'number', unit: 's' },
      { name: 'recording', label: 'Recording', type: 'checkbox', show: (q) => yes(q.recording) },
      { name: 'privacy_shield', label: 'Privacy shield', type: 'number', unit: 's' },
      { name: 'allow_end_wrapup_early', label: 'Supervisor may end wrap-up', type: 'checkbox', show: (q) => yes(q.allow_end_wrapup_early) },
      // A5: an Asterisk musiconhold.conf class; empty: the music_class setting.
      {
        name: 'music_class', label: 'Music on hold class', type: 'text', placeholder: '(default)',
        hint: 'empty: the configured default', show: (q) => q.music_class || '(default)',
      },
    ],
  },
  {
    key: 'extensions', title: 'Extensions', one: 'extension', path: '/api/v1/admin/extensions', listKey: 'extensions', itemKey: 'extension',
    label: (e) => e.number,
    // Virtual extensions follow a user's mobile: listed, changed only in
    // that user's remote settings (Users tab).
    locked: (e) => (e.kind === 'virtual' ? 'A virtual extension: change it in its user\'s remote settings (Users tab).' : ''),
    fields: [
      { name: 'number', label: 'Number', type: 'text' },
      { name: 'dial_string', label: 'Dial string (e.g. PJSIP/2001)', type: 'text' },
      { name: 'owner_id', label: 'Owner', type: 'select', options: 'users' },
      { name: 'kind', label: 'Kind', type: 'text', form: false },
    ],
  },
  {
    key: 'idle-codes', title: 'Idle codes', one: 'idle code', path: '/api/v1/admin/idle-codes', listKey: 'idle_codes', itemKey: 'idle_code',
    label: (c) => c.code,
    fields: [
      { name: 'code', label: 'Code', type: 'text' },
      { name: 'label', label: 'Label', type: 'text' },
    ],
  },
  {
    key: 'wrapup-codes', title: 'Wrap-up codes', one: 'wrap-up code', path: '/api/v1/admin/wrapup-codes', listKey: 'wrapup_codes', itemKey: 'wrapup_code',
    label: (c) => c.code,
    fields: [
      { name: 'code', label: 'Code', type: 'text' },
      { name: 'label', label: 'Label', type: 'text' },
      { name: 'auto', label: 'Automatic (when wrap-up time runs out)', type: 'checkbox', show: (c) => yes(c.auto) },
    ],
  },
  {
    key: 'variables', title: 'Variables', one: 'variable', path: '/api/v1/admin/variables', listKey: 'variables', itemKey: 'variable',
    label: (v) => v.name,
    defaults: { type: 'text' },
    fields: [
      { name: 'name', label: 'Name (RINGSIDE_VAR_…)', type: 'text' },
      { name: 'label', label: 'Label', type: 'text' },
      { name: 'type', label: 'Type', type: 'select', options: 'varTypes' },
      { name: 'editable', label: 'Editable by agents', type: 'checkbox', show: (v) => yes(v.editable) },
      { name: 'secure', label: 'Secure', type: 'checkbox', show: (v) => yes(v.secure) },
      { name: 'popover', label: 'In the popover', type: 'checkbox', show: (v) => yes(v.popover) },
      { name: 'order', label: 'Order', type: 'number' },
    ],
  },
];
