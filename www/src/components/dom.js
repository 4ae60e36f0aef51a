// @ts-check
/**
 * Small DOM builders the components share (built with the DOM, never from markup
 * strings: user data goes in as text).
 * @module
 */

/**
 * An error line: its kind in bold, then the message (as text, never markup).
 * @param {string} code
 * @param {string} message
 * @returns {DocumentFragment}
 */
export function errorLine(code, message) {
  const f = document.createDocumentFragment();
  const b = document.createElement('b');
  b.textContent = code;
  f.append(b, document.createTextNode(': ' + message));
  return f;
}

/**
 * Fills a `<select>` with a menu's options (under `<optgroup>`s where the menu has
 * headings), keeping its value when the new menu still offers it.
 * @param {HTMLSelectElement} select
 * @param {import('../lib/vocab.js').Menu} menu
 */
export function fillSelect(select, menu) {
  const value = select.value;
  const opts = (/** @type {[string, string][]} */ list) => list.map(([v, text]) => h('option', { value: v }, [text]));
  select.replaceChildren(
    ...menu.groups.flatMap((g) => (g.label ? [h('optgroup', { label: g.label }, opts(g.options))] : opts(g.options))),
  );
  if (value && [...select.options].some((o) => o.value === value)) select.value = value;
}

/**
 * An element with attributes and children (strings become text).
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string)[]} [kids]
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, kids = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
}
