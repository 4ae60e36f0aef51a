//! The sync level: how a process's slot is brought in step with the reference (the
//! era's [`Rule`]), sync passes over `pgd_list`, and what the era's row says to do after
//! the reference's kernel half changed ([`crate::era::Behaviour`]).

use super::{present, Machine};
use crate::era::{HotAdd, Pass, Rule, Span, Visit};
use crate::event::{Event, Why};
use crate::memory::{Action, Owner, Pid, Table};

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

    /// One sync pass over `slots` of every process on `pgd_list`. The directories it
    /// visits follow the kernel's loop: every pgd for every slot, none for a slot empty
    /// in the reference (`sync_global_pgds()`), or only the first for such a slot
    /// (`vmalloc_sync_all()` up to 5.2).
    pub(super) fn sync_pass(
        &mut self,
        function: &'static str,
        slots: std::ops::Range<usize>,
        rule: Rule,
        visit: Visit,
    ) {
        let roots: Vec<(Pid, u64)> = self.procs.iter().map(|(p, v)| (*p, v.pgd)).collect();
        let (copied, present_slots) = self.sync_dirs(
            &roots,
            slots.clone(),
            rule,
            Why::Sync,
            visit != Visit::Every,
        );
        let n = slots.len() as u64;
        let dirs = roots.len() as u64;
        let empty = n.saturating_sub(present_slots);
        self.m.directories_visited += match visit {
            Visit::Every => n * dirs,
            Visit::SkipEmpty => present_slots * dirs,
            Visit::StopAtEmpty => present_slots * dirs + empty * dirs.min(1),
        };
        self.m.sync_passes += 1;
        self.events.push(Event::SyncPass {
            function,
            slots: n,
            directories: dirs,
            copied,
        });
    }

    /// Runs `pass` for a change of `[start, end)`: the slots its loop walks, by its rule.
    pub(super) fn run_pass(&mut self, pass: Pass, start: u64, end: u64) {
        let vm = self.layout.vmalloc_slots();
        let slots = match pass.span {
            Span::Changed => self.layout.slots_touching(start, end),
            // The 32-bit loop runs from start's PMD to VMALLOC_END, not to end.
            Span::ToVmallocEnd => self.layout.slot_of(start).min(vm.end)..vm.end,
            Span::Vmalloc => vm,
            Span::ToFixaddrTop => vm.start..self.layout.slot_of(self.layout.fixaddr_top - 1) + 1,
        };
        self.sync_pass(pass.function, slots, pass.rule, pass.visit);
    }

    /// Brings `slots` of each page directory in `roots` in step with the reference under
    /// `rule`; each directory's sync-level tables are looked up once and compared in
    /// place. Returns the entries copied and, when `count_present`, how many of `slots`
    /// the reference has (else 0); `BUG_ON`s are recorded as events.
    pub(super) fn sync_dirs(
        &mut self,
        roots: &[(Pid, u64)],
        slots: std::ops::Range<usize>,
        rule: Rule,
        why: Why,
        count_present: bool,
    ) -> (u64, u64) {
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
        let present_slots = if count_present {
            refs.iter().filter(|e| present(**e)).count() as u64
        } else {
            0
        };
        (copied, present_slots)
    }

    /// The kernel's name of the `pgtbl_mod_mask` bit for this mode's sync level.
    pub fn sync_mask_bit(&self) -> &'static str {
        self.cfg.mode.sync_mask_bit()
    }

    /// What the era's row does after the reference's kernel half changed in
    /// `[start, end)` with `mask` (bit d set: an entry at depth d was filled or cleared),
    /// by a mapping or by an unmapping. A tracked sync of a `preempt`ed allocation waits
    /// for [`Machine::resume`].
    pub(super) fn after_change(
        &mut self,
        start: u64,
        end: u64,
        mask: u32,
        preempt: bool,
        unmapping: bool,
    ) {
        let depth = self.cfg.mode.sync_depth();
        if mask & (1 << depth) == 0 {
            return;
        }
        let b = self.beh;
        let pass = if unmapping { b.on_unmap } else { b.on_map };
        let defer = preempt && pass.is_some_and(|p| p.tracked);
        let action = match pass {
            Some(_) if defer => {
                "arch_sync_kernel_mappings() pending: the allocating thread was preempted"
            }
            Some(p) if p.tracked => "arch_sync_kernel_mappings()",
            Some(p) if unmapping && p.function == "vmalloc_sync_unmappings" => {
                "vmalloc_sync_unmappings() from __purge_vmap_area_lazy(), before the range is reused"
            }
            Some(p) => p.function,
            None if b.shared_kernel_pmds => "nothing: every process shares the kernel PMDs",
            None if b.prealloc => "nothing: the vmalloc slots never change",
            None if unmapping => "nothing: unmappings are not synced; a process keeps its copy",
            None if b.fault.is_some() => "nothing now: a process that lacks it will fault",
            None => "nothing: no sync",
        };
        self.events.push(Event::SyncLevelChanged {
            start,
            end,
            mask_bit: self.sync_mask_bit(),
            action,
        });
        match pass {
            Some(_) if defer => self.pending.push((start, end)),
            Some(p) => self.run_pass(p, start, end),
            None => {}
        }
    }

    /// What a hot-add path does about the top-level entries it filled in `[start, end)`:
    /// `how` is the era's rule for that path.
    pub(super) fn after_hotplug(
        &mut self,
        start: u64,
        end: u64,
        mask: u32,
        how: HotAdd,
        path: HotPath,
    ) {
        if mask & 1 == 0 {
            return;
        }
        let (action, pass) = match (how, path) {
            (HotAdd::Unsynced, HotPath::Compound) => (
                "nothing: vmemmap_populate_compound_pages() does not sync",
                None,
            ),
            (HotAdd::Unsynced, _) => ("nothing: this strategy syncs no hot-add", None),
            (HotAdd::AtEnd(rule), HotPath::DirectMap) => (
                "sync_global_pgds() at the end of kernel_physical_mapping_init()",
                Some(("sync_global_pgds", rule)),
            ),
            (HotAdd::AtEnd(rule), _) => (
                "sync_global_pgds() at the end of vmemmap_populate()",
                Some(("sync_global_pgds", rule)),
            ),
            (HotAdd::AtInstall(Rule::Exact), _) => (
                "pushed to every page directory (eager)",
                Some(("eager push (an idealisation)", Rule::Exact)),
            ),
            (HotAdd::AtInstall(rule), _) => (
                "p4d/pgd_populate_kernel() sync when the entry is installed",
                Some(("arch_sync_kernel_mappings", rule)),
            ),
        };
        self.events.push(Event::SyncLevelChanged {
            start,
            end,
            mask_bit: self.sync_mask_bit(),
            action,
        });
        if let Some((function, rule)) = pass {
            let slots = self.layout.slots_touching(start, end);
            self.sync_pass(function, slots, rule, Visit::SkipEmpty);
        }
    }
}

/// Which hot-add path filled a top-level entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HotPath {
    /// `kernel_physical_mapping_init()`: the direct map.
    DirectMap,
    /// `vmemmap_populate()`: the struct pages of RAM and pmem.
    Vmemmap,
    /// `vmemmap_populate_compound_pages()`: the struct pages of device-DAX.
    Compound,
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
