//! The sync level: how a process's slot is brought in step with the reference (`Rule`),
//! sync passes over `pgd_list`, and what each strategy does after the reference's kernel
//! half changed.

use super::{present, Machine};
use crate::config::Strategy;
use crate::event::{Event, Why};
use crate::memory::{Action, Owner, Pid, Table};
use crate::mode::Mode;

/// How one slot of one process is brought in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
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

/// A sync pass over at most this many (directory, slot) pairs reports each copy as an
/// event; a bigger one only its summary (which always counts them all). An eager push of
/// one slot to the page's 64 processes is still told entry by entry; one to 1,000 is a
/// summary, not 1,000 events to pass to JavaScript (the page shows 14 per step anyway).
const EVENT_LIMIT: usize = 64;

impl Machine {
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

    pub(super) fn sync_entry(&self, root: u64, slot: usize) -> u64 {
        self.sync_loc(root, slot)
            .map_or(0, |(t, i)| self.mem.get(t, i))
    }

    /// One sync pass over `slots` of every process on `pgd_list`.
    pub(super) fn sync_pass(
        &mut self,
        function: &'static str,
        slots: std::ops::Range<usize>,
        rule: Rule,
    ) {
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
    pub(super) fn sync_dirs(
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
    pub(super) fn arch_sync(&mut self, start: u64, end: u64) {
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
    pub(super) fn after_change(
        &mut self,
        start: u64,
        end: u64,
        mask: u32,
        defer: bool,
        vmalloc: bool,
    ) {
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

    pub(super) fn after_hotplug(&mut self, start: u64, end: u64, mask: u32, synced: bool) {
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
pub(super) struct SyncTables {
    items: [(usize, u64); 4],
    len: usize,
}

impl SyncTables {
    pub(super) fn push(&mut self, base: usize, pfn: u64) {
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
