//! The kernel's virtual address-space layout, derived from a [`Config`] with the kernel's
//! own formulas, and the slots of the sync level that each region touches.
//!
//! 32-bit: arch/x86/include/asm/pgtable_32_areas.h, fixmap.h, arch/x86/mm/pgtable_32.c,
//! arch/x86/mm/init_32.c. 64-bit: Documentation/arch/x86/x86_64/mm.rst,
//! arch/x86/include/asm/pgtable_64_types.h.

use crate::config::Config;
use crate::mode::{Mode, PAGE_SIZE};

/// What a region of the kernel address space is, for colouring and for deciding which
/// changes a strategy syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(rename_all = "kebab-case"))]
pub enum RegionKind {
    /// The user half.
    User,
    /// Unused address space between regions (guard holes, the vmalloc offset).
    Hole,
    /// The direct map of RAM (lowmem on 32-bit).
    DirectMap,
    /// vmalloc() and ioremap().
    Vmalloc,
    /// The persistent kmap() area (32-bit).
    Pkmap,
    /// The LDT remap (per process with PTI).
    Ldt,
    /// The cpu_entry_area.
    CpuEntryArea,
    /// The fixmap, early-ioremap slots included.
    Fixmap,
    /// The `struct page` array (64-bit).
    Vmemmap,
    /// The ESPfix stacks (64-bit).
    Espfix,
    /// EFI runtime services (64-bit).
    Efi,
    /// The kernel image (64-bit).
    KernelText,
    /// Module mapping space (64-bit).
    Modules,
}

impl RegionKind {
    /// Every kind, in the order of their codes.
    pub const ALL: [RegionKind; 13] = [
        RegionKind::User,
        RegionKind::Hole,
        RegionKind::DirectMap,
        RegionKind::Vmalloc,
        RegionKind::Pkmap,
        RegionKind::Ldt,
        RegionKind::CpuEntryArea,
        RegionKind::Fixmap,
        RegionKind::Vmemmap,
        RegionKind::Espfix,
        RegionKind::Efi,
        RegionKind::KernelText,
        RegionKind::Modules,
    ];

    /// A small code for byte arrays shared with the front end.
    pub fn code(self) -> u8 {
        RegionKind::ALL.iter().position(|k| *k == self).unwrap_or(0) as u8
    }

    /// The name as it crosses to the front end (what serde writes for it).
    pub fn name(self) -> &'static str {
        match self {
            RegionKind::User => "user",
            RegionKind::Hole => "hole",
            RegionKind::DirectMap => "direct-map",
            RegionKind::Vmalloc => "vmalloc",
            RegionKind::Pkmap => "pkmap",
            RegionKind::Ldt => "ldt",
            RegionKind::CpuEntryArea => "cpu-entry-area",
            RegionKind::Fixmap => "fixmap",
            RegionKind::Vmemmap => "vmemmap",
            RegionKind::Espfix => "espfix",
            RegionKind::Efi => "efi",
            RegionKind::KernelText => "kernel-text",
            RegionKind::Modules => "modules",
        }
    }
}

/// One region: the kernel's name for it and its first and last byte.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Region {
    /// The kernel's name (as ptdump's markers and mm.rst spell it).
    pub name: &'static str,
    /// What it is.
    pub kind: RegionKind,
    /// The first byte.
    pub start: u64,
    /// The last byte (inclusive, so the top of a 64-bit space fits).
    pub last: u64,
}

/// The layout of the kernel half.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Layout {
    /// The paging mode.
    pub mode: Mode,
    /// `PAGE_OFFSET`: the start of the direct map.
    pub page_offset: u64,
    /// `high_memory`: the end of the direct-mapped RAM.
    pub high_memory: u64,
    /// `VMALLOC_START`.
    pub vmalloc_start: u64,
    /// `VMALLOC_END` as the kernel defines it: exclusive on 32-bit, inclusive on 64-bit.
    pub vmalloc_end: u64,
    /// `PKMAP_BASE` (32-bit).
    pub pkmap_base: Option<u64>,
    /// `FIXADDR_START`.
    pub fixaddr_start: u64,
    /// `FIXADDR_TOT_START` (with the early-ioremap slots).
    pub fixaddr_tot_start: u64,
    /// `FIXADDR_TOP`.
    pub fixaddr_top: u64,
    /// `CPU_ENTRY_AREA_BASE`.
    pub cpu_entry_area_base: u64,
    /// `LDT_BASE_ADDR`.
    pub ldt_base: u64,
    /// `VMEMMAP_START` (64-bit).
    pub vmemmap_base: Option<u64>,
    /// `MAXMEM` (32-bit): the most RAM the direct map can hold.
    pub maxmem: Option<u64>,
    /// The regions in address order, the user half first.
    pub regions: Vec<Region>,
}

