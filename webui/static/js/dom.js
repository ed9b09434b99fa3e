// Tiny DOM helpers. Text always goes in as text, never as HTML.

export const $ = (id) => document.getElementById(id);

/** el builds an element: el('li', {class: 'x', dataset: {leg: 'a'}}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** show sets an element's text and shows it, or hides it for empty text. */
export function showText(id, text) {
  const node = $(id);
  node.textContent = text || '';
  node.hidden = !text;
}

/** fillFacts renders label/value pairs into a <dl>. */
export function fillFacts(dl, pairs) {
  dl.replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/**
 * setOptions replaces a <select>'s options when they changed (so focus and
 * the user's pick survive re-renders). opts: [[value, label, disabled]].
 */
export function setOptions(select, opts) {
  const key = JSON.stringify(opts);
  if (select.dataset.key === key) return;
  const keep = select.value;
  select.replaceChildren(...opts.map(([value, label, disabled]) => el('option', { value, disabled: Boolean(disabled) }, label)));
  select.dataset.key = key;
  if (opts.some(([v]) => v === keep)) select.value = keep;
}
