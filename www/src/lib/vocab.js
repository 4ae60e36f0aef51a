// @ts-check
/**
 * Menus from the engine's catalog (`catalog()` in engine.js): the choices the page offers
 * for modes, splits, strategies and eras, sync calls and hot-add kinds, with the engine's
 * own labels, and a mode's facts for the configuration form. Pure functions of the
 * catalog object, so that Node tests run them against the real one.
 * @module
 */

/**
 * @typedef {object} Menu a menu's options, each `[value, text]`, under optional headings
 * @property {{label: string, options: [string, string][]}[]} groups
 */

/**
 * The strategy menu: the catalog's groups (kernel eras, then building blocks), each
 * strategy by its name and the line the engine writes for it.
 * @param {any} c the catalog
 * @returns {Menu}
 */
export function strategyMenu(c) {
  return {
    groups: c.strategy_groups.map((/** @type {any} */ g) => ({ label: g.label, options: strategyChoices(c, g.name) })),
  };
}

/**
 * The strategies of one group (`era` or `block`) as `[name, text]` pairs: what the
 * comparison's "Add a strategy" offers.
 * @param {any} c the catalog
 * @param {string} group
 * @returns {[string, string][]}
 */
export function strategyChoices(c, group) {
  return c.strategies
    .filter((/** @type {any} */ s) => s.group === group)
    .map((/** @type {any} */ s) => /** @type {[string, string]} */ ([s.name, s.text]));
}

/**
 * A flat menu of `{name, label}` entries (modes, sync calls, hot-add kinds) or of names
 * (splits, shown as they are).
 * @param {({name: string, label: string} | string)[]} list
 * @returns {Menu}
 */
export function plainMenu(list) {
  return {
    groups: [{ label: '', options: list.map((x) => /** @type {[string, string]} */ (typeof x === 'string' ? [x, x] : [x.name, x.label])) }],
  };
}

/**
 * A mode's facts as the catalog gives them: whether it takes a split, and its defaults
 * for PTI and huge ioremap.
 * @param {any} c the catalog
 * @param {string} mode
 * @returns {{has_split: boolean, pti: boolean, huge_ioremap: boolean, bits: number} | undefined}
 */
export function modeInfo(c, mode) {
  return c.modes.find((/** @type {any} */ m) => m.name === mode);
}
