//! Simulated physical memory: a frame allocator over RAM and the page-table pages that
//! live in some of those frames.
//!
//! Only page-table pages hold contents; data frames (what vmalloc maps) are just counted.
//! Tables are stored only where they exist (a frame index of four bytes per frame handed
//! out points into a list of tables) and may be pointed to by any number of parents, as
//! the kernel shares lower tables between processes.

use crate::error::{err, Result};
use crate::mode::{Mode, PAGE_SHIFT};

/// A process id. The reference (`init_mm`) is not a process.
pub type Pid = u32;

/// Who a page-table page belongs to, for accounting and for freeing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, serde(tag = "kind", content = "pid", rename_all = "lowercase"))]
pub enum Owner {
    /// The kernel: the reference table and the lower tables every process shares.
    Kernel,
    /// One process: its top-level table and whatever is private to it.
    Process(Pid),
}

/// What a sync rule does with one entry, given the reference's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave it.
    Keep,
    /// Copy the reference's entry.
    Copy,
    /// Leave it: both are present and point at different tables (a `BUG_ON`).
    Bug,
}

/// A table's entries, stored at the width the hardware uses (4 bytes on 2-level), so the
/// model costs about as much memory as the tables it simulates.
#[derive(Debug, Clone)]
enum Entries {
    W32(Box<[u32]>),
    W64(Box<[u64]>),
}

/// One page-table page.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its depth: an index into [`Mode::levels`].
    pub depth: u8,
    /// Who it belongs to.
    pub owner: Owner,
    entries: Entries,
}

impl Table {
    /// The raw entry at `index`.
    pub fn get(&self, index: usize) -> u64 {
        match &self.entries {
            Entries::W32(e) => e[index] as u64,
            Entries::W64(e) => e[index],
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match &self.entries {
            Entries::W32(e) => e.len(),
            Entries::W64(e) => e.len(),
        }
    }

    /// Writes the entry at `index`; returns the old value.
    pub fn set(&mut self, index: usize, value: u64) -> u64 {
        let old = self.get(index);
        match &mut self.entries {
            Entries::W32(e) => e[index] = value as u32,
            Entries::W64(e) => e[index] = value,
        }
        old
    }

    /// Whether entries `range` of this table and of `other` are equal (a block compare).
    pub fn same_range(&self, other: &Table, range: std::ops::Range<usize>) -> bool {
        // An element loop rather than slice `==`: that calls memcmp, a byte loop in wasm.
        fn eq<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
        }
        match (&self.entries, &other.entries) {
            (Entries::W32(a), Entries::W32(b)) => eq(&a[range.clone()], &b[range]),
            (Entries::W64(a), Entries::W64(b)) => eq(&a[range.clone()], &b[range]),
            _ => false,
        }
    }

    /// Calls `f(index, entry)` for each index in `range`, reading the entries at their
    /// stored width without a per-entry dispatch.
    pub fn scan(&self, range: std::ops::Range<usize>, mut f: impl FnMut(usize, u64)) {
        match &self.entries {
            Entries::W32(e) => e[range.clone()]
                .iter()
                .zip(range)
                .for_each(|(v, i)| f(i, *v as u64)),
            Entries::W64(e) => e[range.clone()]
                .iter()
                .zip(range)
                .for_each(|(v, i)| f(i, *v)),
        }
    }

    /// Brings entries `start..start + refs.len()` in step with `refs` as `rule` decides
    /// for each (entry, reference) pair: [`Action::Copy`] stores the reference's value;
    /// [`Action::Bug`] and [`Action::Keep`] leave the entry. Returns how many entries were
    /// copied and whether any was a `Bug` (those are left as they were, so a later
    /// [`Table::scan`] with the same rule finds them).
    ///
    /// The hot loop of a sync pass: nothing in it calls out or allocates, so its few
    /// values stay in registers (in wasm, a value the loop keeps across a call is spilled
    /// to the stack and reloaded on every entry).
    pub fn update_from(
        &mut self,
        start: usize,
        refs: &[u64],
        rule: impl Fn(u64, u64) -> Action,
    ) -> (u64, bool) {
        let mut copied = 0;
        let mut bug = false;
        macro_rules! walk {
            ($e:expr, $t:ty) => {{
                let e = &mut $e[start..start + refs.len()];
                for (slot, &k) in e.iter_mut().zip(refs) {
                    let p = *slot as u64;
                    match rule(p, k) {
                        Action::Keep => {}
                        Action::Copy => {
                            *slot = k as $t;
                            copied += 1;
                        }
                        Action::Bug => bug = true,
                    }
                }
            }};
        }
        match &mut self.entries {
            Entries::W32(e) => walk!(e, u32),
            Entries::W64(e) => walk!(e, u64),
        }
        (copied, bug)
    }

