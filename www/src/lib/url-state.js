// @ts-check
/**
 * The URL hash codec: the whole playground state as `#key=value&...` parameters.
 *
 * - `s`: the scenario text (config line plus every applied operation), as the engine
 *   writes it with `scenarioText()`; restoring runs it with `Playground.fromScenario()`.
 * - `at`: the timeline position when it is not at the end (steps applied).
 * - `tour`: a built-in tour's file name, and `step` the tour step shown.
 * - `theme`: `light` or `dark` when the user chose one (absent: follow the system).
 * - `ro`: read-only view (embeds).
 *
 * Pure functions: no DOM, no engine.
 * @module
 */

/**
 * @typedef {object} UrlState
 * @property {string} [scenario]
 * @property {number} [at]
 * @property {string} [tour]
 * @property {number} [step]
 * @property {'light' | 'dark'} [theme]
 * @property {boolean} [readOnly]
 */

/**
 * Encodes a state as a hash (with the leading `#`, or empty for the default state).
 * @param {UrlState} st
 * @returns {string}
 */
export function encodeState(st) {
  /** @type {string[]} */
  const parts = [];
  if (st.tour) parts.push('tour=' + encodeURIComponent(st.tour));
  if (st.tour && Number.isInteger(st.step)) parts.push('step=' + st.step);
  if (!st.tour && st.scenario) parts.push('s=' + encodeURIComponent(st.scenario));
  if (!st.tour && Number.isInteger(st.at) && /** @type {number} */ (st.at) >= 0) parts.push('at=' + st.at);
  if (st.theme === 'light' || st.theme === 'dark') parts.push('theme=' + st.theme);
  if (st.readOnly) parts.push('ro=1');
  return parts.length ? '#' + parts.join('&') : '';
}

/**
 * Decodes a hash (with or without `#`). Unknown keys and malformed values are ignored;
 * a scenario that does not parse is the engine's to reject.
 * @param {string} hash
 * @returns {UrlState}
 */
export function decodeState(hash) {
  /** @type {UrlState} */
  const st = {};
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h) return st;
  for (const part of h.split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value;
    try {
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20'));
    } catch {
      continue;
    }
    switch (key) {
      case 's':
      case 'scenario':
        st.scenario = value;
        break;
      case 'at':
        if (/^\d+$/.test(value)) st.at = Number(value);
        break;
      case 'tour':
        if (/^[\w.-]+$/.test(value)) st.tour = value;
        break;
      case 'step':
        if (/^\d+$/.test(value)) st.step = Number(value);
        break;
      case 'theme':
        if (value === 'light' || value === 'dark') st.theme = value;
        break;
      case 'ro':
        st.readOnly = value !== '0';
        break;
      default:
        break;
    }
  }
  return st;
}

/**
 * An `<iframe>` snippet that embeds the given state.
 * @param {string} embedUrl absolute URL of embed.html, without a hash
 * @param {UrlState} st
 * @param {string} title the iframe's accessible title
 * @param {number} [height]
 * @returns {string}
 */
export function iframeSnippet(embedUrl, st, title, height = 560) {
  const src = embedUrl + encodeState(st);
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
}

/**
 * A custom-element snippet that embeds the given scenario.
 * @param {string} moduleUrl absolute URL of the module that registers the element (www/src/main.js)
 * @param {string} scenario scenario text
 * @param {number} [height]
 * @returns {string}
 */
export function elementSnippet(moduleUrl, scenario, height = 560) {
  return (
    `<script type="module" src="${escapeAttr(moduleUrl)}"></script>\n` +
    `<vmsync-playground height="${height}px" scenario="${escapeAttr(scenario)}"></vmsync-playground>`
  );
}

/**
 * Escapes text for a double-quoted HTML attribute (newlines kept as character references).
 * @param {string} s
 * @returns {string}
 */
export function escapeAttr(s) {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n/g, '&#10;');
}
