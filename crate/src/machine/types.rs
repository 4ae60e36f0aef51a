//! The machine's public vocabulary: allocations, sync calls, walks, access outcomes,
//! divergence classes and operation results.

use crate::event::{Event, Metrics};
use crate::memory::Pid;
use crate::mode::Level;

/// A live allocation in the vmalloc area.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Area {
    /// Its first address (page aligned).
    pub start: u64,
    /// Mapped bytes (a whole number of pages); one guard page follows.
    pub size: u64,
    /// What it maps.
    pub kind: AreaKind,
}

/// What an allocation maps.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(tag = "kind", rename_all = "lowercase"))]
pub enum AreaKind {
    /// `vmalloc()`: one RAM frame per page.
    Vmalloc {
        /// The data frames.
        frames: Vec<u64>,
    },
    /// `ioremap()`: a physical range, contiguous.
    Ioremap {
        /// The first physical address (page aligned).
        phys: u64,
    },
}

/// What memory a hot-add brings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum HotplugKind {
    /// RAM, in whole memory blocks (`MIN_MEMORY_BLOCK_SIZE`, 128 MiB): the direct map and
    /// `vmemmap_populate()` with 2 MiB leaves.
    #[default]
    Ram,
    /// ZONE_DEVICE persistent memory (pmem) on the ordinary vmemmap path, in 2 MiB
    /// sub-sections (`SUBSECTION_SIZE`), so its memmap need not fill whole vmemmap PMDs.
    Pmem,
    /// ZONE_DEVICE device-DAX memory whose memmap uses the compound-page vmemmap
    /// (`vmemmap_populate_compound_pages()`), in 2 MiB sub-sections.
    Dax,
}

impl HotplugKind {
    /// Every kind, in the order menus list them.
    pub const ALL: [HotplugKind; 3] = [HotplugKind::Ram, HotplugKind::Pmem, HotplugKind::Dax];

    /// The kind of that name ([`HotplugKind::name`]).
    pub fn named(name: &str) -> Option<HotplugKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind's name in scenarios.
    pub fn name(self) -> &'static str {
        match self {
            HotplugKind::Ram => "ram",
            HotplugKind::Pmem => "pmem",
            HotplugKind::Dax => "dax",
        }
    }
}

/// An explicit sync call of the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(rename_all = "lowercase")]
pub enum SyncKind {
    /// `vmalloc_sync_mappings()`: fill entries the processes lack.
    Mappings,
    /// `vmalloc_sync_unmappings()`: also clear entries the reference cleared (32-bit).
    Unmappings,
    /// `sync_global_pgds()` over the whole kernel half (64-bit).
    Global,
}

impl SyncKind {
    /// Every sync call, in the order menus list them.
    pub const ALL: [SyncKind; 3] = [SyncKind::Mappings, SyncKind::Unmappings, SyncKind::Global];

    /// The call of that name ([`SyncKind::name`]).
    pub fn named(name: &str) -> Option<SyncKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The call's name in scenarios and their JSON form.
    pub fn name(self) -> &'static str {
        match self {
            SyncKind::Mappings => "mappings",
            SyncKind::Unmappings => "unmappings",
            SyncKind::Global => "global",
        }
    }
}

/// One step of a page walk.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct WalkStep {
    /// The level.
    pub level: Level,
    /// The table's frame.
    pub table_pfn: u64,
    /// The index in that table.
    pub index: usize,
    /// The raw entry read.
    pub entry: u64,
}

/// The outcome of a CPU access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(tag = "kind", rename_all = "kebab-case"))]
pub enum Outcome {
    /// The walk reached the same frame the reference maps there.
    Translated {
        /// The physical address.
        phys: u64,
    },
    /// A not-present fault that `vmalloc_fault()` fixed from the reference, then translated.
    FaultFixed {
        /// The physical address.
        phys: u64,
    },
    /// An unhandled kernel page fault.
    Oops {
        /// The level whose entry was not present.
        level: Level,
    },
    /// The walk reached a frame the reference no longer maps at that address.
    Stale {
        /// Where the process's walk went.
        phys: u64,
        /// What the reference maps there now, if anything.
        reference: Option<u64>,
    },
}