    /// Whether the table has no entries (never: tables are whole pages).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The first frame the allocator hands out: everything below 16 MiB is taken by the
/// kernel image, the ISA/BIOS ranges and early allocations in this model.
pub const FIRST_FREE_PFN: u64 = (16 << 20) >> PAGE_SHIFT;

/// Physical memory: frames and the page tables stored in them.
#[derive(Debug, Clone)]
pub struct Memory {
    mode: Mode,
    next_pfn: u64,
    end_pfn: u64,
    free: Vec<u64>,
    /// Per frame from [`FIRST_FREE_PFN`] up to the highest handed out: 1 + the index in
    /// `tables` of the table it holds, or 0 (a data frame, or free). A lookup is an index,
    /// not a hash: a frame number is small and dense, as the allocator hands them out.
    slot: Vec<u32>,
    /// The page-table pages, in no order; `pfns[i]` is the frame of `tables[i]`.
    tables: Vec<Table>,
    pfns: Vec<u64>,
    data_frames: u64,
    owners: crate::vec_map::VecMap<Owner, u64>,
}

impl Memory {
    /// Memory of a machine of `mode` whose usable RAM ends at `ram_top`.
    pub fn new(mode: Mode, ram_top: u64) -> Memory {
        Memory {
            mode,
            next_pfn: FIRST_FREE_PFN,
            end_pfn: ram_top >> PAGE_SHIFT,
            free: Vec::new(),
            slot: Vec::new(),
            tables: Vec::new(),
            pfns: Vec::new(),
            data_frames: 0,
            owners: Default::default(),
        }
    }

    /// Frames still free.
    pub fn free_frames(&self) -> u64 {
        self.end_pfn.saturating_sub(self.next_pfn) + self.free.len() as u64
    }

    fn take_frame(&mut self) -> Result<u64> {
        if let Some(pfn) = self.free.pop() {
            return Ok(pfn);
        }
        if self.next_pfn >= self.end_pfn {
            return Err(err!(
                OutOfMemory,
                "no free physical frame is left; use less memory or configure more RAM"
            ));
        }
        self.next_pfn += 1;
        Ok(self.next_pfn - 1)
    }

    /// Allocates a data frame (one that holds no page table).
    ///
    /// # Errors
    /// `OutOfMemory` when RAM is exhausted.
    pub fn alloc_data(&mut self) -> Result<u64> {
        let pfn = self.take_frame()?;
        self.data_frames += 1;
        Ok(pfn)
    }

    /// Frees a data frame.
    pub fn free_data(&mut self, pfn: u64) {
        self.data_frames -= 1;
        self.free.push(pfn);
    }

    /// Allocates a zeroed page-table page of `depth` for `owner`.
    ///
    /// # Errors
    /// `OutOfMemory` when RAM is exhausted.
    pub fn alloc_table(&mut self, depth: usize, owner: Owner) -> Result<u64> {
        let pfn = self.take_frame()?;
        let n = self.mode.levels()[depth].entries();
        let entries = if self.mode == Mode::X86_32 {
            Entries::W32(vec![0u32; n].into_boxed_slice())
        } else {
            Entries::W64(vec![0u64; n].into_boxed_slice())
        };
        *self.owners.get_or_insert(owner, 0) += 1;
        let at = (pfn - FIRST_FREE_PFN) as usize;
        if at >= self.slot.len() {
            self.slot.resize(at + 1, 0);
        }
        self.tables.push(Table {
            depth: depth as u8,
            owner,
            entries,
        });
        self.pfns.push(pfn);
        self.slot[at] = self.tables.len() as u32;
        Ok(pfn)
    }

