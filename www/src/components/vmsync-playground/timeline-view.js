// @ts-check
/**
 * The Timeline card of `<vmsync-playground>` and the Access card: step back and forward
 * through the operations (the slider, Alt+←/→), Undo and Redo of whole actions (Ctrl+Z,
 * Ctrl+Shift+Z or Ctrl+Y), and the page walk of the last access among the recent steps
 * (`<vmsync-walk-view>`, loaded when there is a first access to show, or about to be: the
 * pointer or the focus reaches the access form; until then the markup says there is none).
 * @module
 */
import { Lazy, stylesheet } from './lazy.js';

/** @typedef {import('./host.js').Host} Host */
/** @typedef {import('../walk-view/walk-view.js').WalkView} WalkView */

export class TimelineView {
  /** @type {Host} */
  #h;
  /** @type {Lazy<void>} `<vmsync-walk-view>` defined, and its stylesheet in the shadow root (made anew by wire(): a restart) */
  #walk = this.#walkLoader();
  /** Walks asked for: one that waits for its part is drawn only if it is still the latest. */
  #walks = 0;

  /** @param {Host} host */
  constructor(host) {
    this.#h = host;
  }

  /** Wires the buttons, the slider and the keys. */
  wire() {
    this.#h.el('#tl-back').addEventListener('click', () => this.#h.guard(() => this.#h.timeline().stepBack()));
    this.#h.el('#tl-fwd').addEventListener('click', () => this.#h.guard(() => this.#h.timeline().stepForward()));
    this.#h.el('#tl-undo').addEventListener('click', () => this.#h.guard(() => this.#undoRedo(true)));
    this.#h.el('#tl-redo').addEventListener('click', () => this.#h.guard(() => this.#undoRedo(false)));
    this.#h.el('#tl-range').addEventListener('input', (e) =>
      this.#h.guard(() => this.#h.timeline().goTo(Number(/** @type {HTMLInputElement} */ (e.target).value))),
    );
    this.#h.el('.app').addEventListener('keydown', (e) => this.#shortcut(/** @type {KeyboardEvent} */ (e)));
    this.#walk = this.#walkLoader();
    this.#walk.warm(this.#h.el('form[data-op="access"]'));
  }

  #walkLoader() {
    return new Lazy(() =>
      Promise.all([
        import('../walk-view/walk-view.js').then(({ registerWalkView }) => registerWalkView()),
        stylesheet(this.#h.root, new URL('../walk-view/walk-view.css', import.meta.url)),
      ]).then(() => {}),
    );
  }

  /** @param {KeyboardEvent} e */
  #shortcut(e) {
    const t = /** @type {HTMLElement} */ (e.composedPath()[0]);
    const typing = t instanceof HTMLInputElement && t.type !== 'checkbox' && t.type !== 'range' || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      this.#h.guard(() => (e.key === 'ArrowLeft' ? this.#h.timeline().stepBack() : this.#h.timeline().stepForward()));
    } else if (!typing && (e.ctrlKey || e.metaKey) && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
      e.preventDefault();
      // Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (whatever case the key reports).
      this.#h.guard(() => this.#undoRedo(e.key.toLowerCase() === 'z' && !e.shiftKey));
    }
  }

  /** @param {boolean} undo */
  #undoRedo(undo) {
    const ok = undo ? this.#h.timeline().undo() : this.#h.timeline().redo();
    if (ok) this.#h.leaveTour();
    this.#h.announce(ok ? (undo ? 'Undone' : 'Redone') : undo ? 'Nothing to undo' : 'Nothing to redo');
  }

  render() {
    this.#renderWalk();
    const s = this.#h.timeline();
    const range = /** @type {HTMLInputElement} */ (this.#h.el('#tl-range'));
    range.max = String(s.length);
    range.value = String(s.position);
    range.setAttribute('aria-valuetext', `${s.position} of ${s.length} operations applied`);
    this.#h.el('#tl-pos').textContent = `step ${s.position} of ${s.length}`;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tl-back')).disabled = !s.canStepBack;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tl-fwd')).disabled = !s.canStepForward;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tl-undo')).disabled = !s.canUndo;
    /** @type {HTMLButtonElement} */ (this.#h.el('#tl-redo')).disabled = !s.canRedo;
    range.disabled = s.length === 0;
  }

  #renderWalk() {
    const s = this.#h.timeline();
    const n = ++this.#walks;
    // The last access among the recent steps (a long timeline is not read through).
    let last = null;
    for (let i = s.position - 1; i >= Math.max(0, s.position - 256) && !last; i--) {
      const st = s.step(i);
      if (st.op?.op === 'access' && st.value.kind === 'access') last = st;
    }
    if (!this.#walk.loaded) {
      // No access to show: the markup's own words say so (again, after a failed load).
      // Else the walk, once loaded; a failed load is said in the card too, not "no access".
      const words = /** @type {HTMLElement | null} */ (this.#h.el('#walk').querySelector('.walk-heading'));
      if (!last) {
        if (words?.dataset.said) words.textContent = words.dataset.said;
        return;
      }
      this.#walk.load().then(
        () => this.#h.guard(() => n === this.#walks && this.#renderWalk()),
        (e) => {
          this.#h.loadFailed('The page walk', e);
          if (!words || n !== this.#walks) return;
          words.dataset.said ??= words.textContent ?? '';
          words.textContent = 'The page walk of the last access could not be loaded.';
        },
      );
      return;
    }
    const walk = /** @type {WalkView} */ (this.#h.el('#walk'));
    if (!last) walk.clear();
    else walk.show(last.value.value, { wide: this.#h.wide(), entryDigits: this.#h.entryDigits(), processName: String(last.op.process) });
  }
}
