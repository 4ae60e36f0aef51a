// @ts-check
/**
 * Guided tours: a scenario file cut into steps for the tour player.
 *
 * The engine owns the scenario grammar; this only looks at the first word of each line
 * to find narration (`say`) and predict-then-reveal checkpoints (`ask`). A step is a run
 * of `say` lines with the lines after them up to the next narration; an `ask` line starts
 * a step of its own whose following lines are the reveal. The state at a step is the
 * engine running the file's text up to the end of that step, so a tour replays the same
 * way every time, forwards or backwards.
 * @module
 */

/**
 * @typedef {object} TourStep
 * @property {string[]} say narration lines (without the `say` word)
 * @property {string | null} ask the question, for a checkpoint
 * @property {string[]} lines the other lines of the step (operations, expectations), as written
 * @property {number} end the number of source lines up to the end of this step
 * @property {number} start the number of source lines before this step's reveal lines
 */

/**
 * The first word of a line and the rest, ignoring leading space.
 * @param {string} line
 * @returns {[string, string]}
 */
function words(line) {
  const t = line.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(t);
  return m ? [m[1], m[2]] : ['', ''];
}

/**
 * Whether a line is blank or a comment.
 * @param {string} line
 * @returns {boolean}
 */
function isQuiet(line) {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/**
 * Splits a tour file into steps.
 * @param {string} text
 * @returns {{steps: TourStep[], lines: string[], title: string}}
 */
export function splitTour(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  /** @type {TourStep[]} */
  const steps = [];
  /** @type {TourStep | null} */
  let cur = null;
  let title = '';
  // Lines before the first narration (the config line, setup) belong to the first step.
  /** @type {string[]} */
  let preamble = [];
  lines.forEach((line, i) => {
    const [w, rest] = words(line);
    if (!title && /^#\s*\S/.test(line.trim()) && !cur) title = line.trim().replace(/^#+\s*/, '');
    if (w === 'say' || w === 'ask') {
      const fresh = !cur || w === 'ask' || cur.ask !== null || cur.lines.length > 0;
      if (fresh) {
        if (cur) steps.push(cur);
        cur = { say: [], ask: null, lines: [], end: i + 1, start: i };
      }
      const c = /** @type {TourStep} */ (cur);
      if (w === 'say') c.say.push(rest.trim());
      else {
        c.ask = rest.trim();
      }
      c.end = i + 1;
      c.start = i + 1;
      return;
    }
    if (isQuiet(line) || w === 'config') {
      if (cur) cur.end = Math.max(cur.end, i + 1);
      return;
    }
    if (!cur) {
      preamble.push(line.trim());
      return;
    }
    cur.lines.push(line.trim());
    cur.end = i + 1;
  });
  if (cur) steps.push(cur);
  if (steps.length === 0) {
    steps.push({ say: [], ask: null, lines: preamble, end: lines.length, start: 0 });
  } else if (preamble.length) {
    steps[0].lines = [...preamble, ...steps[0].lines];
  }
  // A step's `end` stops before trailing blank lines or comments of the next step's
  // lead-in; keep it at the last line it owns.
  return { steps, lines, title };
}

/**
 * The scenario text up to (and including) line `n`.
 * @param {string[]} lines
 * @param {number} n
 * @returns {string}
 */
export function prefixText(lines, n) {
  return lines.slice(0, n).join('\n') + '\n';
}

/**
 * Expectation lines in words, for the reveal of a checkpoint.
 * @param {string[]} lines
 * @returns {string[]}
 */
export function expectations(lines) {
  return lines
    .filter((l) => words(l)[0] === 'expect')
    .map((l) => {
      const [, rest] = words(l);
      const [what, ...args] = rest.split(/\s+/);
      switch (what) {
        case 'outcome':
          return `the access is ${args[0] === 'fault-fixed' ? 'a fault, fixed up' : args[0]}`;
        case 'divergence':
          return `${args[0]} has ${args[2]} slot${args[2] === '1' ? '' : 's'} ${args[1]}`;
        case 'metric':
          return `${args[0].replace(/_/g, ' ')} = ${args[1]}`;
        case 'error':
          return `the operation is refused (${args[0]})`;
        case 'table-bytes':
          return `page-table bytes of ${args[0]} = ${args[1]}`;
        default:
          return rest;
      }
    });
}
