//! The operations: allocate, map, unmap, fork, exit, sync, resume, hotplug, ldt. Each
//! returns an [`OpResult`] with its events and metrics.

use super::sync::Rule;
use super::{
    align_up, Area, AreaKind, Machine, OpResult, Process, SyncKind, Value, MEMORY_BLOCK,
    STRUCT_PAGE_SIZE,
};
use crate::config::{Config, Strategy};
use crate::error::{err, Result};
use crate::event::{Event, Why};
use crate::memory::{Owner, Pid};
use crate::mode::{bits, Mode, PAGE_SHIFT, PAGE_SIZE};

impl Machine {
    // ----- operations -----

    pub(super) fn finish(&mut self, value: Value) -> OpResult {
        let metrics = std::mem::take(&mut self.m);
        self.total.add(&metrics);
        OpResult {
            value,
            events: std::mem::take(&mut self.events),
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
