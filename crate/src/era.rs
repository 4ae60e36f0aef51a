//! The kernel's sync behaviours as one table: a row per kernel era (what those releases
//! did, failure modes included) and a row per building-block strategy a user can pick
//! instead. The machine asks [`Behaviour`] and nothing else.
//!
//! Every fact here is cited by era and commit in docs/kernel-history.md, which holds the
//! same table with its sources; a comment names the kernel function each field follows.

use crate::error::{err, Result};
use crate::limits::excerpt;
use crate::mode::Mode;
use serde::Deserialize;

/// A range of kernel releases that handled the kernel half the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    /// Up to 5.2 (4.19 is the first with 32-bit PTI): lazy faults that only fill, and
    /// nothing syncs unmappings.
    V5_2,
    /// 5.3 – 5.7 (and the stable kernels that took the 2019 fixes): faults and syncs copy
    /// whenever presence differs, and the lazy purge syncs unmappings.
    V5_3,
    /// 5.8: tracked sync (`pgtbl_mod_mask`); vmalloc faults removed.
    V5_8,
    /// 5.9 – 6.14: 32-bit tracked plus faults, 64-bit pre-allocation.
    V5_9,
    /// 6.15: as 5.9, but a PTI-capable build booted without PTI allocates a one-page PGD
    /// (4ce385f56434).
    V6_15,
    /// 6.16: PAE kernel PMDs are never shared.
    V6_16,
    /// 6.17 (and the stable kernels with the 2025 fix): new top-level kernel entries are
    /// synced when they are installed.
    V6_17,
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 7] = [
        Era::V5_2,
        Era::V5_3,
        Era::V5_8,
        Era::V5_9,
        Era::V6_15,
        Era::V6_16,
        Era::V6_17,
    ];

    /// The era's name after `era:` (its first release; `5.2` stands for every release up
    /// to it).
    pub fn name(self) -> &'static str {
        match self {
            Era::V5_2 => "5.2",
            Era::V5_3 => "5.3",
            Era::V5_8 => "5.8",
            Era::V5_9 => "5.9",
            Era::V6_15 => "6.15",
            Era::V6_16 => "6.16",
            Era::V6_17 => "6.17",
        }
    }

    /// The releases the era covers, as a person reads them.
    pub fn releases(self) -> &'static str {
        match self {
            Era::V5_2 => "≤ 5.2",
            Era::V5_3 => "5.3 – 5.7",
            Era::V5_8 => "5.8",
            Era::V5_9 => "5.9 – 6.14",
            Era::V6_15 => "6.15",
            Era::V6_16 => "6.16",
            Era::V6_17 => "6.17+",
        }
    }

    /// What the era did, in a line for a menu.
    pub fn summary(self) -> &'static str {
        match self {
            Era::V5_2 => "faults only fill; unmappings never synced",
            Era::V5_3 => "faults, and the lazy purge syncs unmappings",
            Era::V5_8 => "tracked sync; no faults",
            Era::V5_9 => "tracked + faults (32-bit), pre-allocation (64-bit)",
            Era::V6_15 => "as 5.9, with a one-page PGD when PTI is off",
            Era::V6_16 => "PAE kernel PMDs never shared",
            Era::V6_17 => "new top-level kernel entries synced at install",
        }
    }

    /// The era that contains mainline release `major.minor`.
    pub fn of_release(major: u32, minor: u32) -> Era {
        match (major, minor) {
            (..=4, _) | (5, ..=2) => Era::V5_2,
            (5, 3..=7) => Era::V5_3,
            (5, 8) => Era::V5_8,
            (5, _) | (6, ..=14) => Era::V5_9,
            (6, 15) => Era::V6_15,
            (6, 16) => Era::V6_16,
            _ => Era::V6_17,
        }
    }

    /// Parses an era: a mainline release (`5.7`, `6.1`, `4.19`, with an optional `<=` or
    /// `≤`), which picks the era containing it, or `2025` (the name of the fix's era in
    /// earlier links: now 6.17).
    pub fn parse(s: &str) -> Option<Era> {
        let v = s
            .strip_prefix("<=")
            .or_else(|| s.strip_prefix('≤'))
            .unwrap_or(s)
            .trim();
        if v == "2025" {
            return Some(Era::V6_17);
        }
        let (major, minor) = v.split_once('.')?;
        let major: u32 = major.parse().ok()?;
        let minor: u32 = minor.parse().ok()?;
        // Releases before 3.0 predate everything modelled; no kernel has a minor of 100.
        if !(3..=99).contains(&major) || minor > 99 {
            return None;
        }
        Some(Era::of_release(major, minor))
    }
}

