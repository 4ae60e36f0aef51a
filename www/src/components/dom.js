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
 * The text field of `form` whose value the engine's message quotes ('x1'), if any.
 * @param {Element} form
 * @param {string} message
 * @returns {HTMLInputElement | null}
 */
export function fieldQuoted(form, message) {
  for (const i of form.querySelectorAll('input[type="text"]')) {
    const v = /** @type {HTMLInputElement} */ (i).value.trim();
    if (v && message.includes(`'${v}'`)) return /** @type {HTMLInputElement} */ (i);
  }

  return null;
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
