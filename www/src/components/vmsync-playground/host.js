// @ts-check
/**
 * What a view of `<vmsync-playground>` may ask of the element that holds it. The element
 * is the coordinator (lifecycle, attributes, the URL, the theme, the order views draw
 * in); each view (`config-view.js`, `ops-view.js`, `panels-view.js`, `tour-player.js`,
 * ...) reads the timeline through `timeline()` and draws only its own part of the shadow
 * root, found with `el()`.
 * @module
 */

/** @typedef {import('../../timeline.js').Timeline} Timeline */
/** @typedef {import('../../lib/colours.js').Palette} Palette */

/**
 * @typedef {object} Host
 * @property {<T extends Element = HTMLElement>(sel: string) => T} el an element of the
 *   shadow root (throws when there is none: a bug)
 * @property {ShadowRoot} root the shadow root
 * @property {HTMLElement} element the custom element itself (attributes, events)
 * @property {() => Timeline} timeline the live timeline (throws before the first)
 * @property {() => Timeline | null} maybeTimeline the live timeline, or null before it
 * @property {() => Palette} palette the theme's colours
 * @property {() => 'light' | 'dark'} theme the theme shown
 * @property {() => boolean} wide whether addresses are 64-bit
 * @property {() => number} entryDigits hex digits of a page-table entry
 * @property {<T>(fn: () => T) => T | Error | undefined} guard runs `fn`: an engine error
 *   is returned, anything else stops the element (the crash screen)
 * @property {(e: unknown) => void} fatal shows the crash screen
 * @property {() => boolean} isFatal whether the crash screen is up
 * @property {(text: string) => void} announce says `text` to screen readers
 * @property {(text: string, undoable?: boolean, at?: number) => void} runScenario runs a
 *   scenario as the machine (throws the engine's error, changing nothing)
 * @property {() => void} startDefault starts over on the default machine
 * @property {(problems: string[], retry?: boolean) => void} linkProblems shows what a
 *   link or an attribute could not give
 * @property {(what: string, e: unknown) => void} loadFailed says in place that a part
 *   loaded on first use (`lazy.js`) could not be loaded
 * @property {() => void} writeUrl writes the state shown into the URL (url-state only)
 * @property {() => void} leaveTour leaves a tour without a word (its state stays)
 * @property {(s: Timeline) => void} setTimeline makes `s` the timeline
 * @property {(config: any) => void} startWith a new machine of `config`, empty
 * @property {() => 'light' | 'dark' | null} themeChoice the theme the user chose, if any
 * @property {(choice: 'light' | 'dark') => void} setTheme chooses a theme
 * @property {() => void} togglePresent presenter mode on or off
 * @property {(at: {process: string, slot: number} | null) => void} point points at a table
 *   and a slot ('' is the reference; slot -1: the table only), or nowhere
 * @property {() => import('./tour-player.js').Tour | null} tour the tour being played
 * @property {(slot: number) => bigint} slotVa the first address a kernel slot covers
 * @property {() => import('../../lib/url-state.js').UrlState} urlState the state shown,
 *   as a link holds it
 */

export {};