/// A building block: one way of keeping the processes in step, picked directly. None is
/// a kernel release; each is the mechanism some era used (eager is an idealisation no
/// kernel had).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
pub enum Strategy {
    /// Nothing is ever synced: the baseline that shows what goes wrong.
    #[serde(rename = "none")]
    None,
    /// `vmalloc_fault()` fills a missing entry from the reference on a fault (the ≤ 5.2
    /// rule); explicit syncs push to every pgd.
    #[serde(rename = "lazy")]
    Lazy,
    /// An idealisation: every change of the sync level, mapping or unmapping, is pushed at
    /// once to every page directory. No kernel did this.
    #[serde(rename = "eager")]
    Eager,
    /// `pgtbl_mod_mask` records the levels an operation filled or cleared, and
    /// `arch_sync_kernel_mappings()` runs when `mask & ARCH_PAGE_TABLE_SYNC_MASK` (5.8).
    #[serde(rename = "tracked")]
    Tracked,
    /// Tracked, plus `vmalloc_fault()` as a safety net (32-bit since 5.9).
    #[serde(rename = "tracked+fault")]
    TrackedFault,
    /// `preallocate_vmalloc_pages()` fills every top-level vmalloc slot at boot, so
    /// vmalloc never changes the sync level (64-bit since 5.9).
    #[serde(rename = "prealloc")]
    Prealloc,
    /// Pre-allocation, and `{pgd,p4d}_populate_kernel()` sync every other new top-level
    /// entry when it is installed (64-bit since 6.17).
    #[serde(rename = "prealloc+tracked")]
    PreallocTracked,
    /// PAE without PTI before 6.16 (`SHARED_KERNEL_PMD`): every process points to the
    /// reference's own kernel PMD pages, so nothing can diverge.
    #[serde(rename = "shared-pmd")]
    SharedPmd,
}

impl Strategy {
    /// Every building block.
    pub const ALL: [Strategy; 8] = [
        Strategy::None,
        Strategy::Lazy,
        Strategy::Eager,
        Strategy::Tracked,
        Strategy::TrackedFault,
        Strategy::Prealloc,
        Strategy::PreallocTracked,
        Strategy::SharedPmd,
    ];

    /// The name in scenarios, the CLI and the UI.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::None => "none",
            Strategy::Lazy => "lazy",
            Strategy::Eager => "eager",
            Strategy::Tracked => "tracked",
            Strategy::TrackedFault => "tracked+fault",
            Strategy::Prealloc => "prealloc",
            Strategy::PreallocTracked => "prealloc+tracked",
            Strategy::SharedPmd => "shared-pmd",
        }
    }

    /// What the block does, in a few words for a menu.
    pub fn summary(self) -> &'static str {
        match self {
            Strategy::None => "nothing is ever synced",
            Strategy::Lazy => "fill on fault",
            Strategy::Eager => "an idealisation: push every change at once",
            Strategy::Tracked => "pgtbl_mod_mask and arch_sync_kernel_mappings()",
            Strategy::TrackedFault => "tracked, with the fault as a safety net (32-bit)",
            Strategy::Prealloc => "pre-allocate the vmalloc top level (64-bit)",
            Strategy::PreallocTracked => "pre-allocation, and sync at install (64-bit)",
            Strategy::SharedPmd => "shared kernel PMDs (PAE, PTI off)",
        }
    }

    /// Why the block cannot run in `mode` (with PTI `pti`), if it cannot.
    pub fn unfit(self, mode: Mode, pti: bool) -> Option<&'static str> {
        match self {
            Strategy::TrackedFault if !mode.is_32bit() => {
                Some("the restored fault safety net is 32-bit only")
            }
            Strategy::Prealloc | Strategy::PreallocTracked if mode.is_32bit() => {
                Some("pre-allocation of the vmalloc top-level slots is 64-bit only")
            }
            Strategy::SharedPmd if mode != Mode::Pae || pti => {
                Some("shared kernel PMDs exist only on PAE with PTI off")
            }
            _ => None,
        }
    }
}

