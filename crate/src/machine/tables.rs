//! Building and clearing tables in the reference: table allocation, entries, contiguous
//! and huge mappings, unmapping.

use super::{present, Machine};
use crate::error::{err, Result};
use crate::event::{Event, Why};
use crate::memory::Owner;
use crate::mode::{bits, Mode, PAGE_SIZE};

impl Machine {
    pub(super) fn alloc_table(&mut self, depth: usize, owner: Owner) -> Result<u64> {
        let pfn = self.mem.alloc_table(depth, owner)?;
        self.m.tables_allocated += 1;
        let level = self.cfg.mode.levels()[depth].level;
        self.events
            .push(Event::TableAllocated { owner, level, pfn });
        Ok(pfn)
    }

    pub(super) fn free_table(&mut self, pfn: u64) {
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
    pub(super) fn walk_alloc(
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
    pub(super) fn ensure_tables(&mut self, start: u64, end: u64, depth: usize) -> Result<u32> {
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
    pub(super) fn map_contig(
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
    pub(super) fn map_with(
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
    pub(super) fn unmap_range(&mut self, va: u64, size: u64, why: Why) -> u32 {
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
    pub(super) fn table_bound(&self, va: u64, size: u64) -> u64 {
        let lv = self.cfg.mode.levels();
        (0..lv.len() - 1)
            .map(|d| {
                let span = lv[d].span();
                ((va + size - 1) / span - va / span) + 1
            })
            .sum()
    }
}
