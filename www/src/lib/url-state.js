// @ts-check
/**
 * The URL hash codec: the whole playground state as `#key=value&...` parameters.
 *
 * - `s`: the whole timeline as scenario text (config line, every applied operation and
 *   the ones after a step back), as the engine writes it with `timelineText()`; the JSON
 *   form of a scenario is taken too. Restoring runs it with `Playground.fromScenario()`.
 * - `at`: the timeline position (operations applied) when it is not at the end.
 * - `tour`: a built-in tour's name (`lazy-fault`), and `step` the step shown, counted
 *   from 1 as the page counts. A link from before names the tour by its file
 *   (`lazy-fault.vms`) and counts `step` from 0; both forms open the same step.
 * - `theme`: `light` or `dark` when the user chose one (absent: follow the system).
 * - `ro`: read-only view (embeds).
 * - `controls`: `minimal` or `none`, the compact read-only layout of an embed.
 * - `present`: presenter mode (`1`).
 *
 * A hash the page cannot use in full is not ignored without a word: `decodeState`
 * returns what it could read and a problem for each part it could not, for the page to
 * show in place. Pure functions: no DOM, no engine.
 * @module
 */

/**
 * @typedef {object} UrlState
 * @property {string} [scenario]
 * @property {number} [at]
 * @property {string} [tour] a tour's name, without `.vms`
 * @property {number} [step] the step shown, counted from 1
 * @property {'light' | 'dark'} [theme]
 * @property {boolean} [readOnly]
 * @property {'minimal' | 'none'} [controls]
 * @property {boolean} [present]
 */

/** The longest piece of a bad value a problem quotes. */
const QUOTE = 40;

/**
 * A value quoted for a message: cut short, control characters shown as `?`.
 * @param {string} v
 * @returns {string}
 */
function quote(v) {
  // eslint-disable-next-line no-control-regex
  const clean = v.replace(/[\u0000-\u001f\u007f]/g, '?');
  return '"' + (clean.length > QUOTE ? clean.slice(0, QUOTE) + '…' : clean) + '"';
}

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
  if (st.controls === 'minimal' || st.controls === 'none') parts.push('controls=' + st.controls);
  if (st.present) parts.push('present=1');
  return parts.length ? '#' + parts.join('&') : '';
}

/**
 * Decodes a hash (with or without `#`): the state it holds, and a problem (a sentence
 * for the user) for each part that could not be used. A scenario that does not parse is
 * the engine's to reject; a step or position past the end is the page's to check.
 * @param {string} hash
 * @param {readonly string[] | null} [tours] the names a `tour` may take (null: any name
 *   of letters, digits, `-` and `_`)
 * @returns {{state: UrlState, problems: string[]}}
 */
export function decodeState(hash, tours = null) {
  /** @type {UrlState} */
  const st = {};
  /** @type {string[]} */
  const problems = [];
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h) return { state: st, problems };
  let legacyStep = false;
  /** @type {number | undefined} */
  let step;
  for (const part of h.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value;
    try {
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20'));
    } catch {
      problems.push(`The link's ${quote(key)} value is not valid percent-encoding, so it was not used.`);
      continue;
    }
    switch (key) {
      case 's':
      case 'scenario':
        st.scenario = value;
        break;
      case 'at':
        if (/^\d{1,9}$/.test(value)) st.at = Number(value);
        else problems.push(`at=${quote(value)} is not a position in the timeline (a whole number of steps).`);
        break;
      case 'tour': {
        const m = /^(?!.*\.\.)([\w][\w.-]{0,63}?)(\.vms)?$/.exec(value);
        if (m && (!tours || tours.includes(m[1]))) {
          st.tour = m[1];
          legacyStep = !!m[2];
        } else {
          const known = tours ? ` The tours are: ${tours.join(', ')}.` : '';
          problems.push(`tour=${quote(value)} is not one of this site's tours.${known}`);
        }
        break;
      }
      case 'step':
        if (/^\d{1,6}$/.test(value)) step = Number(value);
        else problems.push(`step=${quote(value)} is not a step number (a whole number from 1).`);
        break;
      case 'theme':
        if (value === 'light' || value === 'dark') st.theme = value;
        else problems.push(`theme=${quote(value)} is not a theme (light or dark).`);
        break;
      case 'ro':
        st.readOnly = value !== '0';
        break;
      case 'present':
        st.present = value !== '0';
        break;
      case 'controls':
        if (value === 'minimal' || value === 'none') st.controls = value;
        else if (value !== 'full') problems.push(`controls=${quote(value)} is not a layout (full, minimal or none).`);
        break;
      default:
        problems.push(`The link's key ${quote(key)} is not one vmsync knows; it was ignored.`);
        break;
    }
  }
  if (st.tour && step !== undefined) {
    // A file-named tour is a link from before steps counted from 1.
    if (legacyStep) st.step = step + 1;
    else if (step >= 1) st.step = step;
    else problems.push('step=0 is not a step: steps count from 1.');
  }
  return { state: st, problems };
}
