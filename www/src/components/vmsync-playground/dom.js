// @ts-check
/**
 * Small DOM builders the playground's views share.
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