/// The fixed 64-bit addresses of Documentation/arch/x86/x86_64/mm.rst (the same with 4
/// and 5 levels): `ESPFIX_BASE_ADDR`, `EFI_VA_END`, `__START_KERNEL_map`, `MODULES_VADDR`
/// and `MODULES_END`.
pub const ESPFIX_BASE: u64 = 0xffff_ff00_0000_0000;
/// See [`ESPFIX_BASE`].
pub const EFI_VA_END: u64 = 0xffff_ffef_0000_0000;
/// See [`ESPFIX_BASE`].
pub const START_KERNEL_MAP: u64 = 0xffff_ffff_8000_0000;
/// See [`ESPFIX_BASE`].
pub const MODULES_VADDR: u64 = 0xffff_ffff_c000_0000;
/// See [`ESPFIX_BASE`].
pub const MODULES_END: u64 = 0xffff_ffff_ff00_0000;
/// The first address of the upper canonical half, 4-level and 5-level.
const KERNEL_HALF_4: u64 = 0xffff_8000_0000_0000;
/// See [`KERNEL_HALF_4`].
const KERNEL_HALF_5: u64 = 0xff00_0000_0000_0000;

/// 32-bit `VMALLOC_OFFSET`: the hole between the direct map and vmalloc.
pub const VMALLOC_OFFSET: u64 = 8 << 20;
/// 32-bit default `__VMALLOC_RESERVE`.
pub const VMALLOC_RESERVE_DEFAULT: u64 = 128 << 20;
/// Early-ioremap fixmap pages: `NR_FIX_BTMAPS * FIX_BTMAPS_SLOTS`.
pub const TOTAL_FIX_BTMAPS: u64 = 64 * 8;

impl Layout {
    /// Derives the layout. Any RAM size and `vmalloc=` value is taken (the arithmetic
    /// saturates), so that [`Config::validate`] can judge the result, e.g. a MAXMEM of 0.
    pub fn new(cfg: &Config) -> Layout {
        if cfg.mode.is_32bit() {
            layout_32(cfg)
        } else {
            layout_64(cfg)
        }
    }

    /// The vmalloc area as a half-open range `[start, end)`.
    pub fn vmalloc_range(&self) -> (u64, u64) {
        if self.mode.is_32bit() {
            (self.vmalloc_start, self.vmalloc_end)
        } else {
            (self.vmalloc_start, self.vmalloc_end + 1)
        }
    }

    /// Whether `va` lies in the vmalloc area.
    pub fn in_vmalloc(&self, va: u64) -> bool {
        let (s, e) = self.vmalloc_range();
        va >= s && va < e
    }

    /// The first address of the kernel half (`PAGE_OFFSET` on 32-bit, the start of the
    /// upper canonical half on 64-bit).
    pub fn kernel_start(&self) -> u64 {
        match self.mode {
            Mode::X86_32 | Mode::Pae => self.page_offset,
            Mode::X86_64 => KERNEL_HALF_4,
            Mode::La57 => KERNEL_HALF_5,
        }
    }

    /// The first sync-level slot of the kernel half (as an index into the whole
    /// address space: PGD index on 2-level and 64-bit, PDPT×512 + PMD index on PAE).
    pub fn first_kernel_slot(&self) -> usize {
        self.slot_of(self.kernel_start())
    }

    /// `KERNEL_PGD_BOUNDARY` = `pgd_index(PAGE_OFFSET)`: the first top-level entry that
    /// `pgd_ctor()` clones into a new process (a PDPT index on PAE).
    pub fn kernel_pgd_boundary(&self) -> usize {
        self.mode.levels()[0].index(self.page_offset)
    }

    /// The number of sync-level slots in the kernel half.
    pub fn kernel_sync_slots(&self) -> usize {
        self.total_slots() - self.first_kernel_slot()
    }

    /// The number of sync-level slots in the whole address space.
    pub fn total_slots(&self) -> usize {
        let levels = self.mode.levels();
        let depth = self.mode.sync_depth();
        levels[..=depth].iter().map(|l| l.entries()).product()
    }

    /// The global sync-level slot that contains `va`.
    pub fn slot_of(&self, va: u64) -> usize {
        let geom = self.mode.sync_geom();
        let top_bits = self.mode.va_bits() - geom.shift;
        ((va >> geom.shift) & ((1u64 << top_bits) - 1)) as usize
    }