impl Outcome {
    /// The outcome's name in scenarios: translated, fault-fixed, oops, stale.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Translated { .. } => "translated",
            Outcome::FaultFixed { .. } => "fault-fixed",
            Outcome::Oops { .. } => "oops",
            Outcome::Stale { .. } => "stale",
        }
    }
}

/// The result of an access: the walk (the final one, after a fix-up) and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Access {
    /// The process.
    pub pid: Pid,
    /// The address.
    pub va: u64,
    /// Each level read, top first.
    pub walk: Vec<WalkStep>,
    /// What happened.
    pub outcome: Outcome,
    /// For an oops, the page-table line the kernel prints (`dump_pagetable()` in
    /// arch/x86/mm/fault.c).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub oops_dump: Option<String>,
}

/// How a process's sync-level slot compares with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(rename_all = "lowercase"))]
pub enum Divergence {
    /// The same raw entry (or both empty).
    Same,
    /// The reference has it; the process lacks it.
    Missing,
    /// The process has it; the reference lacks it.
    Stale,
    /// Both have it, pointing to different places.
    Different,
    /// Per-process by design (the LDT remap with PTI): never synced.
    Private,
}

impl Divergence {
    /// Every class, in code order.
    pub const ALL: [Divergence; 5] = [
        Divergence::Same,
        Divergence::Missing,
        Divergence::Stale,
        Divergence::Different,
        Divergence::Private,
    ];
    /// The class's name.
    pub fn name(self) -> &'static str {
        match self {
            Divergence::Same => "same",
            Divergence::Missing => "missing",
            Divergence::Stale => "stale",
            Divergence::Different => "different",
            Divergence::Private => "private",
        }
    }
}

/// Counts of each divergence class over a process's kernel slots (at most 1536 each, so
/// they cross to JavaScript as plain numbers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct DivergenceCounts {
    /// Slots equal to the reference.
    pub same: u32,
    /// Slots the process lacks.
    pub missing: u32,
    /// Slots only the process has.
    pub stale: u32,
    /// Slots both have, differently.
    pub different: u32,
    /// Private slots.
    pub private: u32,
}

impl DivergenceCounts {
    /// Counts one slot of class `d`.
    pub(super) fn add(&mut self, d: Divergence) {
        match d {
            Divergence::Same => self.same += 1,
            Divergence::Missing => self.missing += 1,
            Divergence::Stale => self.stale += 1,
            Divergence::Different => self.different += 1,
            Divergence::Private => self.private += 1,
        }
    }

    /// Slots that have drifted: missing + stale + different.
    pub fn divergent(&self) -> u64 {
        (self.missing + self.stale + self.different) as u64
    }
    /// The count of the class named `name`, or of all drifted slots for "divergent".
    pub fn get(&self, name: &str) -> Option<u64> {
        Some(match name {
            "same" => self.same as u64,
            "missing" => self.missing as u64,
            "stale" => self.stale as u64,
            "different" => self.different as u64,
            "private" => self.private as u64,
            "divergent" => self.divergent(),
            _ => return None,
        })
    }
}

/// What an operation produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(tag = "kind", content = "value", rename_all = "lowercase"))]
pub enum Value {
    /// Nothing.
    None,
    /// An address (allocate, map, hotplug's first `struct page`).
    Address(u64),
    /// A new process.
    Pid(Pid),
    /// An access.
    Access(Access),
}

/// An operation's result: its value, its events and its metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct OpResult {
    /// What it produced.
    pub value: Value,
    /// What changed, in order.
    pub events: Vec<Event>,
    /// Its counters.
    pub metrics: Metrics,
}
