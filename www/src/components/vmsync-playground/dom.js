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
