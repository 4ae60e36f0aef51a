// @ts-check
/**
 * How `<vmsync-playground>` presents itself from its attributes (height, read-only, the
 * compact layouts), the crash screen, and what it says to screen readers. Functions of the element and its shadow root.
 * @module
 */

/**
 * The element's height from its `height` attribute (a CSS length, or pixels).
 * @param {HTMLElement} el
 */
export function applyHeight(el) {
  const h = el.getAttribute('height');
  if (h) el.style.height = /^\d+$/.test(h) ? h + 'px' : h;
  else el.style.removeProperty('height');
}

/**
 * How much of the playground an embed shows (`controls`): `full` (the default), or a
 * compact read-only layout, `minimal` (the grids, the tour card and the timeline) or
 * `none` (the grids and the tour card), with a link out to the full playground.
 * @param {HTMLElement} el
 * @param {ShadowRoot} root
 */
export function applyControls(el, root) {
  const app = root.querySelector('.app');
  if (!app) return;
  const c = el.getAttribute('controls');
  const level = c === 'none' || c === 'minimal' ? c : 'full';
  app.setAttribute('data-controls', level);
  if (level !== 'full' && !el.hasAttribute('read-only')) el.toggleAttribute('read-only', true);
}

/**
 * Read-only: no configuration or operation controls.
 * @param {HTMLElement} el
 * @param {ShadowRoot} root
 */
export function applyReadOnly(el, root) {
  const ro = el.hasAttribute('read-only');
  const app = root.querySelector('.app');
  if (!app) return;
  app.toggleAttribute('data-readonly', ro);
  /** @type {HTMLElement} */ (root.querySelector('#controls')).hidden = ro;
}

/**
 * Presenter mode (`present`): large type, the tour card beside the tables it talks
 * about, the forms out of the way; the button says whether it is on.
 * @param {HTMLElement} el
 * @param {ShadowRoot} root
 */
export function applyPresent(el, root) {
  const app = root.querySelector('.app');
  if (!app) return;
  const on = el.hasAttribute('present');
  app.toggleAttribute('data-present', on);
  const btn = root.querySelector('#present-btn');
  btn?.setAttribute('aria-pressed', String(on));
  if (btn) btn.textContent = on ? 'Stop presenting' : 'Present';
}

/**
 * Shows the crash screen: a bug in vmsync, never bad input. Every control but the one
 * that starts the element again is disabled; focus goes to that one.
 * @param {ShadowRoot} root
 * @param {unknown} e
 * @returns {boolean} whether there was a screen to show
 */
export function showCrash(root, e) {
  const f = /** @type {HTMLElement | null} */ (root.querySelector('#fatal'));
  if (!f) return false;
  const text = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  const app = /** @type {HTMLElement} */ (root.querySelector('.app'));
  app.hidden = false;
  root.querySelector('#loading')?.remove();
  f.hidden = false;
  /** @type {HTMLElement} */ (root.querySelector('#fatal-text')).textContent = text;
  root.querySelectorAll('button, input, select, textarea').forEach((b) => {
    if (b.id !== 'reload-btn') /** @type {HTMLButtonElement} */ (b).disabled = true;
  });
  /** @type {HTMLButtonElement} */ (root.querySelector('#reload-btn')).focus();
  return true;
}

/**
 * Says `text` to screen readers through the shadow root's live region (`#announce`).
 * @param {ShadowRoot} root
 * @param {string} text
 */
export function announce(root, text) {
  const a = root.querySelector('#announce');
  if (!a) throw new Error('vmsync-playground: no #announce');
  a.textContent = '';
  // A fresh text node each time, so a repeated message is read again.
  requestAnimationFrame(() => (a.textContent = text));
}
