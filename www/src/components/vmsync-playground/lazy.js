// @ts-check
/**
 * The parts of `<vmsync-playground>` that the first drawing does not need, loaded on
 * first use: each is a dynamic `import()` (a chunk of its own in the build). A part is
 * fetched when it is about to be used too: when the pointer or the keyboard focus reaches
 * what opens it (`warm`), so that opening it seldom waits. A load that fails (the network,
 * a server gone) is said in place, never the crash screen: it is not a bug in vmsync, and
 * the next use tries again. A part's own styles are a stylesheet of its own, fetched beside
 * its module (`stylesheet`), so that the first drawing's stylesheet does not carry them.
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
 * Adds a part's stylesheet to the shadow root `root` (once), after the stylesheets there,
 * and resolves when it has loaded: a part is drawn with its styles, and its stylesheet
 * loads beside its module rather than after it. One that cannot be loaded is taken out
 * again (the next use adds it anew) and rejects.
 * @param {ShadowRoot} root
 * @param {URL} url
 * @returns {Promise<void>}
 */
export function stylesheet(root, url) {
  const links = /** @type {HTMLLinkElement[]} */ ([...root.children].filter((e) => e instanceof HTMLLinkElement && e.rel === 'stylesheet'));
  let link = links.find((l) => l.href === url.href);
  if (link?.sheet) return Promise.resolve();
  if (!link) {
    link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = url.href;
    const last = links.at(-1);
    if (last) last.after(link);
    else root.prepend(link);
  }
  const l = link;
  return new Promise((ok, fail) => {
    l.addEventListener('load', () => ok(), { once: true });
    l.addEventListener('error', () => {
      l.remove();
      fail(new Error(`its stylesheet ${url.pathname} did not load`));
    }, { once: true });
  });
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