    /// The first address of global sync-level slot `slot`, sign-extended on 64-bit.
    pub fn slot_address(&self, slot: usize) -> u64 {
        self.mode
            .sign_extend((slot as u64) << self.mode.sync_geom().shift)
    }

    /// The sync-level slots that `[start, end)` touches, rounded outward.
    pub fn slots_touching(&self, start: u64, end_exclusive: u64) -> std::ops::Range<usize> {
        if end_exclusive <= start {
            return 0..0;
        }
        self.slot_of(start)..self.slot_of(end_exclusive - 1) + 1
    }

    /// The sync-level slots the vmalloc area touches, rounded outward.
    pub fn vmalloc_slots(&self) -> std::ops::Range<usize> {
        let (s, e) = self.vmalloc_range();
        self.slots_touching(s, e)
    }

    /// The sync-level slot of the LDT remap, which is private to each process with PTI.
    pub fn ldt_slot(&self) -> usize {
        self.slot_of(self.ldt_base)
    }

    /// The region containing `va`, if any.
    pub fn region_of(&self, va: u64) -> Option<&Region> {
        self.regions.iter().find(|r| va >= r.start && va <= r.last)
    }

    /// The region that covers most of sync-level slot `slot` (the earlier one on a tie).
    pub fn slot_region(&self, slot: usize) -> RegionKind {
        let span = self.mode.sync_geom().span();
        let s = self.slot_address(slot);
        let last = s + (span - 1);
        let mut best: Option<(u64, RegionKind)> = None;
        for r in self.regions.iter().filter(|r| r.kind != RegionKind::Hole) {
            let (lo, hi) = (r.start.max(s), r.last.min(last));
            if lo <= hi && best.is_none_or(|(b, _)| hi - lo > b) {
                best = Some((hi - lo, r.kind));
            }
        }
        best.map_or(RegionKind::Hole, |(_, k)| k)
    }

    /// Page-table bytes needed to pre-allocate the next-level table of every sync-level
    /// slot the vmalloc area touches (one 4 KiB page each).
    pub fn prealloc_bytes(&self) -> u64 {
        self.vmalloc_slots().len() as u64 * PAGE_SIZE
    }

    /// `/proc/meminfo`'s `VmallocTotal` in kB: `VMALLOC_TOTAL >> 10` with
    /// `VMALLOC_TOTAL = VMALLOC_END - VMALLOC_START` (fs/proc/meminfo.c,
    /// include/linux/vmalloc.h), so the 64-bit figure, whose `VMALLOC_END` is inclusive,
    /// is one less than the area's size in KiB.
    pub fn vmalloc_total_kb(&self) -> u64 {
        (self.vmalloc_end - self.vmalloc_start) >> 10
    }
}

fn pmd_mask(mode: Mode) -> u64 {
    // PMD_SIZE is 4 MiB without PAE (the PMD is folded into the PGD) and 2 MiB with PAE.
    !(mode.sync_geom().span() - 1) & 0xFFFF_FFFF
}

/// `__end_of_fixed_addresses`: the permanent entries, the early-ioremap slots (moved up
/// so they do not cross a page table: `FIX_BTMAP_END` in fixmap.h) and what follows them.
fn fixmap_total_pages(permanent: u64, ptrs_per_pte: u64, after: u64) -> u64 {
    let btmap_end = if (permanent ^ (permanent + TOTAL_FIX_BTMAPS - 1)) & !(ptrs_per_pte - 1) != 0 {
        permanent + TOTAL_FIX_BTMAPS - (permanent & (TOTAL_FIX_BTMAPS - 1))
    } else {
        permanent
    };
    btmap_end + TOTAL_FIX_BTMAPS + after
}