/// What a configuration asks for: the behaviour of a kernel era, or a building block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// What the kernels of that era did.
    Era(Era),
    /// A building block.
    Strategy(Strategy),
}

impl Policy {
    /// The name in scenarios and links: `era:<name>` or the block's name.
    pub fn name(self) -> String {
        match self {
            Policy::Era(e) => format!("era:{}", e.name()),
            Policy::Strategy(s) => s.name().to_string(),
        }
    }

    /// Parses a building block's name or `era:<release>`.
    ///
    /// # Errors
    /// `InvalidConfig` naming what is allowed.
    pub fn parse(s: &str) -> Result<Policy> {
        if let Some(v) = s.strip_prefix("era:") {
            return Era::parse(v).map(Policy::Era).ok_or_else(|| {
                err!(
                    InvalidConfig,
                    "unknown kernel era '{v}'; give a mainline release (e.g. era:5.7, era:6.1) or one of {}",
                    Era::ALL.map(|e| format!("era:{}", e.name())).join(", "), v = excerpt(v)
                ).about(crate::error::Field::Strategy)
            });
        }
        Strategy::ALL
            .into_iter()
            .find(|x| x.name() == s)
            .map(Policy::Strategy)
            .ok_or_else(|| {
                err!(
                    InvalidConfig,
                    "unknown sync strategy '{s}'; allowed: {}, or a kernel era ({})",
                    Strategy::ALL.map(|x| x.name()).join(", "),
                    Era::ALL.map(|e| format!("era:{}", e.name())).join(", "),
                    s = excerpt(s)
                )
                .about(crate::error::Field::Strategy)
            })
    }

    /// The behaviour in `mode`, with PTI on or off.
    pub fn behaviour(self, mode: Mode, pti: bool) -> Behaviour {
        crate::era_table::behaviour(self, mode, pti)
    }
}

/// The oracle of `json_out`'s tests writes a policy by its name, as the engine does.
#[cfg(test)]
impl serde::Serialize for Policy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Policy, D::Error> {
        let s = String::deserialize(d)?;
        Policy::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How one slot of one page directory is brought in step with the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Copy where the process lacks the entry; `BUG_ON` where both have it and differ
    /// (`sync_global_pgds()`, the 64-bit fault, `vmalloc_sync_one()` up to 5.2).
    FillMissing,
    /// Copy where presence differs, so clears propagate; `BUG_ON` where both have it and
    /// differ (`vmalloc_sync_one()` since 5.3, "x86/mm: Sync also unmappings").
    PresentMismatch,
    /// Copy whenever the raw entries differ (the idealised eager push).
    Exact,
}

/// Which slots a sync pass walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The slots the change touched (`sync_global_pgds(start, end)`).
    Changed,
    /// From the change's first slot to `VMALLOC_END` (the 32-bit
    /// `arch_sync_kernel_mappings()` loop ignores `end`).
    ToVmallocEnd,
    /// The whole vmalloc area, from `VMALLOC_START & PMD_MASK` (or the 64-bit
    /// `PGDIR_MASK`) to `VMALLOC_END`.
    Vmalloc,
    /// From `VMALLOC_START & PMD_MASK` to `FIXADDR_TOP`: the 32-bit `vmalloc_sync_all()`
    /// up to 5.4, which also walks pkmap, the LDT, the cpu entry area and the fixmap.
    ToFixaddrTop,
}

/// How a pass treats a slot that is empty in the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// Every page directory is visited for every slot.
    Every,
    /// The slot is skipped: no page directory is visited (`sync_global_pgds()`'s
    /// `continue`).
    SkipEmpty,
    /// The walk of `pgd_list` stops at the first directory (`vmalloc_sync_all()` up to
    /// 5.2: `if (!ret) break;`).
    StopAtEmpty,
}