    /// Frees a page-table page.
    pub fn free_table(&mut self, pfn: u64) {
        if let Some(i) = self.index(pfn) {
            self.slot[(pfn - FIRST_FREE_PFN) as usize] = 0;
            let t = self.tables.swap_remove(i);
            self.pfns.swap_remove(i);
            if let Some(&moved) = self.pfns.get(i) {
                self.slot[(moved - FIRST_FREE_PFN) as usize] = i as u32 + 1;
            }
            if let Some(n) = self.owners.get_mut(&t.owner) {
                *n -= 1;
                if *n == 0 {
                    self.owners.remove(&t.owner);
                }
            }
            self.free.push(pfn);
        }
    }

    /// The index in `tables` of the table in frame `pfn`, if that frame holds one.
    #[inline]
    fn index(&self, pfn: u64) -> Option<usize> {
        let at = usize::try_from(pfn.checked_sub(FIRST_FREE_PFN)?).ok()?;
        match self.slot.get(at) {
            Some(&s) if s != 0 => Some(s as usize - 1),
            _ => None,
        }
    }

    /// The table in frame `pfn`, if that frame holds one.
    pub fn table(&self, pfn: u64) -> Option<&Table> {
        self.index(pfn).map(|i| &self.tables[i])
    }

    /// Reads entry `index` of the table in `pfn` (0 when there is no such table).
    pub fn get(&self, pfn: u64, index: usize) -> u64 {
        self.table(pfn).map_or(0, |t| t.get(index))
    }

    /// Writes entry `index` of the table in `pfn`, returning the old value.
    pub fn set(&mut self, pfn: u64, index: usize, value: u64) -> u64 {
        self.table_mut(pfn).map_or(0, |t| t.set(index, value))
    }

    /// The table in frame `pfn`, to change it.
    pub fn table_mut(&mut self, pfn: u64) -> Option<&mut Table> {
        self.index(pfn).map(|i| &mut self.tables[i])
    }

    /// Copies every entry of table `from` into table `to` (same depth), as `memcpy`
    /// of a whole page does.
    pub fn copy_table(&mut self, from: u64, to: u64) {
        // In place: no copy of the page allocated, and none freed.
        let n = self.table(from).map_or(0, Table::len);
        self.copy_range(from, to, 0..n);
    }

    /// Copies entries `range` of table `from` into table `to` (same width), as
    /// `clone_pgd_range()` does: one copy, not a lookup of both tables per entry.
    pub fn copy_range(&mut self, from: u64, to: u64, range: std::ops::Range<usize>) {
        if from == to {
            return;
        }
        let (Some(a), Some(b)) = (self.index(from), self.index(to)) else {
            return;
        };
        let [src, dst] = match self.tables.get_disjoint_mut([a, b]) {
            Ok(pair) => pair,
            Err(_) => return,
        };
        fn copy<T: Copy>(a: &[T], b: &mut [T], range: std::ops::Range<usize>) {
            if let (Some(a), Some(b)) = (a.get(range.clone()), b.get_mut(range)) {
                b.copy_from_slice(a);
            }
        }
        match (&src.entries, &mut dst.entries) {
            (Entries::W32(a), Entries::W32(b)) => copy(a, b, range),
            (Entries::W64(a), Entries::W64(b)) => copy(a, b, range),
            _ => {}
        }
    }

    /// Number of page-table pages allocated.
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// Number of data frames allocated.
    pub fn data_count(&self) -> u64 {
        self.data_frames
    }

    /// Page-table pages per owner.
    pub fn count_by_owner(&self, owner: Owner) -> u64 {
        self.owners.get(&owner).copied().unwrap_or(0)
    }

    /// Every table frame, sorted (for deterministic hashing and checks).
    pub fn table_pfns(&self) -> Vec<u64> {
        let mut v = self.pfns.clone();
        sort_frames(&mut v);
        v
    }