fn layout_32(cfg: &Config) -> Layout {
    let mode = cfg.mode;
    let p = &cfg.preset;
    let mask = pmd_mask(mode);
    let page_offset = cfg.split().page_offset();
    let fixaddr_top: u64 = 0xFFFF_F000;
    let permanent = p.fixmap_fixed_pages + p.fixmap_pages_per_cpu * p.nr_cpus as u64;
    // FIX_BTMAP_END is rounded so that the early-ioremap slots do not cross a page table
    // (arch/x86/include/asm/fixmap.h).
    let ptrs_per_pte = mode
        .levels()
        .last()
        .map(|l| l.entries() as u64)
        .unwrap_or(1024);
    let total = fixmap_total_pages(permanent, ptrs_per_pte, p.fixmap_pages_after_btmaps);
    let fixaddr_start = fixaddr_top - permanent * PAGE_SIZE;
    let fixaddr_tot_start = fixaddr_top - total * PAGE_SIZE;
    let cea_pages = p.cea_pages_per_cpu * p.nr_cpus as u64;
    let cea_base = (fixaddr_tot_start - PAGE_SIZE * (cea_pages + 1)) & mask;
    let ldt_base = (cea_base - PAGE_SIZE) & mask;
    let pkmap_base = (ldt_base - PAGE_SIZE) & mask;
    let last_pkmap: u64 = if mode == Mode::Pae { 512 } else { 1024 };
    let vmalloc_end = pkmap_base - 2 * PAGE_SIZE;
    let reserve = cfg
        .vmalloc
        .map(|x| x.saturating_add(VMALLOC_OFFSET))
        .unwrap_or(VMALLOC_RESERVE_DEFAULT);
    let maxmem = vmalloc_end
        .saturating_sub(page_offset)
        .saturating_sub(reserve);
    let high_memory = page_offset + cfg.ram.min(maxmem);
    let vmalloc_start = high_memory + VMALLOC_OFFSET;
    let r = |name, kind, start: u64, end: u64| Region {
        name,
        kind,
        start,
        last: end - 1,
    };
    let regions = vec![
        r("User Space", RegionKind::User, 0, page_offset),
        r(
            "Kernel Mapping",
            RegionKind::DirectMap,
            page_offset,
            high_memory,
        ),
        r(
            "vmalloc offset",
            RegionKind::Hole,
            high_memory,
            vmalloc_start,
        ),
        r(
            "vmalloc() Area",
            RegionKind::Vmalloc,
            vmalloc_start,
            vmalloc_end,
        ),
        r("vmalloc() End", RegionKind::Hole, vmalloc_end, pkmap_base),
        r(
            "Persistent kmap() Area",
            RegionKind::Pkmap,
            pkmap_base,
            pkmap_base + last_pkmap * PAGE_SIZE,
        ),
        r(
            "hole",
            RegionKind::Hole,
            pkmap_base + last_pkmap * PAGE_SIZE,
            ldt_base,
        ),
        r(
            "LDT remap",
            RegionKind::Ldt,
            ldt_base,
            ldt_base + mode.sync_geom().span().min(2 << 20),
        ),
        r(
            "hole",
            RegionKind::Hole,
            ldt_base + mode.sync_geom().span().min(2 << 20),
            cea_base,
        ),
        r(
            "CPU entry area",
            RegionKind::CpuEntryArea,
            cea_base,
            cea_base + (cea_pages + 1) * PAGE_SIZE,
        ),
        r(
            "hole",
            RegionKind::Hole,
            cea_base + (cea_pages + 1) * PAGE_SIZE,
            fixaddr_tot_start,
        ),
        r(
            "early ioremap",
            RegionKind::Fixmap,
            fixaddr_tot_start,
            fixaddr_start,
        ),
        r(
            "Fixmap area",
            RegionKind::Fixmap,
            fixaddr_start,
            fixaddr_top,
        ),
        r("top page", RegionKind::Hole, fixaddr_top, 1 << 32),
    ];
    Layout {
        mode,
        page_offset,
        high_memory,
        vmalloc_start,
        vmalloc_end,
        pkmap_base: Some(pkmap_base),
        fixaddr_start,
        fixaddr_tot_start,
        fixaddr_top,
        cpu_entry_area_base: cea_base,
        ldt_base,
        vmemmap_base: None,
        maxmem: Some(maxmem),
        regions: regions.into_iter().filter(|r| r.last >= r.start).collect(),
    }
}

