//! The machine: the reference table (`init_mm`), the processes, the vmalloc area, and the
//! operations that change them under a sync strategy.
//!
//! Every operation checks everything that can fail before it changes anything, so a
//! refused operation leaves the machine exactly as it was.

use crate::config::{Config, Strategy};
use crate::error::{err, Result};
use crate::event::{Event, Metrics, Why};
use crate::layout::Layout;
use crate::memory::{Action, Memory, Owner, Pid, Table};
use crate::mode::{bits, Level, Mode, PAGE_SHIFT, PAGE_SIZE};
use serde::Serialize;
use std::collections::BTreeMap;

/// A live allocation in the vmalloc area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// Its first address (page aligned).
    pub start: u64,
    /// Mapped bytes (a whole number of pages); one guard page follows.
    pub size: u64,
    /// What it maps.
    pub kind: AreaKind,
}

/// What an allocation maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
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

/// A process: its top-level table and the page-table pages it owns.
#[derive(Debug, Clone)]
struct Process {
    pgd: u64,
    /// PTI's user-space copies (the second PGD page, PAE's user PMDs): allocated and
    /// accounted as the kernel does, their contents not modelled.
    shadow: Vec<u64>,
    /// Data frames private to the process: its LDT, once mapped.
    data: Vec<u64>,
}

/// An explicit sync call of the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SyncKind {
    /// `vmalloc_sync_mappings()`: fill entries the processes lack.
    Mappings,
    /// `vmalloc_sync_unmappings()`: also clear entries the reference cleared (32-bit).
    Unmappings,
    /// `sync_global_pgds()` over the whole kernel half (64-bit).
    Global,
}

/// How one slot of one process is brought in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Copy where the process lacks the entry; `BUG_ON` where both have it and differ
    /// (`sync_global_pgds`, the 64-bit fault, `vmalloc_sync_one()` before 2019).
    FillMissing,
    /// Copy where presence differs, so clears propagate; `BUG_ON` where both have it and
    /// differ (`vmalloc_sync_one()` since "x86/mm: Sync also unmappings").
    PresentMismatch,
    /// Copy whenever the raw entries differ (the idealised eager push).
    Exact,
}

impl Rule {
    /// What the rule does with a process entry `p` given the reference's `k`: a pure
    /// function of the two values and the mask of the address bits.
    #[inline(always)]
    fn action(self, p: u64, k: u64, addr_mask: u64) -> Action {
        if p == k {
            return Action::Keep;
        }
        let copy = match self {
            Rule::Exact => true,
            Rule::FillMissing => !present(p) && present(k),
            Rule::PresentMismatch => present(p) != present(k),
        };
        if copy {
            Action::Copy
        } else if present(p) && present(k) && (p ^ k) & addr_mask != 0 {
            Action::Bug
        } else {
            Action::Keep
        }
    }
}

/// One step of a page walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oops_dump: Option<String>,
}

