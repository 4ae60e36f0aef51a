// @ts-check
/**
 * The kernel's words as the playground uses them, each with where the kernel defines
 * it: an identifier search in a given release's source (the release where it lives; the
 * calls 5.8 removed point at 5.7). Pure data; the glossary view draws it, and terms in the
 * page link to their entry.
 * @module
 */

/**
 * @typedef {object} Term
 * @property {string} id anchor name
 * @property {string} term as the page writes it
 * @property {string} text what it means here
 * @property {string} ident the kernel identifier that defines it
 * @property {string} release the kernel release whose source is linked
 */

/** @type {readonly Term[]} */
export const GLOSSARY = Object.freeze([
  {
    id: 'pgd',
    term: 'PGD',
    text:
      'Page global directory: the top-level page table of an address space (1,024 entries of 4 MiB on 2-level x86-32, 4 of 1 GiB with PAE, ' +
      '512 of 512 GiB with 4-level, 512 of 256 TiB with 5-level paging). Each process has its own; the kernel half of it must agree with the reference.',
    ident: 'pgd_alloc',
    release: 'v6.17',
  },
  { id: 'pmd', term: 'PMD', text: 'Page middle directory: the level below the PGD (or PUD). With PAE the kernel keeps its mappings in PMD pages, so PAE syncs at the PMD level.', ident: 'pmd_t', release: 'v6.17' },
  { id: 'pte', term: 'PTE', text: 'Page table entry: the lowest level, mapping one 4 KiB page. vmalloc() fills PTEs; a new PTE table needs a new entry in the level above.', ident: 'pte_t', release: 'v6.17' },
  { id: 'pae', term: 'PAE', text: 'Physical Address Extension: 3-level paging for 32-bit x86, with 64-bit entries (PGD, PMD, PTE).', ident: 'X86_PAE', release: 'v6.17' },
  { id: 'la57', term: '5-level (LA57)', text: '5-level paging: a P4D level between the PGD and the PUD, and 57-bit virtual addresses.', ident: 'pgtable_l5_enabled', release: 'v6.17' },
  { id: 'pti', term: 'PTI', text: 'Page Table Isolation (the Meltdown mitigation): user mode runs on page tables that lack most kernel mappings. On PAE it makes the kernel PMDs private to each process, so that they must be synced.', ident: 'pti_init', release: 'v6.17' },
  {
    id: 'huge-ioremap',
    term: 'huge ioremap',
    text:
      'ioremap() and vmap() may map a range with 2 MiB (PMD) or 1 GiB (PUD) leaf entries instead of PTE tables. ' +
      'A huge PMD is an entry the processes must see too, and its removal must reach them as well.',
    ident: 'arch_vmap_pmd_supported',
    release: 'v6.17',
  },
  { id: 'nr-cpus', term: 'NR_CPUS', text: 'The most CPUs the kernel is built for; it sizes the per-CPU fixmap and cpu entry area at the top of the address space, and so where the vmalloc area ends on 32-bit.', ident: 'NR_CPUS', release: 'v6.17' },
  { id: 'split', term: 'memory split (3G, 3G_OPT, ...)', text: 'Where user space ends and the kernel begins on 32-bit x86 (PAGE_OFFSET): 3G leaves the kernel 1 GiB; the _OPT splits move the line so that more RAM is directly mapped.', ident: 'VMSPLIT_3G_OPT', release: 'v6.17' },
  { id: 'vmalloc', term: 'vmalloc()', text: 'Virtually contiguous kernel memory, mapped page by page into the vmalloc area of the reference table.', ident: 'vmalloc', release: 'v6.17' },
  { id: 'ioremap', term: 'ioremap()', text: 'Maps a physical range (device memory) into the vmalloc area; iounmap() removes it.', ident: 'ioremap', release: 'v6.17' },
  { id: 'reference', term: 'reference (init_mm, swapper_pg_dir)', text: "The kernel's own page tables: every kernel mapping is made here first, and each process's kernel half is a copy of it.", ident: 'swapper_pg_dir', release: 'v6.17' },
  { id: 'pgd-boundary', term: 'KERNEL_PGD_BOUNDARY', text: 'The first PGD entry of the kernel half: a fork copies the entries from here on.', ident: 'KERNEL_PGD_BOUNDARY', release: 'v6.17' },
  { id: 'vmalloc-fault', term: 'vmalloc_fault()', text: 'The lazy way (up to 5.8 on 64-bit; 32-bit still): a process that touches a kernel mapping it lacks takes a page fault, and the handler copies the entry from the reference.', ident: 'vmalloc_fault', release: 'v5.8' },
  { id: 'sync-mappings', term: 'vmalloc_sync_mappings() / vmalloc_sync_unmappings()', text: 'Explicit calls (5.3 to 5.7) that copied the reference\'s kernel entries into every process; removed in 5.8.', ident: 'vmalloc_sync_mappings', release: 'v5.7' },
  { id: 'pgtbl-mod-mask', term: 'pgtbl_mod_mask', text: 'Since 5.8: the levels a vmalloc() or ioremap() changed, so that only a change at a level the architecture syncs (ARCH_PAGE_TABLE_SYNC_MASK) calls arch_sync_kernel_mappings().', ident: 'pgtbl_mod_mask', release: 'v6.17' },
  { id: 'arch-sync', term: 'arch_sync_kernel_mappings()', text: 'Since 5.8: the architecture hook that copies a changed kernel range into every page table on pgd_list.', ident: 'arch_sync_kernel_mappings', release: 'v6.17' },
  { id: 'sync-global-pgds', term: 'sync_global_pgds()', text: 'x86-64: copies the reference\'s top-level entries for a range into every PGD; it visits the directories and skips empty slots.', ident: 'sync_global_pgds', release: 'v6.17' },
  { id: 'preempt', term: 'preempt / resume', text: "vmsync's model of the 5.9 race: an allocation that is preempted after mapping and before its sync; Resume runs the sync it held.", ident: '__vmalloc_node_range_noprof', release: 'v6.17' },
  { id: 'ldt', term: 'LDT', text: 'Local Descriptor Table: with PTI, modify_ldt() maps a process\'s LDT in its own page tables, at a slot the reference never has (a private entry).', ident: 'map_ldt_struct', release: 'v6.17' },
  { id: 'private', term: 'private entry', text: 'A kernel-half entry a process has on purpose and the reference does not (the LDT remap, PTI\'s per-process PMDs): never synced, never drift.', ident: 'map_ldt_struct', release: 'v6.17' },
]);

/**
 * Where the kernel defines a term: an identifier search in that release's source.
 * @param {Term} t
 * @returns {string}
 */
export function sourceUrl(t) {
  return `https://elixir.bootlin.com/linux/${t.release}/A/ident/${encodeURIComponent(t.ident)}`;
}