/// One sync pass: the kernel function, its rule, its slots and its walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// The kernel function (or, for the idealised eager push, a description).
    pub function: &'static str,
    /// What it does to each entry.
    pub rule: Rule,
    /// The slots it walks.
    pub span: Span,
    /// How it treats empty reference slots.
    pub visit: Visit,
    /// Whether it is a tracked `arch_sync_kernel_mappings()` that a preempted allocating
    /// thread runs later.
    pub tracked: bool,
}

/// What an explicit sync call does in an era.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// The kernel of this era has no such function: the words say which era has it.
    Absent(&'static str),
    /// The function exists and returns at once: why.
    Nothing(&'static str),
    /// The function runs this pass.
    Runs(Pass),
}

/// What a memory hot-add path does about a new top-level kernel entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotAdd {
    /// Nothing syncs it.
    Unsynced,
    /// Synced by `sync_global_pgds()` at the end of the path (ordinary hot-add:
    /// `kernel_physical_mapping_init()`, `vmemmap_populate()`).
    AtEnd(Rule),
    /// Synced when the entry is installed: `{pgd,p4d}_populate_kernel()` call
    /// `arch_sync_kernel_mappings()` (6.17); the eager push does the same with its rule.
    AtInstall(Rule),
}

/// The named behaviours of one era (or building block) in one mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// `vmalloc_fault()`: the rule that fixes a not-present kernel fault in the vmalloc
    /// area, if the era has it.
    pub fault: Option<Rule>,
    /// After vmalloc/ioremap filled an entry of the sync level.
    pub on_map: Option<Pass>,
    /// After vfree/iounmap cleared an entry of the sync level (the lazy purge, which the
    /// model runs at unmap time because it frees vmap areas at once).
    pub on_unmap: Option<Pass>,
    /// `sync mappings`: `vmalloc_sync_all()` (≤ 5.5) / `vmalloc_sync_mappings()`.
    pub sync_mappings: Call,
    /// `sync unmappings`: `vmalloc_sync_unmappings()` (5.6 – 5.7).
    pub sync_unmappings: Call,
    /// 64-bit: `preallocate_vmalloc_pages()` at boot.
    pub prealloc: bool,
    /// Ordinary hot-add (RAM, and ZONE_DEVICE pmem on the ordinary vmemmap path): the
    /// direct map and the vmemmap.
    pub hotadd: HotAdd,
    /// ZONE_DEVICE device-DAX memory whose memmap uses the compound-page vmemmap
    /// (`vmemmap_populate_compound_pages()`).
    pub hotadd_device: HotAdd,
    /// Whether the hot-adding process writes the unused part of a new vmemmap PMD
    /// (`vmemmap_use_new_sub_pmd()`'s `PAGE_UNUSED` fill, for a memmap range that is not
    /// PMD-aligned) before the final sync.
    pub hotadd_early_touch: bool,
    /// PAE: the processes share the reference's kernel PMD pages (`SHARED_KERNEL_PMD`).
    pub shared_kernel_pmds: bool,
    /// Whether the PGD's allocation order follows PTI at boot (1 page with PTI off); when
    /// false a PTI-capable build always allocates two pages.
    pub pgd_order_follows_pti: bool,
}

impl Behaviour {
    /// The mask bit of the sync level that the tracking reacts to, or `None` when
    /// `ARCH_PAGE_TABLE_SYNC_MASK` is 0 or nothing is tracked.
    pub fn tracking_mask(&self, mode: Mode) -> Option<&'static str> {
        self.on_map
            .filter(|p| p.tracked)
            .map(|_| mode.sync_mask_bit())
    }
}

/// The kernel events whose reaction a row decides, in the order [`Behaviour::reactions`]
/// lists them.
pub const EVENTS: [&str; 11] = [
    "boot",
    "fork",
    "tracking",
    "map",
    "unmap",
    "fault",
    "sync-mappings",
    "sync-unmappings",
    "hotadd",
    "hotadd-device",
    "hotadd-touch",
];

impl Rule {
    /// The rule in words.
    pub fn words(self) -> &'static str {
        match self {
            Rule::FillMissing => "fill only",
            Rule::PresentMismatch => "copy when presence differs",
            Rule::Exact => "copy when different",
        }
    }
}

