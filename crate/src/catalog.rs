//! The engine's vocabulary in one value: every name, code and label the page shows (modes,
//! splits, eras and strategies, regions, divergence classes, the cell-byte layout, error
//! kinds, metrics, event kinds, outcomes, hot-add kinds, sync calls). The page builds its
//! menus and words from it, and a Node test holds the page's own lists to it, so a change
//! here cannot silently mis-draw the page.

use crate::config::{Era, Split, Strategy};
use crate::error::{ErrorKind, Field};
use crate::layout::RegionKind;
use crate::machine::{Divergence, HotplugKind, SyncKind};
use crate::mode::Mode;

/// A paging mode and what a configuration form needs of it.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct ModeInfo {
    /// `x86-32`, `pae`, `x86-64`, `la57`.
    pub name: &'static str,
    /// How a menu says it.
    pub label: &'static str,
    /// 32 or 64.
    pub bits: u32,
    /// The levels, top first (`pgd`, `p4d`, `pud`, `pmd`, `pte`).
    pub levels: Vec<&'static str>,
    /// The level every process copies.
    pub sync_level: &'static str,
    /// Whether a memory split can be chosen (32-bit).
    pub has_split: bool,
    /// The defaults of a new configuration.
    pub pti: bool,
    /// See [`ModeInfo::pti`].
    pub huge_ioremap: bool,
    /// Whether PTI and huge ioremap can be turned on at all.
    pub pti_possible: bool,
    /// See [`ModeInfo::pti_possible`].
    pub huge_ioremap_possible: bool,
}

/// A strategy a configuration can name: an era or a building block.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct StrategyInfo {
    /// The name in scenarios and links (`era:5.3`, `lazy`).
    pub name: String,
    /// `era` or `block`.
    pub group: &'static str,
    /// The releases of an era, or the block's name.
    pub label: &'static str,
    /// What it does, in a line.
    pub summary: &'static str,
    /// The line a menu shows: the label and the summary.
    pub text: String,
    /// The modes it can run in.
    pub modes: Vec<&'static str>,
}

/// A group of strategies, as a menu heads it.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct GroupInfo {
    /// `era` or `block` (a strategy's `group`).
    pub name: &'static str,
    /// The heading.
    pub label: &'static str,
}

/// A name with the words a control shows for it (a sync call, a kind of hot-added memory).
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Named {
    /// The name in scenarios and operations.
    pub name: &'static str,
    /// How a control says it.
    pub label: &'static str,
}

/// An input an error can be about ([`Field`]): an operation's key or a configuration's.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct FieldInfo {
    /// The key (`Error.field`).
    pub name: &'static str,
    /// Whether it is a configuration's key (else an operation's).
    pub config: bool,
}

/// A divergence class: its code in cell bytes and whether it counts as drift.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct ClassInfo {
    /// Its code (bits 2-4 of a cell byte).
    pub code: u8,
    /// `same`, `missing`, `stale`, `different`, `private`.
    pub name: &'static str,
    /// Whether it counts as drift from the reference.
    pub drift: bool,
}

/// A region kind and its code in the slot-region bytes.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct RegionKindInfo {
    /// Its code.
    pub code: u8,
    /// Its name (`direct-map`, `vmalloc`, ...).
    pub name: String,
}

/// How a cell byte packs a slot: `kind = byte & kind_mask` (0 empty, 1 table, 2 huge
/// leaf) and `class = (byte >> class_shift) & class_mask`.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct CellLayout {
    /// The mask of the entry kind.
    pub kind_mask: u8,
    /// The kinds by code.
    pub kinds: [&'static str; 3],
    /// Where the divergence class starts.
    pub class_shift: u8,
    /// Its mask after the shift.
    pub class_mask: u8,
}