fn layout_64(cfg: &Config) -> Layout {
    let mode = cfg.mode;
    let l5 = mode == Mode::La57;
    // Documentation/arch/x86/x86_64/mm.rst (no KASLR).
    let (ldt, page_offset, dm_size, vmalloc_start, vmalloc_tb, vmemmap, vmemmap_size) = if l5 {
        (
            0xff10_0000_0000_0000u64,
            0xff11_0000_0000_0000u64,
            32u64 << 50,
            0xffa0_0000_0000_0000u64,
            12800u64,
            0xffd4_0000_0000_0000u64,
            1u64 << 49,
        )
    } else {
        (
            0xffff_8800_0000_0000,
            0xffff_8880_0000_0000,
            64 << 40,
            0xffff_c900_0000_0000,
            32,
            0xffff_ea00_0000_0000,
            1 << 40,
        )
    };
    let kernel_start = if l5 { KERNEL_HALF_5 } else { KERNEL_HALF_4 };
    // VMALLOC_END = VMALLOC_START + (VMALLOC_SIZE_TB << 40) - 1 (inclusive).
    let vmalloc_end = vmalloc_start + (vmalloc_tb << 40) - 1;
    let cea: u64 = 0xffff_fe00_0000_0000;
    let (espfix, efi, text) = (ESPFIX_BASE, EFI_VA_END, START_KERNEL_MAP);
    let (modules, modules_end) = (MODULES_VADDR, MODULES_END);
    // FIXADDR_TOP = round_up(VSYSCALL_ADDR + PAGE_SIZE, PMD_SIZE) - PAGE_SIZE.
    let vsyscall: u64 = 0xffff_ffff_ff60_0000;
    let fixaddr_top = ((vsyscall + PAGE_SIZE + (2 << 20) - 1) & !((2u64 << 20) - 1)) - PAGE_SIZE;
    let fixaddr_start = fixaddr_top - cfg.preset.fixmap64_pages * PAGE_SIZE;
    let fixaddr_tot_start = fixaddr_top
        - fixmap_total_pages(
            cfg.preset.fixmap64_pages,
            512,
            cfg.preset.fixmap_pages_after_btmaps,
        ) * PAGE_SIZE;
    let high_memory = page_offset + cfg.ram;
    let half = 1u64 << 39; // 0.5 TB
    let r = |name, kind, start: u64, last: u64| Region {
        name,
        kind,
        start,
        last,
    };
    let user_last = if l5 {
        0x00ff_ffff_ffff_efff
    } else {
        0x0000_7fff_ffff_efff
    };
    let ldt_size = if l5 { 1u64 << 48 } else { half };
    let regions = vec![
        r("User Space", RegionKind::User, 0, user_last),
        r("guard hole", RegionKind::Hole, kernel_start, ldt - 1),
        r("LDT remap", RegionKind::Ldt, ldt, ldt + ldt_size - 1),
        r(
            "Low Kernel Mapping",
            RegionKind::DirectMap,
            page_offset,
            page_offset + dm_size - 1,
        ),
        r(
            "hole",
            RegionKind::Hole,
            page_offset + dm_size,
            vmalloc_start - 1,
        ),
        r(
            "vmalloc() Area",
            RegionKind::Vmalloc,
            vmalloc_start,
            vmalloc_end,
        ),
        r("hole", RegionKind::Hole, vmalloc_end + 1, vmemmap - 1),
        r(
            "Vmemmap",
            RegionKind::Vmemmap,
            vmemmap,
            vmemmap + vmemmap_size - 1,
        ),
        r("hole", RegionKind::Hole, vmemmap + vmemmap_size, cea - 1),
        r(
            "CPU entry Area",
            RegionKind::CpuEntryArea,
            cea,
            cea + half - 1,
        ),
        r("hole", RegionKind::Hole, cea + half, espfix - 1),
        r("ESPfix Area", RegionKind::Espfix, espfix, espfix + half - 1),
        r("hole", RegionKind::Hole, espfix + half, efi - 1),
        r(
            "EFI Runtime Services",
            RegionKind::Efi,
            efi,
            0xffff_fffe_ffff_ffff,
        ),
        r("hole", RegionKind::Hole, 0xffff_ffff_0000_0000, text - 1),
        r(
            "High Kernel Mapping",
            RegionKind::KernelText,
            text,
            text + (512 << 20) - 1,
        ),
        r("hole", RegionKind::Hole, text + (512 << 20), modules - 1),
        r("Modules", RegionKind::Modules, modules, modules_end - 1),
        r(
            "End Modules",
            RegionKind::Hole,
            modules_end,
            fixaddr_start - 1,
        ),
        r(
            "Fixmap Area",
            RegionKind::Fixmap,
            fixaddr_start,
            fixaddr_top - 1,
        ),
        r("top", RegionKind::Hole, fixaddr_top, u64::MAX),
    ];
    Layout {
        mode,
        page_offset,
        high_memory,
        vmalloc_start,
        vmalloc_end,
        pkmap_base: None,
        fixaddr_start,
        fixaddr_tot_start,
        fixaddr_top,
        cpu_entry_area_base: cea,
        ldt_base: ldt,
        vmemmap_base: Some(vmemmap),
        maxmem: None,
        regions: regions.into_iter().filter(|r| r.last >= r.start).collect(),
    }
}
