//! The vmalloc area allocator: first fit with a guard page, and the checks every
//! allocation makes before it changes anything.

use super::{align_up, Machine};
use crate::error::{err, Result};
use crate::mode::PAGE_SIZE;

impl Machine {
    pub(super) fn find_gap(&self, size: u64, align: u64) -> Result<u64> {
        let (vs, ve) = self.layout.vmalloc_range();
        let need = size + PAGE_SIZE;
        let fail = || {
            err!(
                OutOfVmallocSpace,
                "no free gap of {need:#x} bytes (with its guard page, aligned to {align:#x}) is left in the vmalloc area [{vs:#x}, {ve:#x}); free something or ask for less"
            ).about(crate::error::Field::Size)
        };
        let mut cand = align_up(vs, align).ok_or_else(fail)?;
        for a in self.areas.values() {
            if cand.checked_add(need).is_some_and(|e| e <= a.start) {
                break;
            }
            cand = cand.max(align_up(a.start + a.size + PAGE_SIZE, align).ok_or_else(fail)?);
        }
        match cand.checked_add(need) {
            Some(e) if e <= ve => Ok(cand),
            _ => Err(fail()),
        }
    }

    pub(super) fn check_size(&self, size: u64) -> Result<u64> {
        let (vs, ve) = self.layout.vmalloc_range();
        if size == 0 {
            return Err(
                err!(BadSize, "size 0: ask for at least one byte").about(crate::error::Field::Size)
            );
        }
        match align_up(size, PAGE_SIZE) {
            Some(s) if s < ve - vs => Ok(s),
            _ => Err(err!(
                BadSize,
                "size {size:#x} is larger than the vmalloc area ({:#x} bytes)",
                ve - vs
            )
            .about(crate::error::Field::Size)),
        }
    }

    pub(super) fn check_frames(&self, frames: u64) -> Result<()> {
        if frames > self.mem.free_frames() {
            return Err(err!(
                OutOfMemory,
                "needs up to {frames} free frames and {} are left; free something or configure more RAM",
                self.mem.free_frames()
            ));
        }
        Ok(())
    }

    pub(super) fn is_ram(&self, first: u64, last: u64) -> bool {
        first < self.cfg.ram
            || self
                .hotplugged
                .iter()
                .any(|&(s, n)| first < s + n && last >= s)
    }
}
