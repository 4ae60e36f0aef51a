//! The table itself: for every era and building block, in every mode, the [`Behaviour`].
//! One function per row, so that a row reads as the kernel of that era behaved; the
//! sources of each row are in docs/kernel-history.md under the era's name.

use crate::era::{Behaviour, Call, Era, HotAdd, Pass, Policy, Rule, Span, Strategy, Visit};
use crate::mode::Mode;

/// The behaviour of `policy` in `mode` with PTI on or off.
pub fn behaviour(policy: Policy, mode: Mode, pti: bool) -> Behaviour {
    match policy {
        Policy::Era(e) => era(e, mode, pti),
        Policy::Strategy(s) => block(s, mode),
    }
}

// ----- the passes, named after the kernel functions that run them -----

/// 32-bit `vmalloc_sync_all()` up to 5.2 (arch/x86/mm/fault.c): from
/// `VMALLOC_START & PMD_MASK` to `FIXADDR_TOP`, `vmalloc_sync_one()` only fills, and the
/// walk of `pgd_list` stops where the reference's entry is absent.
const SYNC_ALL_5_2_32: Pass = Pass {
    function: "vmalloc_sync_all",
    rule: Rule::FillMissing,
    span: Span::ToFixaddrTop,
    visit: Visit::StopAtEmpty,
    tracked: false,
};

/// 64-bit `vmalloc_sync_all()` / `vmalloc_sync_mappings()`: `sync_global_pgds()` over
/// the vmalloc area (arch/x86/mm/init_64.c), which skips slots empty in the reference.
const fn sync_global_vmalloc(function: &'static str) -> Pass {
    Pass {
        function,
        rule: Rule::FillMissing,
        span: Span::Vmalloc,
        visit: Visit::SkipEmpty,
        tracked: false,
    }
}

/// 32-bit `vmalloc_sync_mappings()` / `vmalloc_sync_unmappings()` from 5.3 to 5.7 (the
/// 5.6 split of `vmalloc_sync_all()`; both run the same walk): `vmalloc_sync_one()`
/// copies whenever presence differs, every pgd for every slot, to `VMALLOC_END` (5.5).
const fn sync_vmalloc_53_32(function: &'static str) -> Pass {
    Pass {
        function,
        rule: Rule::PresentMismatch,
        span: Span::Vmalloc,
        visit: Visit::Every,
        tracked: false,
    }
}

/// 32-bit `arch_sync_kernel_mappings()` (5.8, arch/x86/mm/fault.c): from the change's
/// PMD to `VMALLOC_END`, `vmalloc_sync_one()` on every pgd.
const ARCH_SYNC_32: Pass = Pass {
    function: "arch_sync_kernel_mappings",
    rule: Rule::PresentMismatch,
    span: Span::ToVmallocEnd,
    visit: Visit::Every,
    tracked: true,
};

/// 64-bit `arch_sync_kernel_mappings()`: `sync_global_pgds(start, end)`.
const ARCH_SYNC_64: Pass = Pass {
    function: "arch_sync_kernel_mappings",
    rule: Rule::FillMissing,
    span: Span::Changed,
    visit: Visit::SkipEmpty,
    tracked: true,
};

/// The idealised eager push: every change, to every page directory, at once.
const EAGER: Pass = Pass {
    function: "eager push (an idealisation)",
    rule: Rule::Exact,
    span: Span::Changed,
    visit: Visit::Every,
    tracked: false,
};

const NO_UNMAPPINGS_YET: Call = Call::Absent(
    "vmalloc_sync_unmappings() exists only in 5.6 and 5.7 (763802b53a42 split vmalloc_sync_all()); up to 5.2 'sync mappings' calls vmalloc_sync_all(), which only fills",
);
const REMOVED_IN_5_8: Call = Call::Absent(
    "vmalloc_sync_mappings() and vmalloc_sync_unmappings() were removed in 5.8: this era syncs by tracking (or pre-allocation on 64-bit)",
);
const SHARED: Call = Call::Nothing("returns at once: SHARED_KERNEL_PMD");
const UNMAP_64: Call = Call::Nothing("vmalloc_sync_unmappings() does nothing on 64-bit");

