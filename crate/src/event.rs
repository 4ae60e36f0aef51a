//! What operations report: structured events (what changed where, and why) and metrics.

use crate::memory::{Owner, Pid};
use crate::mode::Level;

/// Why an entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(rename_all = "kebab-case"))]
pub enum Why {
    /// Built at boot (direct map, fixmap, pre-allocation, ...).
    Boot,
    /// `vmalloc()` populated the reference.
    Vmalloc,
    /// `ioremap()` populated the reference.
    Ioremap,
    /// `vfree()` cleared the reference.
    Vfree,
    /// `iounmap()` cleared the reference.
    Iounmap,
    /// `pmd_free_pte_page()` / `pud_free_pmd_page()`: a huge leaf replaced an empty table.
    FreeLowerTable,
    /// A sync copied the reference's entry into a process.
    Sync,
    /// `vmalloc_fault()` copied the reference's entry on a fault.
    Fault,
    /// Memory hot-add populated the direct map or vmemmap.
    Hotplug,
    /// `modify_ldt()` mapped the process's LDT (PTI).
    Ldt,
}

impl Why {
    /// Every reason, in declaration order.
    pub const ALL: [Why; 10] = [
        Why::Boot,
        Why::Vmalloc,
        Why::Ioremap,
        Why::Vfree,
        Why::Iounmap,
        Why::FreeLowerTable,
        Why::Sync,
        Why::Fault,
        Why::Hotplug,
        Why::Ldt,
    ];
    /// Their names as they cross (kebab-case).
    pub const NAMES: [&'static str; 10] = [
        "boot",
        "vmalloc",
        "ioremap",
        "vfree",
        "iounmap",
        "free-lower-table",
        "sync",
        "fault",
        "hotplug",
        "ldt",
    ];
}

/// One event. Addresses are virtual unless named `phys`/`pfn`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(tag = "type", rename_all = "kebab-case"))]
pub enum Event {
    /// A page-table page was allocated.
    TableAllocated {
        /// Who owns it.
        owner: Owner,
        /// Its level.
        level: Level,
        /// Its frame.
        pfn: u64,
    },
    /// A page-table page was freed.
    TableFreed {
        /// Who owned it.
        owner: Owner,
        /// Its level.
        level: Level,
        /// Its frame.
        pfn: u64,
    },
    /// A directory entry (or a huge leaf) changed.
    EntrySet {
        /// Whose table: the kernel's (reference) or a process's.
        owner: Owner,
        /// The level of the entry.
        level: Level,
        /// The first virtual address the entry covers.
        va: u64,
        /// The old raw value.
        old: u64,
        /// The new raw value.
        new: u64,
        /// Why.
        why: Why,
    },
    /// A run of PTEs was written (set or cleared): in the kernel's lower tables, which
    /// every process shares, or in a process's private table (its LDT remap).
    Ptes {
        /// Whose table: the kernel's, or one process's.
        owner: Owner,
        /// The first address.
        va: u64,
        /// How many 4 KiB pages.
        pages: u64,
        /// Whether they were set (or cleared).
        set: bool,
        /// Why.
        why: Why,
    },
    /// The operation changed the sync level; the strategy decided what to do.
    SyncLevelChanged {
        /// The first address of the changed range.
        start: u64,
        /// The end of the changed range (exclusive).
        end: u64,
        /// The kernel's name of the `pgtbl_mod_mask` bit for the sync level.
        mask_bit: &'static str,
        /// What the strategy did about it.
        action: &'static str,
    },
    /// A sync pass ran (`arch_sync_kernel_mappings`, `vmalloc_sync_*`, `sync_global_pgds`).
    SyncPass {
        /// The kernel function modelled.
        function: &'static str,
        /// Sync-level slots walked.
        slots: u64,
        /// Page directories on `pgd_list` at the time.
        directories: u64,
        /// Entries copied.
        copied: u64,
    },
    /// A kernel page fault in a process.
    Fault {
        /// The process.
        pid: Pid,
        /// The faulting address.
        va: u64,
        /// Whether `vmalloc_fault()` fixed it up.
        fixed: bool,
    },
    /// `BUG_ON()` in a sync: the process and the reference both have the entry, pointing to
    /// different pages. The kernel would have crashed here; the model leaves both as they are.
    Bug {
        /// The process.
        pid: Pid,
        /// The first address of the slot.
        va: u64,
        /// The process's entry.
        process_entry: u64,
        /// The reference's entry.
        reference_entry: u64,
    },
    /// A process was created.
    Forked {
        /// The new process.
        pid: Pid,
    },
    /// A process exited and its page tables were freed.
    Exited {
        /// The process.
        pid: Pid,
        /// Page-table pages freed.
        tables: u64,
    },
    /// Something the model notes for the reader.
    Note {
        /// The text.
        text: String,
    },
}

/// Counters, per operation and cumulative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Metrics {
    /// Sync-level entries copied into processes by syncs and fault fix-ups.
    pub entries_copied: u64,
    /// Entries copied by `pgd_alloc()` when processes were created.
    pub entries_cloned: u64,
    /// (slot, page directory) pairs visited by sync passes.
    pub directories_visited: u64,
    /// Sync passes run.
    pub sync_passes: u64,
    /// Page-table pages allocated.
    pub tables_allocated: u64,
    /// Page-table pages freed.
    pub tables_freed: u64,
    /// Faults fixed up from the reference.
    pub faults_fixed: u64,
    /// Unhandled kernel page faults.
    pub oopses: u64,
    /// Accesses that reached a frame the reference no longer maps there.
    pub stale_accesses: u64,
    /// `BUG_ON()`s hit in a sync.
    pub bugs: u64,
}

impl Metrics {
    /// Adds `other` into `self`.
    pub fn add(&mut self, o: &Metrics) {
        self.entries_copied += o.entries_copied;
        self.entries_cloned += o.entries_cloned;
        self.directories_visited += o.directories_visited;
        self.sync_passes += o.sync_passes;
        self.tables_allocated += o.tables_allocated;
        self.tables_freed += o.tables_freed;
        self.faults_fixed += o.faults_fixed;
        self.oopses += o.oopses;
        self.stale_accesses += o.stale_accesses;
        self.bugs += o.bugs;
    }

    /// The value of the counter named `name` (the field name), for scenario `expect` lines.
    pub fn get(&self, name: &str) -> Option<u64> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| self.values()[i])
    }

    /// The counters in the order of [`Metrics::NAMES`].
    pub fn values(&self) -> [u64; 10] {
        [
            self.entries_copied,
            self.entries_cloned,
            self.directories_visited,
            self.sync_passes,
            self.tables_allocated,
            self.tables_freed,
            self.faults_fixed,
            self.oopses,
            self.stale_accesses,
            self.bugs,
        ]
    }

    /// The counter names [`Metrics::get`] knows.
    pub const NAMES: [&'static str; 10] = [
        "entries_copied",
        "entries_cloned",
        "directories_visited",
        "sync_passes",
        "tables_allocated",
        "tables_freed",
        "faults_fixed",
        "oopses",
        "stale_accesses",
        "bugs",
    ];
}