impl Pass {
    /// The pass in words: function, rule, slots and walk.
    pub fn words(&self) -> String {
        let span = match self.span {
            Span::Changed => "the changed slots",
            Span::ToVmallocEnd => "changed slot to VMALLOC_END",
            Span::Vmalloc => "VMALLOC_START to VMALLOC_END",
            Span::ToFixaddrTop => "VMALLOC_START to FIXADDR_TOP",
        };
        let visit = match self.visit {
            Visit::Every => "every pgd",
            Visit::SkipEmpty => "skips slots empty in the reference",
            Visit::StopAtEmpty => "stops at a slot empty in the reference",
        };
        format!("{}: {}, {span}, {visit}", self.function, self.rule.words())
    }
}

impl Call {
    /// The call in words.
    pub fn words(&self) -> String {
        match self {
            Call::Absent(_) => "absent".into(),
            Call::Nothing(why) => format!("nothing ({why})"),
            Call::Runs(p) => p.words(),
        }
    }
}

impl HotAdd {
    /// The hot-add path in words.
    pub fn words(self) -> String {
        match self {
            HotAdd::Unsynced => "not synced".into(),
            HotAdd::AtEnd(r) => format!("sync_global_pgds() at the end: {}", r.words()),
            HotAdd::AtInstall(r) => format!("synced at install: {}", r.words()),
        }
    }
}

impl Behaviour {
    /// Pages of a process's PGD in `mode`: two with PTI on, and also with PTI off in a
    /// PTI-capable build (every mode but 2-level) until the order followed PTI at boot;
    /// `None` when PAE shares the kernel PMDs and the PGD is a 32-byte `pgd_cache` object.
    pub fn pgd_pages(&self, mode: Mode, pti: bool) -> Option<u64> {
        if self.shared_kernel_pmds {
            return None;
        }
        let pti_built = mode != Mode::X86_32;
        Some(if pti || (pti_built && !self.pgd_order_follows_pti) {
            2
        } else {
            1
        })
    }

    /// What the row does on each of [`EVENTS`], in words: the data-driven test of the
    /// table reads these, one line each.
    pub fn reactions(&self, mode: Mode, pti: bool) -> Vec<(&'static str, String)> {
        let pass = |p: Option<Pass>| p.map_or("nothing".to_string(), |p| p.words());
        let fork = match (self.pgd_pages(mode, pti), mode) {
            (None, _) => "PGD a 32-byte pgd_cache object; kernel PMDs shared".to_string(),
            (Some(n), Mode::Pae) => format!("PGD {n} page(s); kernel PMDs copied"),
            (Some(n), _) => format!("PGD {n} page(s)"),
        };
        let touch = if self.hotadd_early_touch {
            "an unaligned memmap is written by the hot-adding process before the final sync"
        } else {
            "no early write"
        };
        let mut v = vec![
            (
                "boot",
                if self.prealloc {
                    "preallocate_vmalloc_pages()".to_string()
                } else {
                    "nothing".to_string()
                },
            ),
            ("fork", fork),
            (
                "tracking",
                self.tracking_mask(mode)
                    .map_or("no ARCH_PAGE_TABLE_SYNC_MASK".to_string(), |m| {
                        format!("ARCH_PAGE_TABLE_SYNC_MASK = {m}")
                    }),
            ),
            ("map", pass(self.on_map)),
            ("unmap", pass(self.on_unmap)),
            (
                "fault",
                self.fault.map_or("oops".to_string(), |r| {
                    format!("vmalloc_fault: {}", r.words())
                }),
            ),
            ("sync-mappings", self.sync_mappings.words()),
            ("sync-unmappings", self.sync_unmappings.words()),
            ("hotadd", self.hotadd.words()),
            ("hotadd-device", self.hotadd_device.words()),
            ("hotadd-touch", touch.to_string()),
        ];
        if mode.is_32bit() {
            // Memory hot-add is modelled on 64-bit only.
            for r in v.iter_mut().filter(|r| r.0.starts_with("hotadd")) {
                r.1 = "not modelled on 32-bit".into();
            }
        }
        v
    }
}
