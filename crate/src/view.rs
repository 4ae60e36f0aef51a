//! What the page and the CLI read: [`StepResult`], [`TableBytes`], [`ProcessInfo`],
//! [`SlotInfo`], [`LayoutInfo`] and [`RegionInfo`], and the [`Session`] methods that
//! build them. Also reachable through [`crate::script`].

use crate::error::{err, Error, Result};
use crate::event::Metrics;
use crate::layout::Layout;
use crate::machine::{Divergence, DivergenceCounts, OpResult};
use crate::memory::Pid;
use crate::mode::Mode;
use crate::session::Session;

/// What one scenario step did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(
    test,
    serde(tag = "kind", content = "result", rename_all = "lowercase")
)]
pub enum StepResult {
    /// An operation ran.
    Op(OpResult),
    /// An operation was refused, as the next line expected.
    Refused(Error),
    /// An expectation held.
    Checked,
    /// Narration.
    Text,
}

/// Words per process in [`Session::process_stats`].
pub const PROCESS_STAT_FIELDS: usize = 7;

/// Page-table memory in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct TableBytes {
    /// The kernel's: the reference and the lower tables all processes share.
    pub kernel: u64,
    /// The kernel's and every process's.
    pub total: u64,
}

/// What the front end shows for a process.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct ProcessInfo {
    /// Its name.
    pub name: String,
    /// Its pid.
    pub pid: Pid,
    /// Page-table bytes private to it.
    pub table_bytes: u64,
    /// How its kernel slots compare with the reference.
    pub divergence: DivergenceCounts,
}

/// One slot of one table, decoded for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct SlotInfo {
    /// The index among the kernel slots (0 = the first kernel slot).
    pub slot: usize,
    /// The index in the table of the sync level.
    pub index: usize,
    /// The first address the slot covers.
    pub va: u64,
    /// The last address the slot covers.
    pub last: u64,
    /// The region that covers most of it.
    pub region: String,
    /// The sync level's name.
    pub level: String,
    /// The raw entry.
    pub raw: u64,
    /// The reference's raw entry.
    pub reference_raw: u64,
    /// Whether present.
    pub present: bool,
    /// `empty`, `table` or `leaf`.
    pub kind: String,
    /// ptdump's flag names that are set.
    pub flags: Vec<String>,
    /// The physical address it points to (a table, or a huge page).
    pub target: Option<u64>,
    /// The divergence class (`same` for the reference).
    pub divergence: String,
}

/// The layout as the CLI's `layout --json` and the front end see it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct LayoutInfo {
    /// The mode.
    pub mode: String,
    /// `PAGE_OFFSET`.
    pub page_offset: String,
    /// `high_memory`.
    pub high_memory: String,
    /// `VMALLOC_START`.
    pub vmalloc_start: String,
    /// `VMALLOC_END` as the kernel defines it.
    pub vmalloc_end: String,
    /// `PKMAP_BASE` (32-bit).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub pkmap_base: Option<String>,
    /// `FIXADDR_START`.
    pub fixaddr_start: String,
    /// `FIXADDR_TOT_START`.
    pub fixaddr_tot_start: String,
    /// `CPU_ENTRY_AREA_BASE`.
    pub cpu_entry_area_base: String,
    /// `LDT_BASE_ADDR`.
    pub ldt_base: String,
    /// `VMEMMAP_START` (64-bit).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub vmemmap_base: Option<String>,
    /// The sync level's name.
    pub sync_level: String,
    /// Bytes per page-table entry: 4 on 2-level, 8 on PAE and 64-bit.
    pub entry_bytes: u64,
    /// Bytes one sync-level slot covers.
    pub slot_span: String,
    /// Sync-level slots the vmalloc area touches (rounded outward).
    pub vmalloc_sync_slots: u64,
    /// The first and one-past-last kernel-slot indices (from 0) the vmalloc area touches.
    pub vmalloc_slot_range: [u64; 2],
    /// Sync-level slots of the kernel half.
    pub kernel_sync_slots: u64,
    /// The global index of the first kernel slot.
    pub first_kernel_slot: u64,
    /// Page-table bytes to pre-allocate every vmalloc slot.
    pub prealloc_bytes: u64,
    /// `VmallocTotal` in kB.
    pub vmalloc_total_kb: u64,
    /// The email's estimate of PMD entries to sync (PAE only): kernel PMDs − direct map −
    /// 4 (the 8 MiB hole) − 4 (the end of the space).
    #[cfg_attr(test, serde(skip_serializing_if = "Option::is_none"))]
    pub email_estimate_slots: Option<u64>,
    /// The regions, with addresses as hex strings.
    pub regions: Vec<RegionInfo>,
}