/// How a process's sync-level slot compares with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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
    fn add(&mut self, d: Divergence) {
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpResult {
    /// What it produced.
    pub value: Value,
    /// What changed, in order.
    pub events: Vec<Event>,
    /// Its counters.
    pub metrics: Metrics,
}

/// The simulated machine.
#[derive(Debug, Clone)]
pub struct Machine {
    cfg: Config,
    layout: Layout,
    mem: Memory,
    reference: u64,
    procs: BTreeMap<Pid, Process>,
    next_pid: Pid,
    areas: BTreeMap<u64, Area>,
    pending: Vec<(u64, u64)>,
    hotplugged: Vec<(u64, u64)>,
    total: Metrics,
    events: Vec<Event>,
    m: Metrics,
    boot_tables: u64,
    boot_data: u64,
    /// The LDT remap slot when PTI makes it per process.
    private_slot: Option<usize>,
}

/// The base of the kernel image on 64-bit (`__START_KERNEL`, CONFIG_PHYSICAL_START 16 MiB).
const KERNEL_IMAGE_VA: u64 = 0xffff_ffff_8100_0000;
/// The physical base of the kernel image in this model.
const KERNEL_IMAGE_PHYS: u64 = 16 << 20;
/// The size of the kernel image in this model.
const KERNEL_IMAGE_SIZE: u64 = 32 << 20;
/// A sync pass over at most this many (directory, slot) pairs reports each copy as an
/// event; a bigger one only its summary (which always counts them all). An eager push of
/// one slot to the page's 64 processes is still told entry by entry; one to 1,000 is a
/// summary, not 1,000 events to pass to JavaScript (the page shows 14 per step anyway).
const EVENT_LIMIT: usize = 64;
/// Bytes of `struct page` per 4 KiB page.
const STRUCT_PAGE_SIZE: u64 = 64;
/// Memory hot-add granularity on x86-64 (`MIN_MEMORY_BLOCK_SIZE`, one section: 128 MiB).
const MEMORY_BLOCK: u64 = 128 << 20;

fn present(e: u64) -> bool {
    e & bits::PRESENT != 0
}

/// The `struct page` array for `ram` bytes of RAM, in whole 2 MiB pages (the 64-bit
/// vmemmap is mapped with 2 MiB leaves).
fn vmemmap_bytes(ram: u64) -> u64 {
    align_up((ram >> PAGE_SHIFT) * STRUCT_PAGE_SIZE, 2 << 20).unwrap_or(0)
}

/// How a process's entry `p` for a shared kernel slot compares with the reference's `k`.
fn compare(p: u64, k: u64) -> Divergence {
    match (present(p), present(k)) {
        _ if p == k => Divergence::Same,
        (false, false) => Divergence::Same,
        (false, true) => Divergence::Missing,
        (true, false) => Divergence::Stale,
        (true, true) => Divergence::Different,
    }
}

fn align_up(x: u64, a: u64) -> Option<u64> {
    x.checked_add(a - 1).map(|v| v & !(a - 1))
}

impl Machine {
    /// Boots a machine: validates the configuration, builds the reference's kernel half
    /// (direct map, fixmap, cpu entry area, pkmap or vmemmap, kernel image) and, for the
    /// pre-allocation strategies, every vmalloc top-level slot.
    ///
    /// # Errors
    /// `InvalidConfig` for a configuration the kernel cannot have.
    pub fn new(cfg: Config) -> Result<Machine> {
        cfg.validate()?;
        let layout = Layout::new(&cfg);
        let mode = cfg.mode;
        // On 64-bit the boot vmemmap is backed by the top of RAM (2 MiB leaves).
        let vmemmap_bytes = if mode.is_32bit() {
            0
        } else {
            vmemmap_bytes(cfg.ram)
        };
        let alloc_top = cfg.ram - vmemmap_bytes;
        let mut mem = Memory::new(mode, alloc_top);
        let reference = mem.alloc_table(0, Owner::Kernel)?;
        let mut m = Machine {
            cfg,
            layout,
            mem,
            reference,
            procs: BTreeMap::new(),
            next_pid: 1,
            areas: BTreeMap::new(),
            pending: Vec::new(),
            hotplugged: Vec::new(),
            total: Metrics::default(),
            events: Vec::new(),
            m: Metrics::default(),
            boot_tables: 0,
            boot_data: 0,
            private_slot: None,
        };
        m.private_slot = m.cfg.pti.then(|| m.layout.ldt_slot());
        m.boot(alloc_top)?;
        m.events.clear();
        m.m = Metrics::default();
        m.boot_tables = m.mem.table_count() as u64;
        m.boot_data = m.mem.data_count();
        Ok(m)
    }

    fn boot(&mut self, alloc_top: u64) -> Result<()> {
        let mode = self.cfg.mode;
        let l = self.layout.clone();
        let lv = mode.levels();
        let pmd_span = lv[lv.len() - 2].span();
        let leaf_flags = bits::PAGE_KERNEL | self.nx();
        if mode == Mode::Pae {
            // swapper_pg_dir's kernel PDPT entries point to the kernel PMD pages.
            for i in self.layout.slot_of(l.page_offset) / 512..4 {
                let pmd = self.alloc_table(1, Owner::Kernel)?;
                self.mem
                    .set(self.reference, i, (pmd << PAGE_SHIFT) | bits::PRESENT);
            }
        }
        // The direct map: the first PMD-sized piece with 4 KiB pages (the first MiB and
        // the kernel's fine-grained permissions), the rest with the largest leaves.
        let lowmem = l.high_memory - l.page_offset;
        let first = pmd_span.min(lowmem);
        self.map_contig(l.page_offset, 0, first, leaf_flags, false, Why::Boot)?;
        if lowmem > first {
            self.map_contig(
                l.page_offset + first,
                first,
                lowmem - first,
                leaf_flags,
                true,
                Why::Boot,
            )?;
        }
        if mode.is_32bit() {
            // pkmap_page_table, and the page tables of the cpu entry area and fixmap
            // (page_table_range_init, setup_cpu_entry_areas).
            let pk = l.pkmap_base.unwrap_or(0);
            self.ensure_tables(pk, pk + 1, lv.len() - 1)?;
            self.ensure_tables(l.cpu_entry_area_base, 1 << 32, lv.len() - 1)?;
        } else {
            let vm = l.vmemmap_base.unwrap_or(0);
            let bytes = vmemmap_bytes(self.cfg.ram);
            self.map_contig(vm, alloc_top, bytes, leaf_flags, true, Why::Boot)?;
            self.map_contig(
                KERNEL_IMAGE_VA,
                KERNEL_IMAGE_PHYS,
                KERNEL_IMAGE_SIZE,
                bits::PAGE_KERNEL,
                true,
                Why::Boot,
            )?;
            self.ensure_tables(
                l.cpu_entry_area_base,
                l.cpu_entry_area_base + 1,
                lv.len() - 1,
            )?;
            let espfix = crate::layout::ESPFIX_BASE;
            self.ensure_tables(espfix, espfix + 1, lv.len() - 1)?;
            self.ensure_tables(l.fixaddr_start, l.fixaddr_top, lv.len() - 1)?;
        }
        if self.cfg.strategy.preallocates() {
            // preallocate_vmalloc_pages(): the table below every top-level vmalloc slot.
            let (s, e) = l.vmalloc_range();
            self.ensure_tables(s, e, 1)?;
        }
        Ok(())
    }

    // ----- accessors -----

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The live processes, in `pgd_list` order.
    pub fn pids(&self) -> Vec<Pid> {
        self.procs.keys().copied().collect()
    }

    /// Cumulative metrics since boot.
    pub fn metrics(&self) -> Metrics {
        self.total
    }

    /// The physical memory (tables and frames).
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// The frame of the reference's top-level table (`swapper_pg_dir`).
    pub fn reference_root(&self) -> u64 {
        self.reference
    }

    /// The frame of a process's top-level table.
    pub fn process_root(&self, pid: Pid) -> Option<u64> {
        self.procs.get(&pid).map(|p| p.pgd)
    }

    /// Page-table bytes owned by the kernel (the reference and the shared lower tables).
    pub fn kernel_table_bytes(&self) -> u64 {
        self.mem.count_by_owner(Owner::Kernel) * PAGE_SIZE
    }

    /// Page-table bytes private to a process. A PAE PGD with shared kernel PMDs is a
    /// 32-byte slab object (`pgd_cache`), not a page.
    pub fn process_table_bytes(&self, pid: Pid) -> u64 {
        if !self.procs.contains_key(&pid) {
            return 0;
        }
        let pages = self.mem.count_by_owner(Owner::Process(pid)) * PAGE_SIZE;
        if self.cfg.mode == Mode::Pae && !self.cfg.private_kernel_pmds() {
            pages - PAGE_SIZE + 32
        } else {
            pages
        }
    }

    /// All page-table bytes: the kernel's and every process's.
    pub fn total_table_bytes(&self) -> u64 {
        self.kernel_table_bytes()
            + self
                .procs
                .keys()
                .map(|p| self.process_table_bytes(*p))
                .sum::<u64>()
    }

    /// Page-table pages and data frames allocated at boot.
    pub fn boot_counts(&self) -> (u64, u64) {
        (self.boot_tables, self.boot_data)
    }

    // ----- small helpers -----

    fn nx(&self) -> u64 {
        if self.cfg.mode.has_nx() {
            bits::NX
        } else {
            0
        }
    }

    fn pfn_of(&self, e: u64) -> u64 {
        (e & self.cfg.mode.addr_mask()) >> PAGE_SHIFT
    }

    fn is_leaf(&self, depth: usize, e: u64) -> bool {
        self.cfg.mode.is_leaf(depth, e)
    }

    fn table_entry(&self, depth: usize, pfn: u64) -> u64 {
        if self.cfg.mode == Mode::Pae && depth == 0 {
            (pfn << PAGE_SHIFT) | bits::PRESENT
        } else {
            (pfn << PAGE_SHIFT) | bits::KERNPG_TABLE
        }
    }

    fn alloc_table(&mut self, depth: usize, owner: Owner) -> Result<u64> {
        let pfn = self.mem.alloc_table(depth, owner)?;
        self.m.tables_allocated += 1;
        let level = self.cfg.mode.levels()[depth].level;
        self.events
            .push(Event::TableAllocated { owner, level, pfn });
        Ok(pfn)
    }

    fn free_table(&mut self, pfn: u64) {
        if let Some(t) = self.mem.table(pfn) {
            let (owner, level) = (t.owner, self.cfg.mode.levels()[t.depth as usize].level);
            self.mem.free_table(pfn);
            self.m.tables_freed += 1;
            self.events.push(Event::TableFreed { owner, level, pfn });
        }
    }

    /// Sets an entry of a directory level and records the event.
    fn set_entry(&mut self, pfn: u64, depth: usize, index: usize, va: u64, new: u64, why: Why) {
        let old = self.mem.set(pfn, index, new);
        let owner = self.mem.table(pfn).map_or(Owner::Kernel, |t| t.owner);
        let level = self.cfg.mode.levels()[depth].level;
        self.events.push(Event::EntrySet {
            owner,
            level,
            va: va & !(self.cfg.mode.levels()[depth].span() - 1),
            old,
            new,
            why,
        });
    }

    /// The table at `depth` covering `va` under `root`, allocating missing tables for
    /// `owner`. Returns the table and the bit mask of depths whose entries were filled.
    fn walk_alloc(
        &mut self,
        root: u64,
        va: u64,
        depth: usize,
        owner: Owner,
        why: Why,
    ) -> Result<(u64, u32)> {
        let lv = self.cfg.mode.levels();
        let mut table = root;
        let mut mask = 0;
        for (d, g) in lv.iter().enumerate().take(depth) {
            let idx = g.index(va);
            let e = self.mem.get(table, idx);
            if present(e) {
                if self.is_leaf(d, e) {
                    return Err(err!(
                        BadAddress,
                        "{va:#x} is covered by a huge {} leaf",
                        g.level.name()
                    ));
                }
                table = self.pfn_of(e);
            } else {
                let new = self.alloc_table(d + 1, owner)?;
                let entry = self.table_entry(d, new);
                self.set_entry(table, d, idx, va, entry, why);
                mask |= 1 << d;
                table = new;
            }
        }
        Ok((table, mask))
    }

    /// Makes sure the tables down to `depth` exist for every address in `[start, end)`.
    fn ensure_tables(&mut self, start: u64, end: u64, depth: usize) -> Result<u32> {
        let span = self.cfg.mode.levels()[depth - 1].span();
        let mut va = start & !(span - 1);
        let mut mask = 0;
        while va < end {
            mask |= self
                .walk_alloc(self.reference, va, depth, Owner::Kernel, Why::Boot)?
                .1;
            match va.checked_add(span) {
                Some(n) => va = n,
                None => break,
            }
        }
        Ok(mask)
    }

    /// Frees a kernel table and every table below it (`pud_free_pmd_page`).
    fn free_subtree(&mut self, pfn: u64) {
        let Some(t) = self.mem.table(pfn) else { return };
        let depth = t.depth as usize;
        let n = t.len();
        if depth + 1 < self.cfg.mode.levels().len() {
            for i in 0..n {
                let e = self.mem.get(pfn, i);
                if present(e) && !self.is_leaf(depth, e) {
                    self.free_subtree(self.pfn_of(e));
                }
            }
        }
        self.free_table(pfn);
    }

    /// Whether a huge leaf may be set at depth `d` for `va`: on PAE `pmd_free_pte_page()`
    /// returns `pmd_none()`, so a PMD that holds a PTE table stays a table ("this assures
    /// that ioremap() does not update sync'd pmd entries", arch/x86/mm/pgtable.c); on
    /// 64-bit the empty lower table is freed.
    fn may_go_huge(&self, va: u64, d: usize) -> bool {
        if self.cfg.mode != Mode::Pae {
            return true;
        }
        let lv = self.cfg.mode.levels();
        let pdpt = self.mem.get(self.reference, lv[0].index(va));
        !present(pdpt) || !present(self.mem.get(self.pfn_of(pdpt), lv[d].index(va)))
    }

    /// Maps `[va, va+size)` in the reference to physical `[phys, phys+size)`.
    fn map_contig(
        &mut self,
        va: u64,
        phys: u64,
        size: u64,
        flags: u64,
        huge: bool,
        why: Why,
    ) -> Result<u32> {
        self.map_with(va, size, huge, flags, why, |off| phys + off)
    }

    /// Maps `[va, va+size)` in the reference; `phys_at(offset)` gives the physical address
    /// of each offset. Huge leaves are used where `huge` and alignment allow.
    fn map_with(
        &mut self,
        va: u64,
        size: u64,
        huge: bool,
        flags: u64,
        why: Why,
        phys_at: impl Fn(u64) -> u64,
    ) -> Result<u32> {
        let mode = self.cfg.mode;
        let lv = mode.levels();
        let last = lv.len() - 1;
        let mut mask = 0u32;
        let mut off = 0;
        let mut run: Option<(u64, u64)> = None;
        let mut cached: Option<(u64, u64)> = None;
        while off < size {
            let cur = va + off;
            let phys = phys_at(off);
            let mut leaf = last;
            if huge {
                for &d in mode.huge_levels() {
                    let span = lv[d].span();
                    if cur.is_multiple_of(span)
                        && phys.is_multiple_of(span)
                        && size - off >= span
                        && self.may_go_huge(cur, d)
                    {
                        leaf = d;
                        break;
                    }
                }
            }
            // Consecutive 4 KiB pages in one PTE table reuse the walk.
            let pte_base = cur & !(lv[last - 1].span() - 1);
            let table = match cached {
                Some((base, t)) if leaf == last && base == pte_base => t,
                _ => {
                    let (t, m) = self.walk_alloc(self.reference, cur, leaf, Owner::Kernel, why)?;
                    mask |= m;
                    cached = (leaf == last).then_some((pte_base, t));
                    t
                }
            };
            let idx = lv[leaf].index(cur);
            let old = self.mem.get(table, idx);
            if leaf < last && present(old) && !self.is_leaf(leaf, old) {
                // pmd_free_pte_page() / pud_free_pmd_page(): the empty lower table goes.
                self.set_entry(table, leaf, idx, cur, 0, Why::FreeLowerTable);
                self.free_subtree(self.pfn_of(old));
            }
            let pse = if leaf < last { bits::PSE } else { 0 };
            let entry = (phys & mode.addr_mask()) | flags | pse;
            if leaf == last {
                self.mem.set(table, idx, entry);
                run = match run {
                    Some((s, n)) if s + n * PAGE_SIZE == cur => Some((s, n + 1)),
                    Some((s, n)) => {
                        self.events.push(Event::Ptes {
                            owner: Owner::Kernel,
                            va: s,
                            pages: n,
                            set: true,
                            why,
                        });
                        Some((cur, 1))
                    }
                    None => Some((cur, 1)),
                };
            } else {
                self.set_entry(table, leaf, idx, cur, entry, why);
            }
            mask |= 1 << leaf;
            off += lv[leaf].span();
        }
        if let Some((s, n)) = run {
            self.events.push(Event::Ptes {
                owner: Owner::Kernel,
                va: s,
                pages: n,
                set: true,
                why,
            });
        }
        Ok(mask)
    }

    /// Clears `[va, va+size)` in the reference (vunmap_range_noflush). Tables stay.
    fn unmap_range(&mut self, va: u64, size: u64, why: Why) -> u32 {
        let lv = self.cfg.mode.levels();
        let end = va + size;
        let mut cur = va;
        let mut mask = 0u32;
        let mut cleared = 0u64;
        while cur < end {
            let mut table = self.reference;
            let mut d = 0;
            loop {
                let idx = lv[d].index(cur);
                let e = self.mem.get(table, idx);
                let span = lv[d].span();
                if !present(e) {
                    cur = (cur & !(span - 1)) + span;
                    break;
                }
                if self.is_leaf(d, e) {
                    if d == lv.len() - 1 {
                        // Clear the rest of the range in this PTE table in one go.
                        let t = self.mem.table_mut(table).expect("walked to it");
                        let n = ((end - cur) / span).min((t.len() - idx) as u64) as usize;
                        for i in idx..idx + n {
                            if t.set(i, 0) != 0 {
                                cleared += 1;
                            }
                        }
                        mask |= 1 << d;
                        cur += n as u64 * span;
                        break;
                    } else {
                        self.set_entry(table, d, idx, cur, 0, why);
                    }
                    mask |= 1 << d;
                    cur = (cur & !(span - 1)) + span;
                    break;
                }
                table = self.pfn_of(e);
                d += 1;
            }
        }
        if cleared > 0 {
            self.events.push(Event::Ptes {
                owner: Owner::Kernel,
                va,
                pages: cleared,
                set: false,
                why,
            });
        }
        mask
    }

    /// An upper bound on the tables a mapping of `[va, va+size)` may allocate.
    fn table_bound(&self, va: u64, size: u64) -> u64 {
        let lv = self.cfg.mode.levels();
        (0..lv.len() - 1)
            .map(|d| {
                let span = lv[d].span();
                ((va + size - 1) / span - va / span) + 1
            })
            .sum()
    }

    // ----- the sync level -----

    /// The table and index that hold `root`'s entry for global sync slot `slot`, if the
    /// levels above the sync level are present.
    fn sync_loc(&self, root: u64, slot: usize) -> Option<(u64, usize)> {
        let mode = self.cfg.mode;
        let lv = mode.levels();
        let va = self.layout.slot_address(slot);
        let mut table = root;
        for geom in lv.iter().take(mode.sync_depth()) {
            let e = self.mem.get(table, geom.index(va));
            if !present(e) {
                return None;
            }
            table = self.pfn_of(e);
        }
        Some((table, lv[mode.sync_depth()].index(va)))
    }

    fn sync_entry(&self, root: u64, slot: usize) -> u64 {
        self.sync_loc(root, slot)
            .map_or(0, |(t, i)| self.mem.get(t, i))
    }

    /// The reference's raw entry at global sync slot `slot`.
    pub fn reference_entry(&self, slot: usize) -> u64 {
        self.sync_entry(self.reference, slot)
    }

    /// A process's raw entry at global sync slot `slot`.
    pub fn process_entry(&self, pid: Pid, slot: usize) -> Option<u64> {
        self.procs.get(&pid).map(|p| self.sync_entry(p.pgd, slot))
    }

    fn is_private(&self, slot: usize) -> bool {
        Some(slot) == self.private_slot
    }

    /// The divergence class of a process's entry `p` for global slot `slot`, given the
    /// reference's `k`.
    pub fn classify(&self, slot: usize, p: u64, k: u64) -> Divergence {
        if self.is_private(slot) {
            Divergence::Private
        } else {
            compare(p, k)
        }
    }

    /// The divergence class of every kernel slot of a process, in slot order from
    /// [`Layout::first_kernel_slot`].
    pub fn divergence(&self, pid: Pid) -> Option<Vec<Divergence>> {
        let p = self.sync_row(self.procs.get(&pid)?.pgd);
        let k = self.sync_row(self.reference);
        let first = self.layout.first_kernel_slot();
        Some(
            p.iter()
                .zip(&k)
                .enumerate()
                .map(|(i, (p, k))| self.classify(first + i, *p, *k))
                .collect(),
        )
    }

    /// One byte per kernel slot for drawing: bits 0-1 the entry kind (0 empty, 1 table,
    /// 2 huge leaf), bits 2-4 the [`Divergence`] code (always 0 for the reference).
    /// `None` draws the reference. Returns `None` for an unknown process.
    pub fn cells(&self, pid: Option<Pid>) -> Option<Vec<u8>> {
        let depth = self.cfg.mode.sync_depth();
        let kind = |e: u64| -> u8 {
            if !present(e) {
                0
            } else if self.is_leaf(depth, e) {
                2
            } else {
                1
            }
        };
        let k = self.sync_row(self.reference);
        let Some(pid) = pid else {
            return Some(k.iter().map(|e| kind(*e)).collect());
        };
        let p = self.sync_row(self.procs.get(&pid)?.pgd);
        let first = self.layout.first_kernel_slot();
        Some(
            p.iter()
                .zip(&k)
                .enumerate()
                .map(|(i, (p, k))| {
                    let d = self.classify(first + i, *p, *k);
                    let code = Divergence::ALL.iter().position(|x| *x == d).unwrap_or(0);
                    kind(*p) | (code as u8) << 2
                })
                .collect(),
        )
    }

    /// How many kernel slots of a process are in each class.
    pub fn divergence_counts(&self, pid: Pid) -> Option<DivergenceCounts> {
        let k = self.sync_row(self.reference);
        self.counts_against(&k, self.procs.get(&pid)?.pgd)
    }

    /// [`Machine::divergence_counts`] of every live process, reading the reference once.
    pub fn all_divergence_counts(&self) -> Vec<(Pid, DivergenceCounts)> {
        let k = self.sync_row(self.reference);
        self.procs
            .iter()
            .filter_map(|(pid, p)| Some((*pid, self.counts_against(&k, p.pgd)?)))
            .collect()
    }

    fn counts_against(&self, reference_row: &[u64], root: u64) -> Option<DivergenceCounts> {
        let first = self.layout.first_kernel_slot();
        let private = self.private_slot.unwrap_or(usize::MAX);
        let reference_tables = self.sync_tables(self.reference);
        let mut c = DivergenceCounts::default();
        for (base, pfn) in self.sync_tables(root) {
            let t = self.mem.table(pfn)?;
            let lo = first.saturating_sub(base).min(t.len());
            // Runs that equal the reference's own table (most of them) are counted by a
            // block compare; the private slot splits the range.
            let reference = reference_tables
                .into_iter()
                .find(|(b, _)| *b == base)
                .and_then(|(_, r)| self.mem.table(r));
            let n = t.len();
            let runs = match private.checked_sub(base).filter(|p| (lo..n).contains(p)) {
                Some(p) => [lo..p, p..p + 1, p + 1..n],
                None => [lo..n, n..n, n..n],
            };
            for (r, run) in runs.into_iter().enumerate() {
                if run.is_empty() {
                    continue;
                }
                if r == 1 {
                    c.add(Divergence::Private);
                } else if reference.is_some_and(|rt| t.same_range(rt, run.clone())) {
                    c.same += run.len() as u32;
                } else {
                    t.scan(run, |i, p| {
                        c.add(compare(p, reference_row[base + i - first]))
                    });
                }
            }
        }
        Some(c)
    }

    /// The sync-level tables under `root` that hold the kernel slots, with the global
    /// slot of their entry 0: the top level itself, or on PAE the kernel PMD pages.
    fn sync_tables(&self, root: u64) -> SyncTables {
        let mode = self.cfg.mode;
        let mut t = SyncTables::default();
        if mode.sync_depth() == 0 {
            t.push(0, root);
            return t;
        }
        let per = mode.sync_geom().entries();
        let first = self.layout.first_kernel_slot() / per;
        for i in first..mode.levels()[0].entries() {
            let e = self.mem.get(root, i);
            if present(e) {
                t.push(i * per, self.pfn_of(e));
            }
        }
        t
    }

    /// The raw sync-level entries of every kernel slot under `root`.
    fn sync_row(&self, root: u64) -> Vec<u64> {
        let first = self.layout.first_kernel_slot();
        let mut row = vec![0u64; self.layout.total_slots() - first];
        for (base, pfn) in self.sync_tables(root) {
            if let Some(t) = self.mem.table(pfn) {
                let lo = first.saturating_sub(base).min(t.len());
                t.scan(lo..t.len(), |i, e| row[base + i - first] = e);
            }
        }
        row
    }

    /// One sync pass over `slots` of every process on `pgd_list`.
    fn sync_pass(&mut self, function: &'static str, slots: std::ops::Range<usize>, rule: Rule) {
        let roots: Vec<(Pid, u64)> = self.procs.iter().map(|(p, v)| (*p, v.pgd)).collect();
        let copied = self.sync_dirs(&roots, slots.clone(), rule, Why::Sync);
        let n = slots.len() as u64;
        self.m.directories_visited += n * roots.len() as u64;
        self.m.sync_passes += 1;
        self.events.push(Event::SyncPass {
            function,
            slots: n,
            directories: roots.len() as u64,
            copied,
        });
    }

    /// Brings `slots` of each page directory in `roots` in step with the reference under
    /// `rule`; each directory's sync-level tables are looked up once and compared in
    /// place. Returns the entries copied; `BUG_ON`s are recorded as events.
    fn sync_dirs(
        &mut self,
        roots: &[(Pid, u64)],
        slots: std::ops::Range<usize>,
        rule: Rule,
        why: Why,
    ) -> u64 {
        // The reference's entries, read table by table rather than walked slot by slot.
        // Every caller passes kernel slots: the vmalloc area's, a kernel address's, or
        // the whole kernel half.
        let first = self.layout.first_kernel_slot();
        debug_assert!(slots.start >= first, "sync of user slots {slots:?}");
        let row = self.sync_row(self.reference);
        let refs = &row[slots.start - first..slots.end - first];
        let private = self.private_slot;
        let addr_mask = self.cfg.mode.addr_mask();
        let mut copied = 0u64;
        let mut bugs = Vec::new();
        let mut changes = Vec::new();
        // Small passes report every copy as an event; big ones only their summary.
        let record = roots.len() * slots.len() <= EVENT_LIMIT;
        for &(pid, root) in roots {
            for (base, pfn) in self.sync_tables(root) {
                let Some(t) = self.mem.table_mut(pfn) else {
                    continue;
                };
                let lo = slots.start.max(base);
                let hi = slots.end.min(base + t.len());
                if lo >= hi {
                    continue;
                }
                // The private slot (the LDT's) is never synced: walk the runs around it.
                let runs = match private.filter(|p| (lo..hi).contains(p)) {
                    Some(p) => [lo..p, p + 1..hi],
                    None => [lo..hi, hi..hi],
                };
                for run in runs.into_iter().filter(|r| !r.is_empty()) {
                    let refs = &refs[run.start - slots.start..run.end - slots.start];
                    let mut out = RunOut {
                        pid,
                        base,
                        record,
                        changes: &mut changes,
                        bugs: &mut bugs,
                    };
                    // One loop per rule, each with its rule folded in.
                    copied += match rule {
                        Rule::FillMissing => out.run(t, run.start, refs, |p, k| {
                            Rule::FillMissing.action(p, k, addr_mask)
                        }),
                        Rule::PresentMismatch => out.run(t, run.start, refs, |p, k| {
                            Rule::PresentMismatch.action(p, k, addr_mask)
                        }),
                        Rule::Exact => out.run(t, run.start, refs, |p, k| {
                            Rule::Exact.action(p, k, addr_mask)
                        }),
                    };
                }
            }
        }
        for (pid, slot, p, k) in bugs {
            self.m.bugs += 1;
            self.events.push(Event::Bug {
                pid,
                va: self.layout.slot_address(slot),
                process_entry: p,
                reference_entry: k,
            });
        }
        let level = self.cfg.mode.sync_geom().level;
        for (pid, slot, old, new) in changes {
            self.events.push(Event::EntrySet {
                owner: Owner::Process(pid),
                level,
                va: self.layout.slot_address(slot),
                old,
                new,
                why,
            });
        }
        self.m.entries_copied += copied;
        copied
    }

    /// The kernel's name of the `pgtbl_mod_mask` bit for this mode's sync level
    /// (include/linux/pgtable.h; the level is named by the software page-table level).
    pub fn sync_mask_bit(&self) -> &'static str {
        match self.cfg.mode {
            Mode::X86_32 | Mode::Pae => "PGTBL_PMD_MODIFIED",
            Mode::X86_64 => "PGTBL_P4D_MODIFIED",
            Mode::La57 => "PGTBL_PGD_MODIFIED",
        }
    }

    /// `arch_sync_kernel_mappings(start, end)`.
    fn arch_sync(&mut self, start: u64, end: u64) {
        if self.cfg.mode.is_32bit() {
            // The 32-bit loop runs from start's PMD to VMALLOC_END, not to end.
            let from = self.layout.slot_of(start);
            let to = self.layout.vmalloc_slots().end;
            self.sync_pass("arch_sync_kernel_mappings", from..to, Rule::PresentMismatch);
        } else {
            let slots = self.layout.slots_touching(start, end);
            self.sync_pass("sync_global_pgds", slots, Rule::FillMissing);
        }
    }

    /// What the strategy does after the reference's kernel half changed in `[start, end)`
    /// with `mask` (bit d set: an entry at depth d was filled or cleared).
    fn after_change(&mut self, start: u64, end: u64, mask: u32, defer: bool, vmalloc: bool) {
        let depth = self.cfg.mode.sync_depth();
        if mask & (1 << depth) == 0 {
            return;
        }
        let s = self.cfg.strategy;
        let action = match s {
            Strategy::None => "nothing: no strategy",
            Strategy::Lazy => "nothing now: a process that lacks it will fault",
            Strategy::SharedPmd => "nothing: every process shares the kernel PMDs",
            Strategy::Eager => "push to every page directory",
            Strategy::Tracked | Strategy::TrackedFault if defer => {
                "arch_sync_kernel_mappings() pending: the allocating thread was preempted"
            }
            Strategy::Tracked | Strategy::TrackedFault => "arch_sync_kernel_mappings()",
            Strategy::Prealloc if vmalloc => "nothing: the vmalloc slots never change",
            Strategy::Prealloc => "nothing: only the direct map calls sync_global_pgds()",
            Strategy::PreallocTracked => "p4d/pgd_populate_kernel() syncs",
        };
        self.events.push(Event::SyncLevelChanged {
            start,
            end,
            mask_bit: self.sync_mask_bit(),
            action,
        });
        let slots = self.layout.slots_touching(start, end);
        match s {
            Strategy::Eager => self.sync_pass("vmalloc_sync_all", slots, Rule::Exact),
            Strategy::Tracked | Strategy::TrackedFault if defer => self.pending.push((start, end)),
            Strategy::Tracked | Strategy::TrackedFault => self.arch_sync(start, end),
            Strategy::PreallocTracked => {
                self.sync_pass("arch_sync_kernel_mappings", slots, Rule::FillMissing)
            }
            _ => {}
        }
    }

    // ----- operations -----

    fn finish(&mut self, value: Value) -> OpResult {
        let metrics = std::mem::take(&mut self.m);
        self.total.add(&metrics);
        OpResult {
            value,
            events: std::mem::take(&mut self.events),
            metrics,
        }
    }

    fn find_gap(&self, size: u64, align: u64) -> Result<u64> {
        let (vs, ve) = self.layout.vmalloc_range();
        let need = size + PAGE_SIZE;
        let fail = || {
            err!(
                OutOfVmallocSpace,
                "no free gap of {need:#x} bytes (with its guard page, aligned to {align:#x}) is left in the vmalloc area [{vs:#x}, {ve:#x}); free something or ask for less"
            )
        };
        let mut cand = align_up(vs, align).ok_or_else(fail)?;
        for a in self.areas.values() {
            if cand.checked_add(need).is_some_and(|e| e <= a.start) {
                break;
            }
            cand = cand.max(align_up(a.start + a.size + PAGE_SIZE, align).ok_or_else(fail)?);
        }
        match cand.checked_add(need) {
            Some(e) if e <= ve => Ok(cand),
            _ => Err(fail()),
        }
    }

    fn check_size(&self, size: u64) -> Result<u64> {
        let (vs, ve) = self.layout.vmalloc_range();
        if size == 0 {
            return Err(err!(BadSize, "size 0: ask for at least one byte"));
        }
        match align_up(size, PAGE_SIZE) {
            Some(s) if s < ve - vs => Ok(s),
            _ => Err(err!(
                BadSize,
                "size {size:#x} is larger than the vmalloc area ({:#x} bytes)",
                ve - vs
            )),
        }
    }

    fn check_frames(&self, frames: u64) -> Result<()> {
        if frames > self.mem.free_frames() {
            return Err(err!(
                OutOfMemory,
                "needs up to {frames} free frames and {} are left; free something or configure more RAM",
                self.mem.free_frames()
            ));
        }
        Ok(())
    }

    /// `vmalloc(size)`: first fit in the vmalloc area (with a guard page), 4 KiB pages.
    /// With `preempt`, a tracked strategy's sync is held until [`Machine::resume`].
    ///
    /// # Errors
    /// `BadSize` (zero or too large), `OutOfVmallocSpace`, `OutOfMemory`.
    pub fn allocate(&mut self, size: u64, preempt: bool) -> Result<OpResult> {
        let size = self.check_size(size)?;
        let start = self.find_gap(size, PAGE_SIZE)?;
        let pages = size / PAGE_SIZE;
        self.check_frames(pages + self.table_bound(start, size))?;
        let mut frames = Vec::with_capacity(pages as usize);
        for _ in 0..pages {
            frames.push(self.mem.alloc_data()?);
        }
        let flags = bits::PAGE_KERNEL | self.nx();
        let f = frames.clone();
        let mask = self.map_with(start, size, false, flags, Why::Vmalloc, |off| {
            f[(off / PAGE_SIZE) as usize] << PAGE_SHIFT
        })?;
        self.areas.insert(
            start,
            Area {
                start,
                size,
                kind: AreaKind::Vmalloc { frames },
            },
        );
        self.after_change(start, start + size, mask, preempt, true);
        Ok(self.finish(Value::Address(start)))
    }

    /// `ioremap(phys, size)`: maps a physical (MMIO) range, with huge leaves where the
    /// configuration, the alignment of both addresses and the size allow. Returns the
    /// virtual address of `phys`.
    ///
    /// # Errors
    /// `BadSize`, `BadAddress` (beyond the physical address width, or RAM),
    /// `OutOfVmallocSpace`, `OutOfMemory`.
    pub fn map(&mut self, phys: u64, size: u64) -> Result<OpResult> {
        let mode = self.cfg.mode;
        if size == 0 {
            return Err(err!(BadSize, "size 0: map at least one byte"));
        }
        let last = phys
            .checked_add(size - 1)
            .filter(|l| *l < (1u64 << mode.phys_bits()))
            .ok_or_else(|| {
                err!(
                    BadAddress,
                    "physical range {phys:#x}+{size:#x} is beyond the {}-bit physical address space of {}",
                    mode.phys_bits(),
                    mode.name()
                )
            })?;
        if self.is_ram(phys, last) {
            return Err(err!(
                BadAddress,
                "ioremap on RAM at {phys:#x}-{last:#x} is refused (the kernel maps RAM through the direct map); RAM ends at {:#x}",
                self.cfg.ram
            ));
        }
        let base = phys & !(PAGE_SIZE - 1);
        let mapped = self.check_size(last - base + 1)?;
        // __get_vm_area_node: align = 1 << clamp(order(size), PAGE_SHIFT, IOREMAP_MAX_ORDER),
        // IOREMAP_MAX_ORDER = PUD_SHIFT on 64-bit, PMD_SHIFT on 32-bit (asm/page_types.h).
        let max_order = if mode.is_32bit() {
            mode.sync_geom()
                .shift
                .min(mode.levels()[mode.levels().len() - 2].shift)
        } else {
            30
        };
        let order = (64 - (mapped - 1).leading_zeros()).clamp(PAGE_SHIFT, max_order);
        let start = self.find_gap(mapped, 1 << order)?;
        self.check_frames(self.table_bound(start, mapped))?;
        let flags = bits::PAGE_KERNEL_IO | self.nx();
        let huge = self.cfg.huge_ioremap;
        let mask = self.map_contig(start, base, mapped, flags, huge, Why::Ioremap)?;
        self.areas.insert(
            start,
            Area {
                start,
                size: mapped,
                kind: AreaKind::Ioremap { phys: base },
            },
        );
        self.after_change(start, start + mapped, mask, false, true);
        Ok(self.finish(Value::Address(start + (phys - base))))
    }

    fn is_ram(&self, first: u64, last: u64) -> bool {
        first < self.cfg.ram
            || self
                .hotplugged
                .iter()
                .any(|&(s, n)| first < s + n && last >= s)
    }

    /// `vfree()` / `iounmap()` of the allocation whose first page contains `addr`.
    /// Page tables stay allocated (the kernel never frees vmalloc page tables).
    ///
    /// # Errors
    /// `UnknownAllocation` when no live allocation starts there.
    pub fn unmap(&mut self, addr: u64) -> Result<OpResult> {
        let start = addr & !(PAGE_SIZE - 1);
        let Some(area) = self.areas.get(&start).cloned() else {
            return Err(err!(
                UnknownAllocation,
                "no live allocation starts at {addr:#x}; unmap takes the address allocate or map returned ({} live)",
                self.areas.len()
            ));
        };
        let why = match area.kind {
            AreaKind::Vmalloc { .. } => Why::Vfree,
            AreaKind::Ioremap { .. } => Why::Iounmap,
        };
        let mask = self.unmap_range(area.start, area.size, why);
        if let AreaKind::Vmalloc { frames } = &area.kind {
            for &f in frames {
                self.mem.free_data(f);
            }
        }
        self.areas.remove(&start);
        self.after_change(area.start, area.start + area.size, mask, false, true);
        Ok(self.finish(Value::None))
    }

    /// `fork()`: a new process whose top level is built as `pgd_alloc()` builds it.
    ///
    /// # Errors
    /// `OutOfMemory`.
    pub fn fork(&mut self) -> Result<OpResult> {
        let mode = self.cfg.mode;
        let pid = self.next_pid;
        let first = self.layout.first_kernel_slot();
        let private_pmds = self.cfg.private_kernel_pmds();
        let kernel_pgd_ptrs = if mode == Mode::Pae {
            4 - first / 512
        } else {
            0
        };
        let pti_frames = if self.cfg.pti { 1 + kernel_pgd_ptrs } else { 0 };
        let need = if mode == Mode::Pae { 5 } else { 1 } + pti_frames as u64;
        self.check_frames(need)?;
        let owner = Owner::Process(pid);
        let pgd = self.alloc_table(0, owner)?;
        // With PTI: PGD_ALLOCATION_ORDER 1 (a second page for the user copy) and, on PAE,
        // PREALLOCATED_USER_PMDS = KERNEL_PGD_PTRS user PMD pages (arch/x86/mm/pgtable.c).
        let mut shadow = Vec::new();
        if self.cfg.pti {
            shadow.push(self.alloc_table(0, owner)?);
            for _ in 0..kernel_pgd_ptrs {
                shadow.push(self.alloc_table(1, owner)?);
            }
        }
        self.next_pid += 1;
        if mode == Mode::Pae {
            // pgd_prepopulate_pmd(): PMD pages for the user PDPT entries, and with
            // unshared kernel PMDs a private copy of every kernel PMD page.
            let kernel_pdpt = first / 512;
            for i in 0..4 {
                if i >= kernel_pdpt && !private_pmds {
                    let e = self.mem.get(self.reference, i);
                    self.mem.set(pgd, i, e);
                    self.m.entries_cloned += 1;
                    continue;
                }
                let pmd = self.alloc_table(1, owner)?;
                if i >= kernel_pdpt {
                    let src = self.pfn_of(self.mem.get(self.reference, i));
                    self.mem.copy_table(src, pmd);
                    self.m.entries_cloned += 512;
                }
                self.mem.set(pgd, i, (pmd << PAGE_SHIFT) | bits::PRESENT);
            }
        } else {
            // pgd_ctor(): clone_pgd_range(KERNEL_PGD_BOUNDARY, KERNEL_PGD_PTRS).
            for i in first..mode.levels()[0].entries() {
                let e = self.mem.get(self.reference, i);
                if e != 0 {
                    self.mem.set(pgd, i, e);
                }
            }
            self.m.entries_cloned += (mode.levels()[0].entries() - first) as u64;
        }
        self.procs.insert(
            pid,
            Process {
                pgd,
                shadow,
                data: Vec::new(),
            },
        );
        self.events.push(Event::Forked { pid });
        Ok(self.finish(Value::Pid(pid)))
    }

    fn check_pid(&self, pid: Pid) -> Result<()> {
        if self.procs.contains_key(&pid) {
            return Ok(());
        }
        Err(err!(
            UnknownProcess,
            "no live process {pid}; live: {}",
            if self.procs.is_empty() {
                "none (fork one first)".to_string()
            } else {
                self.pids()
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ))
    }

    /// `exit()`: the process's page directory and everything private to it are freed.
    ///
    /// # Errors
    /// `UnknownProcess`.
    pub fn exit(&mut self, pid: Pid) -> Result<OpResult> {
        self.check_pid(pid)?;
        let p = self.procs.remove(&pid).expect("checked above");
        let owned: Vec<u64> = self
            .mem
            .table_pfns()
            .into_iter()
            .filter(|&f| {
                self.mem
                    .table(f)
                    .is_some_and(|t| t.owner == Owner::Process(pid))
            })
            .collect();
        let n = owned.len() as u64;
        for f in owned {
            self.free_table(f);
        }
        for f in p.data {
            self.mem.free_data(f);
        }
        self.events.push(Event::Exited { pid, tables: n });
        Ok(self.finish(Value::None))
    }

    /// An explicit sync call of the era.
    ///
    /// # Errors
    /// `UnsupportedOperation` for `global` on 32-bit.
    pub fn sync(&mut self, kind: SyncKind) -> Result<OpResult> {
        let is32 = self.cfg.mode.is_32bit();
        let vm = self.layout.vmalloc_slots();
        match (kind, is32) {
            (SyncKind::Global, true) => {
                return Err(err!(
                UnsupportedOperation,
                "sync_global_pgds() is 64-bit only; on 32-bit use sync mappings or sync unmappings"
            ))
            }
            _ if self.cfg.strategy == Strategy::SharedPmd => self.events.push(Event::Note {
                text: "vmalloc_sync_*() returns at once: SHARED_KERNEL_PMD".into(),
            }),
            (SyncKind::Mappings, true) => {
                self.sync_pass("vmalloc_sync_mappings", vm, Rule::FillMissing)
            }
            (SyncKind::Unmappings, true) => {
                self.sync_pass("vmalloc_sync_unmappings", vm, Rule::PresentMismatch)
            }
            (SyncKind::Mappings, false) => {
                self.sync_pass("sync_global_pgds", vm, Rule::FillMissing)
            }
            (SyncKind::Unmappings, false) => self.events.push(Event::Note {
                text: "vmalloc_sync_unmappings() does nothing on 64-bit".into(),
            }),
            (SyncKind::Global, false) => {
                let first = self.layout.first_kernel_slot();
                let all = first..self.layout.total_slots();
                self.sync_pass("sync_global_pgds", all, Rule::FillMissing)
            }
        }
        Ok(self.finish(Value::None))
    }

    /// Runs the syncs held by preempted allocations.
    pub fn resume(&mut self) -> Result<OpResult> {
        for (s, e) in std::mem::take(&mut self.pending) {
            self.arch_sync(s, e);
        }
        Ok(self.finish(Value::None))
    }

    fn walk(&self, root: u64, va: u64) -> (Vec<WalkStep>, std::result::Result<u64, usize>) {
        let lv = self.cfg.mode.levels();
        let mut table = root;
        let mut steps = Vec::with_capacity(lv.len());
        for (d, g) in lv.iter().enumerate() {
            let index = g.index(va);
            let entry = self.mem.get(table, index);
            steps.push(WalkStep {
                level: g.level,
                table_pfn: table,
                index,
                entry,
            });
            if !present(entry) {
                return (steps, Err(d));
            }
            if self.is_leaf(d, entry) {
                let base = entry & self.cfg.mode.addr_mask() & !(g.span() - 1);
                return (steps, Ok(base + (va & (g.span() - 1))));
            }
            table = self.pfn_of(entry);
        }
        (steps, Err(lv.len() - 1))
    }

    fn check_kernel_va(&self, va: u64) -> Result<()> {
        let mode = self.cfg.mode;
        if !mode.is_canonical(va) {
            return Err(err!(
                BadAddress,
                "{va:#x} is not a canonical {}-bit address of {}",
                mode.va_bits(),
                mode.name()
            ));
        }
        if va < self.layout.kernel_start() {
            return Err(err!(
                BadAddress,
                "{va:#x} is in user space; vmsync models the kernel half, from {:#x}",
                self.layout.kernel_start()
            ));
        }
        Ok(())
    }

    /// A CPU access by `pid` to kernel address `va`, walking the process's own tables.
    ///
    /// # Errors
    /// `UnknownProcess`, `BadAddress` (not canonical, or in user space).
    pub fn access(&mut self, pid: Pid, va: u64) -> Result<OpResult> {
        self.check_pid(pid)?;
        self.check_kernel_va(va)?;
        let root = self.procs[&pid].pgd;
        let (mut walk, mut got) = self.walk(root, va);
        let mut fixed = false;
        if got.is_err() {
            let s = self.cfg.strategy;
            if s.faults_fix_up() && self.layout.in_vmalloc(va) {
                // vmalloc_fault(): sync this one slot from the reference.
                let rule = if s == Strategy::Lazy || !self.cfg.mode.is_32bit() {
                    Rule::FillMissing
                } else {
                    Rule::PresentMismatch
                };
                let slot = self.layout.slot_of(va);
                if self.sync_dirs(&[(pid, root)], slot..slot + 1, rule, Why::Fault) > 0 {
                    (walk, got) = self.walk(root, va);
                    fixed = got.is_ok();
                }
            }
            self.events.push(Event::Fault { pid, va, fixed });
        }
        let outcome = match got {
            Err(d) => {
                self.m.oopses += 1;
                Outcome::Oops {
                    level: self.cfg.mode.levels()[d].level,
                }
            }
            Ok(phys) => {
                let reference = self.walk(self.reference, va).1.ok();
                // A private slot (the LDT remap) is the process's own: nothing to compare.
                let private = self.is_private(self.layout.slot_of(va));
                if reference != Some(phys) && !private {
                    self.m.stale_accesses += 1;
                    Outcome::Stale { phys, reference }
                } else if fixed {
                    self.m.faults_fixed += 1;
                    Outcome::FaultFixed { phys }
                } else {
                    Outcome::Translated { phys }
                }
            }
        };
        let oops_dump = matches!(outcome, Outcome::Oops { .. }).then(|| self.dump_pagetable(&walk));
        Ok(self.finish(Value::Access(Access {
            pid,
            va,
            walk,
            outcome,
            oops_dump,
        })))
    }

    /// The oops line of `dump_pagetable()`: `*pdpt = .. *pde = .. *pte = ..` on PAE,
    /// `*pde = .. *pte = ..` on 2-level, `PGD .. P4D .. PUD .. PMD .. PTE ..` on 64-bit (the
    /// folded P4D repeats the PGD on 4-level). It stops after the first entry not present.
    fn dump_pagetable(&self, walk: &[WalkStep]) -> String {
        let mut parts = Vec::new();
        match self.cfg.mode {
            Mode::X86_32 => {
                for (st, name) in walk.iter().zip(["*pde", "*pte"]) {
                    parts.push(format!("{name} = {:08x}", st.entry));
                }
            }
            Mode::Pae => {
                for (st, name) in walk.iter().zip(["*pdpt", "*pde", "*pte"]) {
                    parts.push(format!("{name} = {:016x}", st.entry));
                }
            }
            Mode::X86_64 | Mode::La57 => {
                let mut entries: Vec<(&str, u64)> = Vec::new();
                for st in walk {
                    let name = match st.level {
                        Level::Pgd => "PGD",
                        Level::P4d => "P4D",
                        Level::Pud => "PUD",
                        Level::Pmd => "PMD",
                        Level::Pte => "PTE",
                    };
                    entries.push((name, st.entry));
                    if self.cfg.mode == Mode::X86_64 && st.level == Level::Pgd && present(st.entry)
                    {
                        entries.push(("P4D", st.entry));
                    }
                }
                for (name, e) in entries {
                    parts.push(format!("{name} {e:x}"));
                }
            }
        }
        parts.join(" ")
    }

    /// Hot-adds RAM at `[phys, phys+size)` (64-bit): the direct map and the vmemmap of
    /// the new memory are populated. Returns the address of its first `struct page`.
    ///
    /// # Errors
    /// `UnsupportedOperation` on 32-bit; `BadAddress`/`BadSize` for a range that is not
    /// whole 128 MiB blocks above existing RAM within the mode's physical limit.
    pub fn hotplug(&mut self, phys: u64, size: u64) -> Result<OpResult> {
        let mode = self.cfg.mode;
        if mode.is_32bit() {
            return Err(err!(
                UnsupportedOperation,
                "memory hot-add is modelled on 64-bit only"
            ));
        }
        if size == 0 || !size.is_multiple_of(MEMORY_BLOCK) || !phys.is_multiple_of(MEMORY_BLOCK) {
            return Err(err!(
                BadSize,
                "hot-add works in whole 128 MiB memory blocks: {phys:#x}+{size:#x} is not aligned"
            ));
        }
        let max = Config::max_ram(mode);
        let end = phys
            .checked_add(size)
            .filter(|e| *e <= max)
            .ok_or_else(|| {
                err!(
                    BadAddress,
                    "{phys:#x}+{size:#x} is beyond the physical limit {max:#x} of {}",
                    mode.name()
                )
            })?;
        if self.is_ram(phys, end - 1) {
            return Err(err!(
                BadAddress,
                "{phys:#x}-{:#x} overlaps RAM that is already present",
                end - 1
            ));
        }
        let l = self.layout.clone();
        let vm_start = l.vmemmap_base.unwrap_or(0) + (phys >> PAGE_SHIFT) * STRUCT_PAGE_SIZE;
        let vm_size = (size >> PAGE_SHIFT) * STRUCT_PAGE_SIZE;
        let vm_lo = vm_start & !((2 << 20) - 1);
        let vm_hi = align_up(vm_start + vm_size, 2 << 20).unwrap_or(u64::MAX);
        let bound =
            self.table_bound(l.page_offset + phys, size) + self.table_bound(vm_lo, vm_hi - vm_lo);
        self.check_frames(bound)?;
        self.hotplugged.push((phys, size));
        let flags = bits::PAGE_KERNEL | self.nx();
        // kernel_physical_mapping_init(): calls sync_global_pgds() if a top level changed.
        let dm = self.map_contig(l.page_offset + phys, phys, size, flags, true, Why::Hotplug)?;
        let dm_synced = !matches!(self.cfg.strategy, Strategy::None);
        self.after_hotplug(l.page_offset + phys, l.page_offset + end, dm, dm_synced);
        // vmemmap_populate(): backed by the new memory itself (memmap_on_memory), 2 MiB leaves.
        let vmm = self.map_contig(vm_lo, phys, vm_hi - vm_lo, flags, true, Why::Hotplug)?;
        let vmm_synced = matches!(
            self.cfg.strategy,
            Strategy::Lazy | Strategy::Tracked | Strategy::Eager | Strategy::PreallocTracked
        );
        self.after_hotplug(vm_lo, vm_hi, vmm, vmm_synced);
        Ok(self.finish(Value::Address(vm_start)))
    }

    fn after_hotplug(&mut self, start: u64, end: u64, mask: u32, synced: bool) {
        if mask & 1 == 0 {
            return;
        }
        let action = if synced {
            "sync_global_pgds()"
        } else {
            "nothing: this top-level change is not synced"
        };
        self.events.push(Event::SyncLevelChanged {
            start,
            end,
            mask_bit: self.sync_mask_bit(),
            action,
        });
        if synced {
            let slots = self.layout.slots_touching(start, end);
            let rule = if self.cfg.strategy == Strategy::Eager {
                Rule::Exact
            } else {
                Rule::FillMissing
            };
            self.sync_pass("sync_global_pgds", slots, rule);
        }
    }

    /// `modify_ldt()` with PTI: maps the process's LDT in its private LDT remap slot.
    ///
    /// # Errors
    /// `UnknownProcess`; `UnsupportedOperation` without PTI; `OutOfMemory`.
    pub fn ldt(&mut self, pid: Pid) -> Result<OpResult> {
        self.check_pid(pid)?;
        if !self.cfg.pti {
            return Err(err!(
                UnsupportedOperation,
                "without PTI the LDT is not remapped per process (map_ldt_struct returns early)"
            ));
        }
        if !self.procs[&pid].data.is_empty() {
            self.events.push(Event::Note {
                text: format!("process {pid} has its LDT mapped already"),
            });
            return Ok(self.finish(Value::None));
        }
        let lv = self.cfg.mode.levels();
        self.check_frames(lv.len() as u64 + 1)?;
        let root = self.procs[&pid].pgd;
        let va = self.layout.ldt_base;
        let last = lv.len() - 1;
        let frame = self.mem.alloc_data()?;
        let (table, _) = self.walk_alloc(root, va, last, Owner::Process(pid), Why::Ldt)?;
        self.mem.set(
            table,
            lv[last].index(va),
            (frame << PAGE_SHIFT) | bits::PAGE_KERNEL | self.nx(),
        );
        self.events.push(Event::Ptes {
            owner: Owner::Process(pid),
            va,
            pages: 1,
            set: true,
            why: Why::Ldt,
        });
        let p = self.procs.get_mut(&pid).expect("checked above");
        p.data.push(frame);
        Ok(self.finish(Value::None))
    }

    /// A hash of the whole state (tables, processes, allocations, metrics): equal states
    /// give equal hashes, natively and in wasm.
    pub fn state_hash(&self) -> u64 {
        let mut h = Fnv::new();
        h.bytes(
            serde_json::to_string(&self.cfg)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.u64(self.reference);
        for pfn in self.mem.table_pfns() {
            if let Some(t) = self.mem.table(pfn) {
                h.u64(pfn);
                h.u64(t.depth as u64);
                h.u64(match t.owner {
                    Owner::Kernel => u64::MAX,
                    Owner::Process(p) => p as u64,
                });
                for i in 0..t.len() {
                    h.u64(t.get(i));
                }
            }
        }
        for (pid, p) in &self.procs {
            h.u64(*pid as u64);
            h.u64(p.pgd);
            p.shadow.iter().for_each(|f| h.u64(*f));
            for f in &p.data {
                h.u64(*f);
            }
        }
        for a in self.areas.values() {
            h.u64(a.start);
            h.u64(a.size);
            match &a.kind {
                AreaKind::Vmalloc { frames } => frames.iter().for_each(|f| h.u64(*f)),
                AreaKind::Ioremap { phys } => h.u64(*phys),
            }
        }
        for (s, e) in self.pending.iter().chain(&self.hotplugged) {
            h.u64(*s);
            h.u64(*e);
        }
        h.bytes(
            serde_json::to_string(&self.total)
                .unwrap_or_default()
                .as_bytes(),
        );
        h.0
    }

    /// Checks the machine's own bookkeeping: every table is reachable from the reference
    /// or from the process that owns it, and no table is orphaned. Returns the number of
    /// unreachable tables (0 when all is well).
    pub fn orphan_tables(&self) -> usize {
        let mut seen = std::collections::HashSet::new();
        let mut stack: Vec<u64> = vec![self.reference];
        stack.extend(self.procs.values().map(|p| p.pgd));
        stack.extend(self.procs.values().flat_map(|p| p.shadow.iter().copied()));
        while let Some(pfn) = stack.pop() {
            if !seen.insert(pfn) {
                continue;
            }
            let Some(t) = self.mem.table(pfn) else {
                continue;
            };
            let d = t.depth as usize;
            if d + 1 >= self.cfg.mode.levels().len() {
                continue;
            }
            for i in 0..t.len() {
                let e = t.get(i);
                if present(e) && !self.is_leaf(d, e) {
                    stack.push(self.pfn_of(e));
                }
            }
        }
        self.mem.table_count()
            - seen
                .iter()
                .filter(|p| self.mem.table(**p).is_some())
                .count()
    }
}

/// Where one run of a sync pass reports what it did.
struct RunOut<'a> {
    pid: Pid,
    /// The global slot of the table's entry 0.
    base: usize,
    /// Whether each copy is reported.
    record: bool,
    changes: &'a mut Vec<(Pid, usize, u64, u64)>,
    bugs: &'a mut Vec<(Pid, usize, u64, u64)>,
}

impl RunOut<'_> {
    /// Brings slots `first..first + refs.len()` of table `t` in step with `refs` under
    /// `rule`; returns the entries copied. The copies (when recorded) are read before the
    /// update and the `BUG_ON`s after it, each by a scan that runs only when needed, so
    /// the update loop itself stays free of calls.
    fn run(
        &mut self,
        t: &mut Table,
        first: usize,
        refs: &[u64],
        rule: impl Fn(u64, u64) -> Action + Copy,
    ) -> u64 {
        let (pid, base) = (self.pid, self.base);
        let range = first - base..first - base + refs.len();
        let find = |t: &Table, want: Action, into: &mut Vec<_>| {
            t.scan(range.clone(), |i, p| {
                let k = refs[i + base - first];
                if rule(p, k) == want {
                    into.push((pid, base + i, p, k));
                }
            })
        };
        if self.record {
            find(t, Action::Copy, self.changes);
        }
        let (copied, bug) = t.update_from(range.start, refs, rule);
        if bug {
            find(t, Action::Bug, self.bugs);
        }
        copied
    }
}

/// The sync-level tables of one page directory, without a heap allocation: one (the top
/// level) or, on PAE, up to four PMD pages.
#[derive(Default, Clone, Copy)]
struct SyncTables {
    items: [(usize, u64); 4],
    len: usize,
}

impl SyncTables {
    fn push(&mut self, base: usize, pfn: u64) {
        self.items[self.len] = (base, pfn);
        self.len += 1;
    }
}

impl IntoIterator for SyncTables {
    type Item = (usize, u64);
    type IntoIter = std::iter::Take<std::array::IntoIter<(usize, u64), 4>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter().take(self.len)
    }
}

/// FNV-1a, 64-bit: a small, fixed, portable hash.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for x in b {
            self.0 = (self.0 ^ *x as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn u64(&mut self, v: u64) {
        self.bytes(&v.to_le_bytes());
    }
}