    /// The table frames of `owner`, sorted.
    pub fn tables_of(&self, owner: Owner) -> Vec<u64> {
        let mut v: Vec<u64> = self
            .tables
            .iter()
            .zip(&self.pfns)
            .filter(|(t, _)| t.owner == owner)
            .map(|(_, pfn)| *pfn)
            .collect();
        sort_frames(&mut v);
        v
    }
}

/// Sorts frame numbers: a least-significant-digit radix sort, a byte per pass and only
/// as many passes as the largest number has bytes (a frame number has five at most).
/// As fast as `sort_unstable` on the engine's few thousand frames, and a few hundred
/// bytes of wasm where `sort_unstable`'s quicksort is 3 kB (docs/wasm-size.md).
fn sort_frames(v: &mut Vec<u64>) {
    let max = v.iter().copied().max().unwrap_or(0);
    let mut other = vec![0u64; v.len()];
    let mut shift = 0;
    while shift < u64::BITS && max >> shift != 0 {
        let mut at = [0usize; 256];
        for &x in v.iter() {
            at[(x >> shift) as usize & 0xff] += 1;
        }
        let mut sum = 0;
        for n in &mut at {
            (*n, sum) = (sum, sum + *n);
        }
        for &x in v.iter() {
            let d = (x >> shift) as usize & 0xff;
            other[at[d]] = x;
            at[d] += 1;
        }
        std::mem::swap(v, &mut other);
        shift += 8;
    }
}

#[cfg(test)]
mod tests {
    use super::{sort_frames, Memory, Owner, FIRST_FREE_PFN};
    use crate::mode::Mode;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        /// The frame index against a map of frame to table: after any run of table and
        /// data allocations and frees, every frame finds the table it holds (its owner,
        /// depth and entries), and nothing else; the lists of frames agree.
        #[test]
        fn the_frame_index_finds_every_table_and_only_tables(
            steps in proptest::collection::vec((0u8..4, any::<u16>(), any::<u64>()), 1..300)
        ) {
            let mut m = Memory::new(Mode::X86_64, 1 << 32);
            let mut model: BTreeMap<u64, (Owner, usize, u64)> = BTreeMap::new();
            let mut data = Vec::new();
            for (what, pick, value) in steps {
                match what {
                    0 => {
                        let owner = if pick % 3 == 0 { Owner::Kernel } else { Owner::Process(u32::from(pick % 7)) };
                        let depth = usize::from(pick % 4);
                        let pfn = m.alloc_table(depth, owner).unwrap();
                        let index = usize::from(pick) % 512;
                        m.set(pfn, index, value);
                        prop_assert!(model.insert(pfn, (owner, index, value)).is_none());
                    }
                    1 if !model.is_empty() => {
                        let pfn = *model.keys().nth(usize::from(pick) % model.len()).unwrap();
                        m.free_table(pfn);
                        model.remove(&pfn);
                    }
                    2 => data.push(m.alloc_data().unwrap()),
                    _ if !data.is_empty() => m.free_data(data.swap_remove(usize::from(pick) % data.len())),
                    _ => {}
                }
            }
            prop_assert_eq!(m.table_pfns(), model.keys().copied().collect::<Vec<_>>());
            prop_assert_eq!(m.table_count(), model.len());
            for (&pfn, &(owner, index, value)) in &model {
                let t = m.table(pfn).unwrap();
                prop_assert_eq!(t.owner, owner);
                prop_assert_eq!(m.get(pfn, index), value);
            }
            for &pfn in &data {
                prop_assert!(m.table(pfn).is_none(), "a data frame holds no table");
            }
            for pfn in [0, FIRST_FREE_PFN - 1, u64::MAX, 1 << 40] {
                prop_assert!(m.table(pfn).is_none());
                prop_assert_eq!(m.get(pfn, 0), 0);
            }
            for owner in [Owner::Kernel, Owner::Process(1), Owner::Process(2)] {
                let want: Vec<u64> = model.iter().filter(|(_, v)| v.0 == owner).map(|(p, _)| *p).collect();
                prop_assert_eq!(m.tables_of(owner), want);
                prop_assert_eq!(m.count_by_owner(owner), model.values().filter(|v| v.0 == owner).count() as u64);
            }
        }
    }

    /// The radix sort against `sort_unstable`, on lists of every shape it meets: empty,
    /// one frame, zeros, duplicates, and frames of one to eight bytes.
    #[test]
    fn sort_frames_sorts() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for (n, bits) in [
            (0, 8),
            (1, 8),
            (5, 1),
            (300, 12),
            (4000, 24),
            (4000, 40),
            (999, 64),
        ] {
            let mut v: Vec<u64> = (0..n)
                .map(|_| {
                    if bits == 64 {
                        next()
                    } else {
                        next() % (1 << bits)
                    }
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            sort_frames(&mut v);
            assert_eq!(v, want, "{n} frames of {bits} bits");
        }
    }
}
