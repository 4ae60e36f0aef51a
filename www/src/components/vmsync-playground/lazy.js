// @ts-check
/**
 * The parts of `<vmsync-playground>` that the first drawing does not need, loaded on
 * first use: each is a dynamic `import()` (a chunk of its own in the build). A part is
 * fetched when it is about to be used too: when the pointer or the keyboard focus reaches
 * what opens it (`warm`), so that opening it seldom waits. A load that fails (the network,
 * a server gone) is said in place, never the crash screen: it is not a bug in vmsync, and
 * the next use tries again.
 * @module
 */

/**
 * One part loaded on first use.
 * @template T
 */
export class Lazy {
  /** @type {() => Promise<T>} */
  #importer;
  /** @type {Promise<T> | null} */
  #loading = null;
  /** @type {T | null} */
  #value = null;
  #loaded = false;

  /**
   * @param {() => Promise<T>} importer the dynamic import, and what is made of the module
   */
  constructor(importer) {
    this.#importer = importer;
  }

  /** The part, once loaded (else null). */
  get value() {
    return this.#value;
  }

  /** Whether the part is loaded. */
  get loaded() {
    return this.#loaded;
  }

  /**
   * Loads the part (once; after a failure, again).
   * @returns {Promise<T>}
   */
  load() {
    this.#loading ??= this.#importer().then(
      (v) => {
        this.#loaded = true;
        return (this.#value = v);
      },
      (e) => {
        this.#loading = null;
        throw e;
      },
    );
    return this.#loading;
  }

  /**
   * Starts the load (quietly: a failure is said when the part is used) as soon as the
   * pointer or the focus reaches `el`.
   * @param {Element} el
   */
  warm(el) {
    const go = () => {
      el.removeEventListener('pointerover', go);
      el.removeEventListener('focusin', go);
      this.load().catch(() => {});
    };
    el.addEventListener('pointerover', go);
    el.addEventListener('focusin', go);
  }
}

/**
 * The words for a part that could not be loaded.
 * @param {string} what the part, as the page names it ("the tour player", "Compare eras")
 * @param {unknown} e
 * @returns {string}
 */
export function loadFailure(what, e) {
  const why = e instanceof Error ? e.message : String(e);
  return `${what} could not be loaded (${why}). Check the connection, then try again; reloading the page keeps the state shown.`;
}