/// The rows of the kernel eras.
fn era(e: Era, mode: Mode, pti: bool) -> Behaviour {
    let is32 = mode.is_32bit();
    // PAE without PTI shares the reference's kernel PMDs until 6.16 removed
    // SHARED_KERNEL_PMD ("x86/mm: Simplify PAE page table handling").
    let shared = mode == Mode::Pae && !pti && e < Era::V6_16;
    // Ordinary hot-add was always synced: kernel_physical_mapping_init() and the end of
    // vmemmap_populate() call sync_global_pgds().
    let at_end = HotAdd::AtEnd(Rule::FillMissing);
    let mut b = Behaviour {
        fault: None,
        on_map: None,
        on_unmap: None,
        sync_mappings: REMOVED_IN_5_8,
        sync_unmappings: REMOVED_IN_5_8,
        prealloc: false,
        hotadd: at_end,
        // Before the compound-page vmemmap (5.17) device memory took the ordinary path.
        hotadd_device: at_end,
        // vmemmap_use_new_sub_pmd()'s PAGE_UNUSED fill came in 5.13 (8d400913c231).
        hotadd_early_touch: false,
        shared_kernel_pmds: shared,
        // 4ce385f56434 (6.15) made the PGD's order follow PTI at boot.
        pgd_order_follows_pti: e >= Era::V6_15,
    };
    match e {
        Era::V5_2 => {
            b.fault = Some(Rule::FillMissing);
            b.sync_mappings = if is32 {
                Call::Runs(SYNC_ALL_5_2_32)
            } else {
                Call::Runs(sync_global_vmalloc("vmalloc_sync_all"))
            };
            b.sync_unmappings = NO_UNMAPPINGS_YET;
        }
        Era::V5_3 => {
            if is32 {
                b.fault = Some(Rule::PresentMismatch);
                b.sync_mappings = Call::Runs(sync_vmalloc_53_32("vmalloc_sync_mappings"));
                b.sync_unmappings = Call::Runs(sync_vmalloc_53_32("vmalloc_sync_unmappings"));
                // __purge_vmap_area_lazy() syncs unmappings before the range is reused.
                b.on_unmap = Some(sync_vmalloc_53_32("vmalloc_sync_unmappings"));
            } else {
                b.fault = Some(Rule::FillMissing);
                b.sync_mappings = Call::Runs(sync_global_vmalloc("vmalloc_sync_mappings"));
                b.sync_unmappings = UNMAP_64;
            }
        }
        Era::V5_8 => {
            if is32 {
                b.on_map = Some(ARCH_SYNC_32);
                b.on_unmap = Some(ARCH_SYNC_32);
            } else {
                b.on_map = Some(ARCH_SYNC_64);
                b.on_unmap = Some(ARCH_SYNC_64);
            }
        }
        Era::V5_9 | Era::V6_15 | Era::V6_16 | Era::V6_17 => {
            if is32 {
                // 4819e15f740e brought vmalloc faulting back on 32-bit.
                b.fault = Some(Rule::PresentMismatch);
                b.on_map = Some(ARCH_SYNC_32);
                b.on_unmap = Some(ARCH_SYNC_32);
            } else {
                // 6eb82f994026 (5.9). The 64-bit sync mask stayed until 5.10
                // (58a18fe95e83), but with every vmalloc slot filled at boot it never fired.
                b.prealloc = true;
                // The compound-page vmemmap of device-DAX (5.17) never synced.
                b.hotadd_device = HotAdd::Unsynced;
                b.hotadd_early_touch = true;
                if e == Era::V6_17 {
                    // The 2025 fix: {pgd,p4d}_populate_kernel() sync at install, and the
                    // 64-bit sync mask is back (P4D/PGD_MODIFIED).
                    b.hotadd = HotAdd::AtInstall(Rule::FillMissing);
                    b.hotadd_device = HotAdd::AtInstall(Rule::FillMissing);
                    b.on_map = Some(ARCH_SYNC_64);
                    b.on_unmap = Some(ARCH_SYNC_64);
                }
            }
        }
    }
    if shared {
        // Every process points to the reference's kernel PMDs: the sync calls return at
        // once where they exist, and ARCH_PAGE_TABLE_SYNC_MASK is 0.
        b.on_map = None;
        b.on_unmap = None;
        for c in [&mut b.sync_mappings, &mut b.sync_unmappings] {
            if matches!(c, Call::Runs(_)) {
                *c = SHARED;
            }
        }
    }
    b
}

/// The rows of the building blocks: each the mechanism alone, with the explicit syncs
/// of 5.6 – 5.7 and the hot-add paths of today's kernels before the 2025 fix.
fn block(s: Strategy, mode: Mode) -> Behaviour {
    let is32 = mode.is_32bit();
    let (mappings, unmappings) = if s == Strategy::SharedPmd {
        (SHARED, SHARED)
    } else if is32 {
        (
            Call::Runs(Pass {
                rule: Rule::FillMissing,
                ..sync_vmalloc_53_32("vmalloc_sync_mappings")
            }),
            Call::Runs(sync_vmalloc_53_32("vmalloc_sync_unmappings")),
        )
    } else {
        (
            Call::Runs(sync_global_vmalloc("vmalloc_sync_mappings")),
            UNMAP_64,
        )
    };
    let tracked = if is32 { ARCH_SYNC_32 } else { ARCH_SYNC_64 };
    let at_end = HotAdd::AtEnd(Rule::FillMissing);
    let mut b = Behaviour {
        fault: None,
        on_map: None,
        on_unmap: None,
        sync_mappings: mappings,
        sync_unmappings: unmappings,
        prealloc: false,
        hotadd: at_end,
        hotadd_device: HotAdd::Unsynced,
        hotadd_early_touch: true,
        shared_kernel_pmds: s == Strategy::SharedPmd,
        pgd_order_follows_pti: true,
    };
    match s {
        Strategy::None => b.hotadd = HotAdd::Unsynced,
        Strategy::Lazy => b.fault = Some(Rule::FillMissing),
        Strategy::Eager => {
            b.on_map = Some(EAGER);
            b.on_unmap = Some(EAGER);
            b.hotadd = HotAdd::AtInstall(Rule::Exact);
            b.hotadd_device = HotAdd::AtInstall(Rule::Exact);
        }
        Strategy::Tracked => {
            b.on_map = Some(tracked);
            b.on_unmap = Some(tracked);
        }
        Strategy::TrackedFault => {
            b.fault = Some(Rule::PresentMismatch);
            b.on_map = Some(tracked);
            b.on_unmap = Some(tracked);
        }
        Strategy::Prealloc => b.prealloc = true,
        Strategy::PreallocTracked => {
            b.prealloc = true;
            b.on_map = Some(tracked);
            b.on_unmap = Some(tracked);
            b.hotadd = HotAdd::AtInstall(Rule::FillMissing);
            b.hotadd_device = HotAdd::AtInstall(Rule::FillMissing);
        }
        Strategy::SharedPmd => {}
    }
    b
}
