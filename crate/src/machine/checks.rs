//! Checks of the whole state: its hash and the bookkeeping of tables.

use super::{present, AreaKind, Machine};
use crate::memory::Owner;

impl Machine {
    /// A hash of the whole state (tables, processes, allocations, metrics): equal states
    /// give equal hashes, natively and in wasm.
    pub fn state_hash(&self) -> u64 {
        let mut h = Fnv::new();
        h.bytes(crate::json_out::to_json(&self.cfg).as_bytes());
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
        h.bytes(crate::json_out::to_json(&self.total).as_bytes());
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
