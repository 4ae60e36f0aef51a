//! The operations: allocate, map, unmap, fork, exit, sync, resume, hotplug, ldt. Each
//! returns an [`OpResult`] with its events and metrics.

use super::sync::HotPath;
use super::{
    align_up, Area, AreaKind, HotplugKind, Machine, OpResult, Process, SyncKind, Value,
    MEMORY_BLOCK, STRUCT_PAGE_SIZE, SUBSECTION,
};
use crate::config::Config;
use crate::era::{Call, HotAdd, Rule, Visit};
use crate::error::{err, Result};
use crate::event::{Event, Why};
use crate::memory::{Owner, Pid};
use crate::mode::{bits, Mode, PAGE_SHIFT, PAGE_SIZE};

impl Machine {
    // ----- operations -----

    pub(super) fn finish(&mut self, value: Value) -> OpResult {
        let metrics = std::mem::take(&mut self.m);
        self.total.add(&metrics);
        // The result keeps its events at their size (the history holds one result per
        // operation, tens of thousands at the limits); the machine keeps its buffer for
        // the next operation.
        OpResult {
            value,
            events: self.events.drain(..).collect(),
            metrics,
        }
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
        self.after_change(start, start + size, mask, preempt, false);
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
            return Err(
                err!(BadSize, "size 0: map at least one byte").about(crate::error::Field::Size)
            );
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
                ).about(crate::error::Field::Phys)
            })?;
        if self.is_ram(phys, last) {
            return Err(err!(
                BadAddress,
                "ioremap on RAM at {phys:#x}-{last:#x} is refused (the kernel maps RAM through the direct map); RAM ends at {:#x}",
                self.cfg.ram
            ).about(crate::error::Field::Phys));
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
        self.after_change(start, start + mapped, mask, false, false);
        Ok(self.finish(Value::Address(start + (phys - base))))
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
            ).about(crate::error::Field::Addr));
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
    /// `OutOfMemory`; `LimitExceeded` past [`crate::limits::MAX_PROCESSES`].
    pub fn fork(&mut self) -> Result<OpResult> {
        if self.procs.len() >= crate::limits::MAX_PROCESSES {
            return Err(err!(
                LimitExceeded,
                "at most {} processes live at once; exit one first",
                crate::limits::MAX_PROCESSES
            ));
        }
        let mode = self.cfg.mode;
        let pid = self.next_pid;
        // KERNEL_PGD_BOUNDARY = pgd_index(PAGE_OFFSET): 768 on 2-level with the 3G split,
        // PDPT entry 3 on PAE, 273 on 4- and 5-level x86-64 (arch/x86/include/asm/pgtable.h).
        let boundary = self.layout.kernel_pgd_boundary();
        let private_pmds = self.cfg.private_kernel_pmds();
        let kernel_pgd_ptrs = if mode == Mode::Pae { 4 - boundary } else { 0 };
        // PGD_ALLOCATION_ORDER 1 with PTI, and with PTI off in a PTI-capable build until
        // 6.15 (the era's row); PREALLOCATED_USER_PMDS only when PTI is on.
        let two_pages = self.beh.pgd_pages(mode, self.cfg.pti) == Some(2);
        let user_pmds = if self.cfg.pti { kernel_pgd_ptrs } else { 0 };
        let pti_frames = two_pages as usize + user_pmds;
        let need = if mode == Mode::Pae { 5 } else { 1 } + pti_frames as u64;
        self.check_frames(need)?;
        let owner = Owner::Process(pid);
        let pgd = self.alloc_table(0, owner)?;
        // The PGD's second page (the user copy with PTI) and, on PAE with PTI,
        // PREALLOCATED_USER_PMDS = KERNEL_PGD_PTRS user PMD pages (arch/x86/mm/pgtable.c).
        let mut shadow = Vec::new();
        if two_pages {
            shadow.push(self.alloc_table(0, owner)?);
        }
        for _ in 0..user_pmds {
            shadow.push(self.alloc_table(1, owner)?);
        }
        self.next_pid += 1;
        if mode == Mode::Pae {
            // pgd_prepopulate_pmd(): PMD pages for the user PDPT entries, and with
            // unshared kernel PMDs a private copy of every kernel PMD page.
            let kernel_pdpt = boundary;
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
            self.mem
                .copy_range(self.reference, pgd, boundary..mode.levels()[0].entries());
            self.m.entries_cloned += (mode.levels()[0].entries() - boundary) as u64;
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

    pub(super) fn check_pid(&self, pid: Pid) -> Result<()> {
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
        )
        .about(crate::error::Field::Process))
    }

    /// `exit()`: the process's page directory and everything private to it are freed.
    ///
    /// # Errors
    /// `UnknownProcess`.
    pub fn exit(&mut self, pid: Pid) -> Result<OpResult> {
        self.check_pid(pid)?;
        let p = self.procs.remove(&pid).expect("checked above");
        let owned = self.mem.tables_of(Owner::Process(pid));
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

    /// An explicit sync call, as the era has it: `mappings` and `unmappings` are the
    /// era's `vmalloc_sync_all()` / `vmalloc_sync_mappings()` / `vmalloc_sync_unmappings()`;
    /// `global` is `sync_global_pgds()` over the whole kernel half (64-bit).
    ///
    /// # Errors
    /// `UnsupportedOperation` for `global` on 32-bit, and for a call the era's kernels did
    /// not have.
    pub fn sync(&mut self, kind: SyncKind) -> Result<OpResult> {
        let call = match kind {
            SyncKind::Global if self.cfg.mode.is_32bit() => {
                return Err(err!(
                UnsupportedOperation,
                "sync_global_pgds() is 64-bit only; on 32-bit use sync mappings or sync unmappings"
            )
                .about(crate::error::Field::Kind))
            }
            SyncKind::Global => {
                let first = self.layout.first_kernel_slot();
                let all = first..self.layout.total_slots();
                self.sync_pass("sync_global_pgds", all, Rule::FillMissing, Visit::SkipEmpty);
                return Ok(self.finish(Value::None));
            }
            SyncKind::Mappings => self.beh.sync_mappings,
            SyncKind::Unmappings => self.beh.sync_unmappings,
        };
        match call {
            Call::Absent(why) => {
                return Err(err!(
                    UnsupportedOperation,
                    "{why} (strategy {})",
                    self.cfg.strategy.name()
                )
                .about(crate::error::Field::Kind))
            }
            Call::Nothing(why) => self.events.push(Event::Note { text: why.into() }),
            Call::Runs(pass) => {
                let (s, e) = self.layout.vmalloc_range();
                self.run_pass(pass, s, e);
            }
        }
        Ok(self.finish(Value::None))
    }

    /// Runs the tracked syncs held by preempted allocations.
    pub fn resume(&mut self) -> Result<OpResult> {
        for (s, e) in std::mem::take(&mut self.pending) {
            if let Some(pass) = self.beh.on_map {
                self.run_pass(pass, s, e);
            }
        }
        Ok(self.finish(Value::None))
    }

    /// Hot-adds memory at `[phys, phys+size)` (64-bit): the direct map and the vmemmap of
    /// the new memory are populated and synced as the era's hot-add paths did. `by` is
    /// the process that hot-adds it: where the era writes an unaligned memmap's unused
    /// part before the final sync, that write goes through `by`'s own tables. Returns the
    /// address of the first new `struct page`.
    ///
    /// # Errors
    /// `UnsupportedOperation` on 32-bit; `UnknownProcess`; `BadAddress`/`BadSize` for a
    /// range that is not whole 128 MiB blocks (2 MiB sub-sections for device memory)
    /// above existing RAM within the mode's physical limit.
    pub fn hotplug(
        &mut self,
        phys: u64,
        size: u64,
        kind: HotplugKind,
        by: Option<Pid>,
    ) -> Result<OpResult> {
        let mode = self.cfg.mode;
        if mode.is_32bit() {
            return Err(err!(
                UnsupportedOperation,
                "memory hot-add is modelled on 64-bit only"
            ));
        }
        if let Some(p) = by {
            self.check_pid(p)
                .map_err(|e| e.about(crate::error::Field::By))?;
        }
        let (unit, words) = match kind {
            HotplugKind::Ram => (MEMORY_BLOCK, "whole 128 MiB memory blocks"),
            _ => (SUBSECTION, "2 MiB sub-sections (device memory)"),
        };
        if size == 0 || !size.is_multiple_of(unit) || !phys.is_multiple_of(unit) {
            return Err(err!(
                BadSize,
                "{} hot-add works in {words}: {phys:#x}+{size:#x} is not aligned",
                kind.name()
            )
            .about(if phys.is_multiple_of(unit) {
                crate::error::Field::Size
            } else {
                crate::error::Field::Phys
            }));
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
                .about(crate::error::Field::Phys)
            })?;
        if self.is_ram(phys, end - 1) {
            return Err(err!(
                BadAddress,
                "{phys:#x}-{:#x} overlaps RAM that is already present",
                end - 1
            )
            .about(crate::error::Field::Phys));
        }
        let l = self.layout.clone();
        let vm_start = l.vmemmap_base.unwrap_or(0) + (phys >> PAGE_SHIFT) * STRUCT_PAGE_SIZE;
        let vm_end = vm_start + (size >> PAGE_SHIFT) * STRUCT_PAGE_SIZE;
        let vm_lo = vm_start & !((2 << 20) - 1);
        let vm_hi = align_up(vm_end, 2 << 20).unwrap_or(u64::MAX);
        let bound =
            self.table_bound(l.page_offset + phys, size) + self.table_bound(vm_lo, vm_hi - vm_lo);
        self.check_frames(bound)?;
        self.hotplugged.push((phys, size));
        let flags = bits::PAGE_KERNEL | self.nx();
        let b = self.beh;
        // arch_add_memory() -> kernel_physical_mapping_init(): the direct map, synced by
        // sync_global_pgds() when a top-level entry changed.
        let dm = self.map_contig(l.page_offset + phys, phys, size, flags, true, Why::Hotplug)?;
        let dm_end = l.page_offset + end;
        self.after_hotplug(
            l.page_offset + phys,
            dm_end,
            dm,
            b.hotadd,
            HotPath::DirectMap,
        );
        if kind == HotplugKind::Dax {
            // vmemmap_populate_compound_pages(): 4 KiB pages, and no sync before 6.17.
            let vmm = self.map_contig(vm_lo, phys, vm_hi - vm_lo, flags, false, Why::Hotplug)?;
            self.after_hotplug(vm_lo, vm_hi, vmm, b.hotadd_device, HotPath::Compound);
            return Ok(self.finish(Value::Address(vm_start)));
        }
        // vmemmap_populate(): backed by the new memory itself, 2 MiB leaves.
        let vmm = self.map_contig(vm_lo, phys, vm_hi - vm_lo, flags, true, Why::Hotplug)?;
        let at_install = matches!(b.hotadd, HotAdd::AtInstall(_));
        if at_install {
            self.after_hotplug(vm_lo, vm_hi, vmm, b.hotadd, HotPath::Vmemmap);
        }
        // vmemmap_use_new_sub_pmd(): the unused part of a new vmemmap PMD is filled with
        // PAGE_UNUSED by the hot-adding process, before vmemmap_populate()'s final sync.
        let unaligned = vm_start != vm_lo || vm_end != vm_hi;
        if let Some(pid) = by.filter(|_| b.hotadd_early_touch && unaligned) {
            let va = if vm_start != vm_lo { vm_lo } else { vm_end };
            let root = self.procs[&pid].pgd;
            let (_, got) = self.walk(root, va);
            if got.is_err() {
                self.m.oopses += 1;
                self.events.push(Event::Fault {
                    pid,
                    va,
                    fixed: false,
                });
                self.events.push(Event::Note {
                    text: format!(
                        "process {pid} oopsed writing PAGE_UNUSED at {va:#x} (vmemmap_use_new_sub_pmd()) before the final sync_global_pgds(): the hot-add stops"
                    ),
                });
                return Ok(self.finish(Value::Address(vm_start)));
            }
            self.events.push(Event::Note {
                text: format!(
                    "process {pid} wrote PAGE_UNUSED at {va:#x} (vmemmap_use_new_sub_pmd())"
                ),
            });
        }
        if !at_install {
            self.after_hotplug(vm_lo, vm_hi, vmm, b.hotadd, HotPath::Vmemmap);
        }
        Ok(self.finish(Value::Address(vm_start)))
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
}
