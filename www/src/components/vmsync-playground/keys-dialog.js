// @ts-check
/**
 * The list of keys of `<vmsync-playground>` (a modal dialog), loaded the first time it is
 * asked for (`?`, or the tour card's Keys button: `tour-player.js`), with its markup and
 * its stylesheet (`keys-dialog.css`).
 * @module
 */
import { trusted } from './template.js';

const KEYS = `<h2 id="keys-h">Keys</h2>
<dl>
<dt><kbd>→</kbd></dt><dd>next step of the tour (or reveal the answer)</dd>
<dt><kbd>←</kbd></dt><dd>the step before</dd>
<dt><kbd>Space</kbd></dt><dd>reveal the answer of a question (else the next step)</dd>
<dt><kbd>P</kbd></dt><dd>presenter mode on or off</dd>
<dt><kbd>?</kbd></dt><dd>this list</dd>
<dt><kbd>Alt</kbd>+<kbd>←</kbd> / <kbd>→</kbd></dt><dd>step the timeline back or forward</dd>
<dt><kbd>Ctrl</kbd>+<kbd>Z</kbd>, <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>Z</kbd></dt><dd>undo, redo a whole action</dd>
<dt>arrow keys in a table</dt><dd>move between slots; <kbd>Enter</kbd> selects one</dd>
<dt><kbd>Esc</kbd></dt><dd>close this list</dd>
</dl>
<div class="row"><button type="button" class="primary" id="keys-close" data-testid="keys-close">Close</button></div>`;

/**
 * The dialog, made in `app` (the element's `.app`, so that it takes the theme) with its
 * Close button wired; the element's markup is made anew on a restart, and so is this.
 * @param {HTMLElement} app
 * @returns {HTMLDialogElement}
 */
export function keysDialog(app) {
  const d = document.createElement('dialog');
  d.className = 'keys';
  d.id = 'keys-dialog';
  d.dataset.testid = 'keys-dialog';
  d.setAttribute('aria-labelledby', 'keys-h');
  d.innerHTML = trusted(KEYS);
  /** @type {HTMLElement} */ (d.querySelector('#keys-close')).addEventListener('click', () => d.close());
  app.append(d);
  return d;
}