/// The whole vocabulary.
#[derive(Debug, Clone)]
#[cfg_attr(test, derive(serde::Serialize))]
pub struct Catalog {
    /// Paging modes.
    pub modes: Vec<ModeInfo>,
    /// 32-bit splits.
    pub splits: Vec<&'static str>,
    /// Eras, oldest first, then building blocks.
    pub strategies: Vec<StrategyInfo>,
    /// The groups of strategies, in menu order.
    pub strategy_groups: Vec<GroupInfo>,
    /// Region kinds, by code.
    pub regions: Vec<RegionKindInfo>,
    /// Divergence classes, by code.
    pub classes: Vec<ClassInfo>,
    /// The cell-byte layout.
    pub cell: CellLayout,
    /// Error kinds (`Error.name`).
    pub errors: Vec<&'static str>,
    /// The inputs an error can be about (`Error.field`).
    pub fields: Vec<FieldInfo>,
    /// Metric names, in the order of the metrics object.
    pub metrics: Vec<&'static str>,
    /// Event kinds (an event's `type`).
    pub events: Vec<&'static str>,
    /// Why an entry was written (an event's `why`).
    pub whys: Vec<&'static str>,
    /// Access outcomes.
    pub outcomes: Vec<&'static str>,
    /// Hot-add kinds, the default (`ram`) first.
    pub hotplug_kinds: Vec<Named>,
    /// Explicit sync calls, as a `sync` operation's `kind` names them.
    pub sync_kinds: Vec<Named>,
}

/// Event kinds as they cross (the serde tag of [`crate::event::Event`]).
pub const EVENTS: [&str; 11] = [
    "table-allocated",
    "table-freed",
    "entry-set",
    "ptes",
    "sync-level-changed",
    "sync-pass",
    "fault",
    "bug",
    "forked",
    "exited",
    "note",
];

