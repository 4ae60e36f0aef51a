// @ts-check
/**
 * The embed snippets of Share (`share-view.js`, loaded on first use): an `<iframe>` of
 * embed.html at a state, and the `<vmsync-playground>` element with a scenario, their
 * attributes escaped.
 * @module
 */
import { encodeState } from './url-state.js';

/** @typedef {import('./url-state.js').UrlState} UrlState */

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
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="${height}" loading="lazy"></iframe>`;
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
