// @ts-check
/**
 * Engine results in words: events for the log, access outcomes for the walk view and the
 * comparison. Pure functions over the plain objects the engine returns; nothing here
 * decides paging semantics, it only says what the engine reported. (An operation is
 * said by the engine's own printer: `opText` in engine.js.)
 * @module
 */
import { addr, hex, plural } from './format.js';

/**
 * @typedef {object} Ctx
 * @property {boolean} wide 64-bit addresses
 * @property {(pid: number) => string} nameOf a process's display name
 */

/**
 * @param {any} owner `{kind:'kernel'}` or `{kind:'process', pid}`
 * @param {Ctx} ctx
 * @returns {string}
 */
function ownerName(owner, ctx) {
  if (!owner || owner.kind === 'kernel') return 'the reference';
  return ctx.nameOf(Number(owner.pid));
}

const WHY = {
  boot: 'at boot',
  vmalloc: 'by vmalloc()',
  ioremap: 'by ioremap()',
  vfree: 'by vfree()',
  iounmap: 'by iounmap()',
  'free-lower-table': 'freeing the lower table for a huge leaf',
  sync: 'by a sync',
  fault: 'by vmalloc_fault()',
  hotplug: 'by memory hot-add',
  ldt: 'by modify_ldt()',
};

/**
 * @param {string} why
 * @returns {string}
 */
function whyWords(why) {
  return /** @type {Record<string,string>} */ (WHY)[why] ?? why;
}

/**
 * One event as a sentence.
 * @param {any} e an event object (its `type` is the kebab-case variant name)
 * @param {Ctx} ctx
 * @returns {string}
 */
export function eventText(e, ctx) {
  const a = (/** @type {any} */ v) => addr(v, ctx.wide);
  switch (e.type) {
    case 'table-allocated':
      return `${ownerName(e.owner, ctx)} allocated a ${String(e.level).toUpperCase()} table (pfn ${hex(e.pfn)})`;
    case 'table-freed':
      return `${ownerName(e.owner, ctx)} freed a ${String(e.level).toUpperCase()} table (pfn ${hex(e.pfn)})`;
    case 'entry-set':
      return `${ownerName(e.owner, ctx)}: ${String(e.level).toUpperCase()} entry for ${a(e.va)} ${hex(e.old)} → ${hex(e.new)} ${whyWords(e.why)}`;
    case 'ptes':
      return `${plural(e.pages, 'PTE')} ${e.set ? 'set' : 'cleared'} from ${a(e.va)} ${whyWords(e.why)} ` +
        (e.owner?.kind === 'process' ? `(${ownerName(e.owner, ctx)}'s own table)` : '(shared tables: every process sees it)');
    case 'sync-level-changed':
      return `sync level changed in [${a(e.start)}, ${a(e.end)}) (${e.mask_bit}): ${e.action}`;
    case 'sync-pass':
      return `${e.function}: ${plural(e.slots, 'slot')} × ${plural(e.directories, 'page directory', 'page directories')}, ${plural(e.copied, 'entry', 'entries')} copied`;
    case 'fault':
      return `${ctx.nameOf(Number(e.pid))} took a kernel page fault at ${a(e.va)}: ${e.fixed ? 'fixed up from the reference' : 'not handled (oops)'}`;
    case 'bug':
      return `BUG_ON in sync: ${ctx.nameOf(Number(e.pid))} has ${hex(e.process_entry)} at ${a(e.va)}, the reference ${hex(e.reference_entry)}`;
    case 'forked':
      return `${ctx.nameOf(Number(e.pid))} created (pid ${e.pid})`;
    case 'exited':
      return `${ctx.nameOf(Number(e.pid))} exited, ${plural(e.tables, 'page-table page')} freed`;
    case 'note':
      return String(e.text);
    default:
      return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? hex(v) : v));
  }
}

/**
 * Whether an event is worth a highlight in the log (faults, bugs, drift).
 * @param {any} e
 * @returns {'bad' | 'warn' | 'good' | ''}
 */
export function eventTone(e) {
  if (e.type === 'bug') return 'bad';
  if (e.type === 'fault') return e.fixed ? 'warn' : 'bad';
  if (e.type === 'sync-level-changed') return 'warn';
  if (e.type === 'sync-pass') return 'good';
  return '';
}

/** The outcome kinds, and how the page says them (the titles of `outcomeWords()`). */
const OUTCOME_TITLES = {
  translated: 'translated',
  'fault-fixed': 'fault fixed',
  oops: 'oops',
  stale: 'stale',
};

/**
 * How the compare view says each outcome of `Playground.compare()`: a glyph, so that a
 * cell reads without colour, a word, and a tone for its colour (`''`: no colour).
 * @type {Record<string, {glyph: string, word: string, tone: 'good' | 'warn' | 'bad' | 'muted' | ''}>}
 */
export const COMPARE_OUTCOMES = {
  ok: { glyph: '·', word: 'ok', tone: '' },
  translated: { glyph: '✓', word: OUTCOME_TITLES.translated, tone: 'good' },
  'fault-fixed': { glyph: '↺', word: OUTCOME_TITLES['fault-fixed'], tone: 'warn' },
  oops: { glyph: '✗', word: OUTCOME_TITLES.oops, tone: 'bad' },
  stale: { glyph: '!', word: OUTCOME_TITLES.stale, tone: 'bad' },
  bug: { glyph: '!!', word: 'BUG_ON', tone: 'bad' },
  refused: { glyph: '⊘', word: 'refused', tone: 'muted' },
};

/**
 * A compare outcome's glyph, word and tone (an unknown one is said as it came).
 * @param {string} kind
 * @returns {{glyph: string, word: string, tone: string}}
 */
export function compareOutcome(kind) {
  return COMPARE_OUTCOMES[kind] ?? { glyph: '?', word: String(kind), tone: '' };
}

/**
 * An access outcome in words: a short title and a sentence.
 * @param {any} outcome `{kind, phys?, level?, reference?}`
 * @param {boolean} wide
 * @returns {{title: string, text: string, tone: 'good' | 'warn' | 'bad'}}
 */
export function outcomeWords(outcome, wide) {
  const phys = (/** @type {any} */ v) => hex(v, wide ? 0 : 8);
  switch (outcome?.kind) {
    case 'translated':
      return { title: OUTCOME_TITLES.translated, tone: 'good', text: `Translated: the walk reached physical ${phys(outcome.phys)}, the frame the reference maps there.` };
    case 'fault-fixed':
      return {
        title: OUTCOME_TITLES['fault-fixed'],
        tone: 'warn',
        text: `Fault fixed: the entry was not present in this process; vmalloc_fault() copied it from the reference, and the retried walk reached physical ${phys(outcome.phys)}.`,
      };
    case 'oops':
      return {
        title: OUTCOME_TITLES.oops,
        tone: 'bad',
        text: `Oops: an unhandled kernel page fault. The ${String(outcome.level ?? '').toUpperCase()} entry is not present in this process, and nothing fixes it up.`,
      };
    case 'stale':
      return {
        title: OUTCOME_TITLES.stale,
        tone: 'bad',
        text:
          `Stale: the walk reached physical ${phys(outcome.phys)}, but the reference ` +
          (outcome.reference === null || outcome.reference === undefined
            ? 'no longer maps anything there.'
            : `maps ${phys(outcome.reference)} there now.`),
      };
    default:
      return { title: String(outcome?.kind ?? 'unknown'), tone: 'warn', text: JSON.stringify(outcome) };
  }
}
