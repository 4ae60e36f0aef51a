// @ts-check
/**
 * The built-in guided tours: scenario files in www/scenarios/, in teaching order.
 * The menu lists them all without a request; a missing file says so when it is opened.
 * @module
 */

/** @type {{file: string, title: string}[]} */
export const TOURS = [
  { file: 'lazy-fault.vms', title: 'Fork, then vmalloc: the lazy fault' },
  { file: 'two-level.vms', title: '2-level paging: 1024 entries, synced at the top' },
  { file: 'pae-pmd-level.vms', title: 'PAE: four top-level entries, so the sync level is the PMD' },
  { file: 'shared-kernel-pmds.vms', title: 'PAE without PTI: one kernel PMD page for all' },
  { file: 'private-pmds-6.16.vms', title: '6.16: private kernel PMDs for every PAE process' },
  { file: 'pae-1272.vms', title: 'PAE 1G: 1272 PMD entries to sync, or 1268' },
  { file: 'andy-joerg.vms', title: "Andy's rule and Joerg's answer" },
  { file: 'stale-huge-pmd.vms', title: 'The stale huge PMD after iounmap()' },
  { file: 'purge-fix-5.3.vms', title: 'The 2019 fix: unmappings synced before reuse' },
  { file: 'race-5.9.vms', title: 'The 5.9 race: two allocations, one PMD' },
  { file: 'prealloc-64.vms', title: '64-bit: pre-allocate 256 KiB, never sync' },
  { file: 'hotplug-2025.vms', title: 'The 2025 hot-plug crash' },
  { file: 'hotplug-2025-early-touch.vms', title: 'The 2025 crash in the hot-adding process' },
  { file: 'five-level.vms', title: '5-level paging: the same rule, 256 TiB a slot' },
];

/** Each tour's name, as links and the `tour` attribute give it: its file without `.vms`. */
export const TOUR_NAMES = Object.freeze(TOURS.map((t) => t.file.replace(/\.vms$/, '')));

/**
 * The file of a tour name from the list (null for any other name: tours are opened only
 * by name, from this list).
 * @param {string} name
 * @returns {string | null}
 */
export function tourFile(name) {
  return TOURS.find((t) => t.file === name + '.vms')?.file ?? null;
}

/**
 * The URL of a tour file, relative to this module.
 * @param {string} file
 * @returns {URL}
 */
export function tourUrl(file) {
  return new URL(`../scenarios/${file}`, import.meta.url);
}
