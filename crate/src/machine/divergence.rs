//! How each process's kernel slots compare with the reference.

use super::sync::SyncTables;
use super::{present, Divergence, DivergenceCounts, Machine};
use crate::memory::Pid;

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

impl Machine {
    /// The reference's raw entry at global sync slot `slot`.
    pub fn reference_entry(&self, slot: usize) -> u64 {
        self.sync_entry(self.reference, slot)
    }

    /// A process's raw entry at global sync slot `slot`.
    pub fn process_entry(&self, pid: Pid, slot: usize) -> Option<u64> {
        self.procs.get(&pid).map(|p| self.sync_entry(p.pgd, slot))
    }

    pub(super) fn is_private(&self, slot: usize) -> bool {
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
    /// [`Layout::first_kernel_slot`](crate::layout::Layout::first_kernel_slot).
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
    pub(super) fn sync_tables(&self, root: u64) -> SyncTables {
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
    pub(super) fn sync_row(&self, root: u64) -> Vec<u64> {
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
}
