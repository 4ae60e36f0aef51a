// @ts-check
/**
 * The Glossary card of `<vmsync-playground>`: each kernel word the page uses, what it
 * means here, and a link to where the kernel defines it. Terms in the forms carry the
 * same meaning as a tooltip. Loaded on first use (`cards.js`: the card opened, or the
 * pointer or the focus in the forms).
 * @module
 */
import { GLOSSARY, sourceUrl } from '../../lib/glossary.js';

/** @typedef {import('./host.js').Host} Host */

/**
 * Fills the glossary (once: it does not change).
 * @param {Host} h
 */
export function renderGlossary(h) {
  const dl = h.el('#glossary-list');
  dl.replaceChildren(
    ...GLOSSARY.flatMap((t) => {
      const dt = document.createElement('dt');
      dt.id = `term-${t.id}`;
      dt.textContent = t.term;
      const dd = document.createElement('dd');
      const a = document.createElement('a');
      a.href = sourceUrl(t);
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = `${t.ident} in Linux ${t.release.slice(1)}`;
      dd.append(document.createTextNode(t.text + ' '), a);
      return [dt, dd];
    }),
  );
}

/**
 * Gives each kernel word in the forms (`abbr[data-term]`) its meaning as a tooltip.
 * @param {Host} h
 */
export function titleTerms(h) {
  h.root.querySelectorAll('abbr[data-term]').forEach((a) => {
    const id = /** @type {HTMLElement} */ (a).dataset.term;
    const t = GLOSSARY.find((g) => g.id === id);
    if (!t) throw new Error(`no glossary entry ${id}`);
    a.setAttribute('title', t.text);
  });
}