/// A region for [`LayoutInfo`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct RegionInfo {
    /// The kernel's name.
    pub name: String,
    /// The kind (for colour).
    pub kind: crate::layout::RegionKind,
    /// The region code (as in `slot_regions`).
    pub code: u8,
    /// The first byte, hex.
    pub start: String,
    /// The last byte, hex.
    pub last: String,
}

impl LayoutInfo {
    /// The summary of a layout.
    pub fn new(l: &Layout) -> LayoutInfo {
        let hex = |v: u64| format!("{v:#x}");
        let first = l.first_kernel_slot();
        let vm = l.vmalloc_slots();
        let span = l.mode.sync_geom().span();
        LayoutInfo {
            mode: l.mode.name().into(),
            page_offset: hex(l.page_offset),
            high_memory: hex(l.high_memory),
            vmalloc_start: hex(l.vmalloc_start),
            vmalloc_end: hex(l.vmalloc_end),
            pkmap_base: l.pkmap_base.map(hex),
            fixaddr_start: hex(l.fixaddr_start),
            fixaddr_tot_start: hex(l.fixaddr_tot_start),
            cpu_entry_area_base: hex(l.cpu_entry_area_base),
            ldt_base: hex(l.ldt_base),
            vmemmap_base: l.vmemmap_base.map(hex),
            sync_level: l.mode.sync_geom().level.name().into(),
            entry_bytes: l.mode.entry_bytes(),
            slot_span: hex(span),
            vmalloc_sync_slots: vm.len() as u64,
            vmalloc_slot_range: [(vm.start - first) as u64, (vm.end - first) as u64],
            kernel_sync_slots: l.kernel_sync_slots() as u64,
            first_kernel_slot: first as u64,
            prealloc_bytes: l.prealloc_bytes(),
            vmalloc_total_kb: l.vmalloc_total_kb(),
            email_estimate_slots: (l.mode == Mode::Pae).then(|| {
                let direct = (l.high_memory - l.page_offset) / span;
                (l.kernel_sync_slots() as u64)
                    .saturating_sub(direct + crate::layout::VMALLOC_OFFSET / span + 4)
            }),
            regions: l
                .regions
                .iter()
                .map(|r| RegionInfo {
                    name: r.name.into(),
                    kind: r.kind,
                    code: r.kind.code(),
                    start: hex(r.start),
                    last: hex(r.last),
                })
                .collect(),
        }
    }
}

impl Session {
    /// Every live process, in `pgd_list` order.
    pub fn processes(&self) -> Vec<ProcessInfo> {
        let names = self.names_by_pid();
        self.machine
            .all_divergence_counts()
            .into_iter()
            .filter_map(|(pid, divergence)| {
                let i = names.binary_search_by_key(&pid, |n| n.0).ok()?;
                Some(ProcessInfo {
                    name: names[i].1.to_string(),
                    pid,
                    table_bytes: self.machine.process_table_bytes(pid),
                    divergence,
                })
            })
            .collect()
    }

    /// The numbers of [`Session::processes`] as one flat array for a typed-array view,
    /// [`PROCESS_STAT_FIELDS`] words per process in `pgd_list` order: pid, same, missing,
    /// stale, different, private, page-table bytes (a process owns at most a few dozen KiB).
    pub fn process_stats(&self) -> Vec<u32> {
        let mut v = Vec::with_capacity(self.procs.len() * PROCESS_STAT_FIELDS);
        for (pid, d) in self.machine.all_divergence_counts() {
            let bytes = self.machine.process_table_bytes(pid);
            v.extend_from_slice(&[
                pid,
                d.same,
                d.missing,
                d.stale,
                d.different,
                d.private,
                u32::try_from(bytes).unwrap_or(u32::MAX),
            ]);
        }
        v
    }

    /// The names of the live processes in `pgd_list` order (the order of
    /// [`Session::process_stats`]).
    pub fn process_names(&self) -> Vec<String> {
        let v = self.names_by_pid();
        v.into_iter().map(|(_, n)| n.clone()).collect()
    }

    /// The live processes' pids and names, sorted by pid (`pgd_list` order): each name
    /// put in its pid's place among the machine's pids, which are in that order already
    /// (no sort, whose code would weigh some 6 kB in the wasm).
    fn names_by_pid(&self) -> Vec<(Pid, &String)> {
        let pids = self.machine.pids();
        let mut names: Vec<Option<&String>> = vec![None; pids.len()];
        for (name, pid) in &self.procs {
            if let Ok(i) = pids.binary_search(pid) {
                names[i] = Some(name);
            }
        }
        pids.into_iter()
            .zip(names)
            .filter_map(|(pid, name)| Some((pid, name?)))
            .collect()
    }

