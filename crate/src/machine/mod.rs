//! The machine: the reference table (`init_mm`), the processes, the vmalloc area, and the
//! operations that change them under a sync strategy.
//!
//! Every operation checks everything that can fail before it changes anything, so a
//! refused operation leaves the machine exactly as it was.
//!
//! [`Machine`] is one struct; each submodule adds one `impl Machine` block:
//! - `mod.rs` (here): the [`Machine`] struct, booting ([`Machine::new`]), the accessors and
//!   small helpers.
//! - `types`: the machine's public vocabulary ([`Area`], [`AreaKind`], [`SyncKind`],
//!   [`WalkStep`], [`Outcome`], [`Access`], [`Divergence`], [`DivergenceCounts`], [`Value`],
//!   [`OpResult`]), re-exported here.
//! - `tables`: building and clearing tables in the reference (allocation, entries, contiguous
//!   and huge mappings, unmapping).
//! - `vmap`: the vmalloc area allocator (first fit with a guard page) and its checks.
//! - `sync`: the sync level: sync rules, sync passes over `pgd_list`, and what each strategy
//!   does after the reference's kernel half changed.
//! - `divergence`: how each process's kernel slots compare with the reference.
//! - `ops`: the operations (allocate, map, unmap, fork, exit, sync, resume, hotplug, ldt).
//! - `access`: CPU accesses: page walks, `vmalloc_fault()` and the oops dump.
//! - `checks`: the state hash and the bookkeeping check.

mod access;
mod checks;
mod divergence;
mod ops;
mod sync;
mod tables;
mod types;
mod vmap;

pub use types::{
    Access, Area, AreaKind, Divergence, DivergenceCounts, HotplugKind, OpResult, Outcome, SyncKind,
    Value, WalkStep,
};

use crate::config::Config;
use crate::era::Behaviour;
use crate::error::Result;
use crate::event::{Event, Metrics, Why};
use crate::layout::Layout;
use crate::memory::{Memory, Owner, Pid};
use crate::mode::{bits, Mode, PAGE_SHIFT, PAGE_SIZE};
use crate::vec_map::VecMap;

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

/// The simulated machine.
#[derive(Debug, Clone)]
pub struct Machine {
    cfg: Config,
    /// What the configuration's era or strategy does: the one table of kernel
    /// behaviours, asked once at boot ([`Config::behaviour`]).
    beh: Behaviour,
    layout: Layout,
    mem: Memory,
    reference: u64,
    procs: VecMap<Pid, Process>,
    next_pid: Pid,
    areas: VecMap<u64, Area>,
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
/// Bytes of `struct page` per 4 KiB page.
const STRUCT_PAGE_SIZE: u64 = 64;
/// Memory hot-add granularity on x86-64 (`MIN_MEMORY_BLOCK_SIZE`, one section: 128 MiB).
const MEMORY_BLOCK: u64 = 128 << 20;
/// ZONE_DEVICE hot-add granularity (`SUBSECTION_SIZE`, 2 MiB: include/linux/mmzone.h).
const SUBSECTION: u64 = 2 << 20;

fn present(e: u64) -> bool {
    e & bits::PRESENT != 0
}

/// The `struct page` array for `ram` bytes of RAM, in whole 2 MiB pages (the 64-bit
/// vmemmap is mapped with 2 MiB leaves).
fn vmemmap_bytes(ram: u64) -> u64 {
    align_up((ram >> PAGE_SHIFT) * STRUCT_PAGE_SIZE, 2 << 20).unwrap_or(0)
}

fn align_up(x: u64, a: u64) -> Option<u64> {
    x.checked_add(a - 1).map(|v| v & !(a - 1))
}

impl Machine {
    /// Boots a machine: validates the configuration, builds the reference's kernel half
    /// (direct map, fixmap, cpu entry area, pkmap or vmemmap, kernel image) and, where the
    /// era pre-allocates, every vmalloc top-level slot.
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
            beh: cfg.behaviour(),
            cfg,
            layout,
            mem,
            reference,
            procs: VecMap::new(),
            next_pid: 1,
            areas: VecMap::new(),
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
        if self.beh.prealloc {
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
        if self.beh.pgd_pages(self.cfg.mode, self.cfg.pti).is_none() {
            pages - PAGE_SIZE + 32
        } else {
            pages
        }
    }

    /// Page-table bytes private to all the live processes: the sum of
    /// [`Machine::process_table_bytes`], from the owner counts in one go.
    pub fn processes_table_bytes(&self) -> u64 {
        let procs = self.procs.len() as u64;
        let pages =
            (self.mem.table_count() as u64 - self.mem.count_by_owner(Owner::Kernel)) * PAGE_SIZE;
        if self.beh.pgd_pages(self.cfg.mode, self.cfg.pti).is_none() {
            pages - procs * (PAGE_SIZE - 32)
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
}