/// The catalog.
pub fn catalog() -> Catalog {
    let modes = Mode::ALL
        .iter()
        .map(|&m| ModeInfo {
            name: m.name(),
            label: m.label(),
            bits: if m.is_32bit() { 32 } else { 64 },
            levels: m.levels().iter().map(|l| l.level.name()).collect(),
            sync_level: m.sync_geom().level.name(),
            has_split: m.is_32bit(),
            pti: crate::config::Config::new(m).pti,
            huge_ioremap: crate::config::Config::new(m).huge_ioremap,
            pti_possible: m != Mode::X86_32,
            huge_ioremap_possible: m != Mode::X86_32,
        })
        .collect();
    let mut strategies: Vec<StrategyInfo> = Era::ALL
        .iter()
        .map(|e| StrategyInfo {
            name: format!("era:{}", e.name()),
            group: "era",
            label: e.releases(),
            summary: e.summary(),
            text: format!("{}: {}", e.releases(), e.summary()),
            modes: Mode::ALL.iter().map(|m| m.name()).collect(),
        })
        .collect();
    strategies.extend(Strategy::ALL.iter().map(|s| {
        StrategyInfo {
            name: s.name().to_string(),
            group: "block",
            label: s.name(),
            summary: s.summary(),
            text: format!("{}: {}", s.name(), s.summary()),
            modes: Mode::ALL
                .iter()
                .filter(|m| {
                    s.unfit(**m, **m != Mode::X86_32 && *s != Strategy::SharedPmd)
                        .is_none()
                })
                .map(|m| m.name())
                .collect(),
        }
    }));
    Catalog {
        modes,
        splits: Split::ALL.iter().map(|s| s.name()).collect(),
        strategies,
        strategy_groups: vec![
            GroupInfo {
                name: "era",
                label: "By kernel era",
            },
            GroupInfo {
                name: "block",
                label: "Building blocks",
            },
        ],
        regions: RegionKind::ALL
            .iter()
            .map(|k| RegionKindInfo {
                code: k.code(),
                name: k.name().to_string(),
            })
            .collect(),
        classes: Divergence::ALL
            .iter()
            .enumerate()
            .map(|(i, d)| ClassInfo {
                code: i as u8,
                name: d.name(),
                drift: matches!(
                    d,
                    Divergence::Missing | Divergence::Stale | Divergence::Different
                ),
            })
            .collect(),
        cell: CellLayout {
            kind_mask: 3,
            kinds: ["empty", "table", "huge"],
            class_shift: 2,
            class_mask: 7,
        },
        errors: ErrorKind::ALL.iter().map(|k| k.name()).collect(),
        fields: Field::ALL
            .iter()
            .map(|f| FieldInfo {
                name: f.name(),
                config: f.is_config(),
            })
            .collect(),
        metrics: crate::event::Metrics::NAMES.to_vec(),
        events: EVENTS.to_vec(),
        whys: crate::event::Why::NAMES.to_vec(),
        outcomes: vec!["translated", "fault-fixed", "oops", "stale"],
        hotplug_kinds: HotplugKind::ALL
            .iter()
            .map(|k| Named {
                name: k.name(),
                label: match k {
                    HotplugKind::Ram => "RAM",
                    HotplugKind::Pmem => "pmem (ZONE_DEVICE)",
                    HotplugKind::Dax => "device-DAX (compound vmemmap)",
                },
            })
            .collect(),
        sync_kinds: SyncKind::ALL
            .iter()
            .map(|k| Named {
                name: k.name(),
                label: match k {
                    SyncKind::Mappings => "vmalloc_sync_mappings()",
                    SyncKind::Unmappings => "vmalloc_sync_unmappings()",
                    SyncKind::Global => "sync_global_pgds()",
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, Metrics, Why};
    use crate::memory::Owner;
    use crate::mode::Level;
    use serde::Serialize;

    fn tag(v: impl Serialize, key: &str) -> String {
        let j = serde_json::to_value(v).unwrap();
        j[key].as_str().or(j.as_str()).unwrap().to_string()
    }

    #[test]
    fn the_lists_are_the_names_that_cross() {
        let c = catalog();
        let owner = Owner::Kernel;
        let level = Level::Pmd;
        let events = [
            Event::TableAllocated {
                owner,
                level,
                pfn: 1,
            },
            Event::TableFreed {
                owner,
                level,
                pfn: 1,
            },
            Event::EntrySet {
                owner,
                level,
                va: 0,
                old: 0,
                new: 1,
                why: Why::Boot,
            },
            Event::Ptes {
                owner,
                va: 0,
                pages: 1,
                set: true,
                why: Why::Boot,
            },
            Event::SyncLevelChanged {
                start: 0,
                end: 1,
                mask_bit: "x",
                action: "y",
            },
            Event::SyncPass {
                function: "f",
                slots: 1,
                directories: 1,
                copied: 0,
            },
            Event::Fault {
                pid: 1,
                va: 0,
                fixed: true,
            },
            Event::Bug {
                pid: 1,
                va: 0,
                process_entry: 1,
                reference_entry: 2,
            },
            Event::Forked { pid: 1 },
            Event::Exited { pid: 1, tables: 1 },
            Event::Note { text: "n".into() },
        ];
        let names: Vec<String> = events.iter().map(|e| tag(e, "type")).collect();
        assert_eq!(names, c.events);
        let whys: Vec<String> = Why::ALL.iter().map(|w| tag(w, "")).collect();
        assert_eq!(whys, c.whys);
        let m = serde_json::to_value(Metrics::default()).unwrap();
        let keys: Vec<&String> = m.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), c.metrics.len());
        for name in &c.metrics {
            assert!(m.get(*name).is_some(), "{name}");
            assert!(Metrics::default().get(name).is_some(), "{name}");
        }
        for k in ErrorKind::ALL {
            assert!(c.errors.contains(&k.name()));
        }
        assert_eq!(c.classes.iter().filter(|x| x.drift).count(), 3);
        for k in &c.sync_kinds {
            let kind = SyncKind::named(k.name).unwrap();
            assert_eq!(tag(kind, ""), k.name, "the name serde writes");
        }
        for k in &c.hotplug_kinds {
            let kind = HotplugKind::named(k.name).unwrap();
            assert_eq!(kind.name(), k.name);
            assert_eq!(tag(kind, ""), k.name, "the name serde writes");
        }
        for f in Field::ALL {
            assert_eq!(tag(f, ""), f.name(), "Field serializes as its name");
        }
        assert!(c
            .strategies
            .iter()
            .all(|s| c.strategy_groups.iter().any(|g| g.name == s.group)));
        assert_eq!(c.strategies.len(), Era::ALL.len() + Strategy::ALL.len());
        // A region's name is the one serde writes for it wherever a region crosses.
        let regions: Vec<String> = RegionKind::ALL.iter().map(|k| tag(k, "")).collect();
        let named: Vec<&str> = c.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(regions, named);
    }
}