    /// The drawing bytes of a table (see [`Machine::cells`]); `None` is the reference.
    ///
    /// # Errors
    /// `UnknownProcess`.
    ///
    /// [`Machine::cells`]: crate::machine::Machine::cells
    pub fn cells(&self, process: Option<&str>) -> Result<Vec<u8>> {
        let pid = self.pid_opt(process)?;
        Ok(self.machine.cells(pid).unwrap_or_default())
    }

    /// The region code of every kernel slot.
    pub fn slot_regions(&self) -> Vec<u8> {
        let l = self.machine.layout();
        (l.first_kernel_slot()..l.total_slots())
            .map(|s| l.slot_region(s).code())
            .collect()
    }

    /// One kernel slot of a table, decoded.
    ///
    /// # Errors
    /// `UnknownProcess`; `BadAddress` for a slot beyond the kernel half.
    pub fn describe(&self, process: Option<&str>, slot: usize) -> Result<SlotInfo> {
        let pid = self.pid_opt(process)?;
        let l = self.machine.layout();
        if slot >= l.kernel_sync_slots() {
            return Err(err!(
                BadAddress,
                "slot {slot} is beyond the kernel half (0 to {})",
                l.kernel_sync_slots() - 1
            ));
        }
        let g = l.first_kernel_slot() + slot;
        let mode = l.mode;
        let k = self.machine.reference_entry(g);
        let raw = match pid {
            None => k,
            Some(p) => self.machine.process_entry(p, g).unwrap_or(0),
        };
        let present = raw & crate::mode::bits::PRESENT != 0;
        let depth = mode.sync_depth();
        let leaf = present && mode.is_leaf(depth, raw);
        let flags = crate::ptdump::flags(mode, raw, leaf)
            .split_whitespace()
            .map(String::from)
            .collect();
        let div = match pid {
            None => Divergence::Same,
            Some(_) => self.machine.classify(g, raw, k),
        };
        let va = l.slot_address(g);
        let region = l
            .region_of(va.max(l.kernel_start()))
            .map_or("hole", |r| r.name);
        Ok(SlotInfo {
            slot,
            index: mode.sync_geom().index(va),
            va,
            last: va + (mode.sync_geom().span() - 1),
            region: region.into(),
            level: mode.sync_geom().level.name().into(),
            raw,
            reference_raw: k,
            present,
            kind: if !present {
                "empty"
            } else if leaf {
                "leaf"
            } else {
                "table"
            }
            .into(),
            flags: if present { flags } else { Vec::new() },
            target: present.then_some(raw & mode.addr_mask()),
            divergence: div.name().into(),
        })
    }

    /// ptdump text of a table's kernel half, or of one kernel slot.
    ///
    /// # Errors
    /// `UnknownProcess`; `BadAddress` for a slot beyond the kernel half.
    pub fn ptdump(&self, process: Option<&str>, slot: Option<usize>) -> Result<String> {
        let pid = self.pid_opt(process)?;
        let l = self.machine.layout();
        let (start, end) = match slot {
            None => (
                l.kernel_start(),
                if l.mode.is_32bit() { 1 << 32 } else { 0 },
            ),
            Some(s) => {
                let info = self.describe(process, s)?;
                (info.va, info.last.wrapping_add(1))
            }
        };
        Ok(self.machine.ptdump(pid, start, end).unwrap_or_default())
    }

    /// The layout summary.
    pub fn layout_info(&self) -> LayoutInfo {
        LayoutInfo::new(self.machine.layout())
    }

    /// Page-table memory: the kernel's (reference and shared tables) and the total.
    pub fn table_bytes(&self) -> TableBytes {
        TableBytes {
            kernel: self.machine.kernel_table_bytes(),
            total: self.machine.total_table_bytes(),
        }
    }

    /// Cumulative metrics.
    pub fn metrics(&self) -> Metrics {
        self.machine.metrics()
    }

    /// The state hash (see [`Machine::state_hash`]).
    ///
    /// [`Machine::state_hash`]: crate::machine::Machine::state_hash
    pub fn state_hash(&self) -> u64 {
        self.machine.state_hash()
    }

    /// The names of the live allocations and their addresses.
    pub fn allocations(&self) -> Vec<(String, u64)> {
        self.allocs.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}
