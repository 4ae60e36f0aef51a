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
 * @property {string[]} say narration lines (without the `say` word); for a checkpoint,
 *   the narration that answers it
 * @property {string | null} ask the question, for a checkpoint
 * @property {string[]} lines the other lines of the step (operations, expectations), as
 *   written; for a checkpoint, the lines its reveal runs
 * @property {number} end source lines up to the end of this step (the state shown)
 * @property {number} start source lines before a checkpoint's reveal (the state while
 *   the question is open); equal to `end` for narration
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
 * Splits a tour file into steps. Tours are written as operations followed by the `say`
 * lines that explain their result (and `expect` lines that check it); a step is such a
 * run. An `ask` line opens a checkpoint: the question is shown on the state so far, and
 * the reveal runs the lines after it up to and including the narration that answers it.
 * @param {string} text
 * @returns {{steps: TourStep[], lines: string[], title: string}}
 */
export function splitTour(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  /** @type {TourStep[]} */
  const steps = [];
  let title = '';
  /** @returns {TourStep} */
  const fresh = () => ({ say: [], ask: null, lines: [], end: 0, start: 0 });
  let cur = fresh();
  // ops: collecting operations; said: after narration (expectations may follow);
  // reveal: after a question, collecting what the reveal runs.
  let phase = 'ops';
  const close = () => {
    if (cur.say.length || cur.ask !== null || cur.lines.length) {
      if (cur.ask === null) cur.start = cur.end;
      steps.push(cur);
    }
    cur = fresh();
    phase = 'ops';
  };
  lines.forEach((line, i) => {
    const [w, rest] = words(line);
    if (!title && !steps.length && !cur.lines.length && /^#\s*\S/.test(line.trim())) {
      title = line.trim().replace(/^#+\s*/, '');
    }
    if (isQuiet(line) || w === 'config') return;
    if (w === 'ask') {
      // The question is asked on the state so far: operations not yet narrated run first.
      if (phase === 'said' || cur.ask !== null) close();
      cur.ask = rest.trim();
      cur.start = i + 1;
      cur.end = i + 1;
      phase = 'reveal';
      return;
    }
    if (w === 'say') {
      cur.say.push(rest.trim());
      cur.end = i + 1;
      phase = 'said';
      return;
    }
    if (w === 'expect') {
      cur.lines.push(line.trim());
      cur.end = i + 1;
      return;
    }
    // An operation after narration starts the next step.
    if (phase === 'said') close();
    cur.lines.push(line.trim());
    cur.end = i + 1;
  });
  close();
  if (!steps.length) steps.push({ say: [], ask: null, lines: [], end: lines.length, start: lines.length });
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
