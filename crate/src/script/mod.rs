//! Scenario files: their data types, their text and their JSON form.
//!
//! A scenario is a small line-oriented text: a `config` line, one operation per line,
//! names for processes and allocations, `expect` lines that assert outcomes, and `say` /
//! `ask` / `choices` lines that narrate a guided tour. Its canonical JSON form (addresses and sizes as
//! strings) is what a URL carries. A [`Session`] runs operations by name, keeps the
//! history to step back and forward through (a deterministic replay of a prefix), and checks
//! expectations. The grammar is documented in `docs/scenario-format.md`.
//!
//! Where things live:
//! - here: the scenario data types ([`ConfigSpec`], [`ScriptOp`], [`Expect`], [`Step`],
//!   [`TextStep`], [`Scenario`]) and [`parse_switch`];
//! - `parse`: [`parse()`], scenario text to a [`Scenario`], errors with line and column;
//! - `print`: [`to_text`] and [`op_text`], a scenario back to text, and
//!   [`Expect::words`], an expectation in words;
//! - `tour`: [`tour_steps`], a guided tour cut into the steps a tour player shows;
//! - [`crate::session`]: the [`Session`], re-exported here;
//! - [`crate::view`]: what the page and the CLI read ([`StepResult`], [`LayoutInfo`],
//!   [`SlotInfo`], ...), re-exported here.

use crate::config::{parse_size, parse_strategy, Config, Split};
use crate::error::{err, Field, Result};
use crate::limits::excerpt;
use crate::machine::{HotplugKind, SyncKind};
use crate::mode::Mode;
#[cfg(test)]
use serde::Deserialize;

#[cfg(test)]
mod json_errors;
mod json_in;
#[cfg(test)]
mod json_oracle;
mod json_tree;
pub(crate) mod parse;
mod print;
mod tour;

pub use crate::session::Session;
pub use crate::view::{
    LayoutInfo, ProcessInfo, RegionInfo, SlotInfo, StepResult, TableBytes, PROCESS_STAT_FIELDS,
};
pub use parse::{parse, parse_expect_line};
pub use print::{op_text, to_text};
pub use tour::{tour_steps, Tour, TourPoint, TourStep};

/// An on/off setting as scenarios and the CLI spell it: `on`, `true` or `yes`; `off`,
/// `false` or `no`.
pub fn parse_switch(v: &str) -> Option<bool> {
    match v {
        "on" | "true" | "yes" => Some(true),
        "off" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// A configuration as a scenario or a URL writes it: names and sizes as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(deny_unknown_fields))]
pub struct ConfigSpec {
    /// `x86-32`, `pae`, `x86-64` or `la57`.
    pub mode: String,
    /// `3G`, `3G_OPT`, `2G`, `2G_OPT`, `1G` (32-bit).
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub split: Option<String>,
    /// The top of usable RAM.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub ram: Option<String>,
    /// The `vmalloc=` boot option (32-bit).
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub vmalloc: Option<String>,
    /// Page-table isolation.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub pti: Option<bool>,
    /// Huge ioremap.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub huge_ioremap: Option<bool>,
    /// A strategy name or `era:<version>`.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub strategy: Option<String>,
    /// `NR_CPUS`.
    #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
    pub nr_cpus: Option<u32>,
}

impl ConfigSpec {
    /// A configuration from its JSON object text (`{"mode":"pae", ...}`; `nr_cpus` a
    /// whole number or a string of decimal digits), read by hand (see `json_in`).
    ///
    /// # Errors
    /// `InvalidConfig` for text that is not such an object, with `field` when one key is
    /// missing or of the wrong type or value; `LimitExceeded` past the input limit.
    pub fn from_json(json: &str) -> Result<ConfigSpec> {
        json_in::config_from_json(json)
    }

    /// Builds and validates the configuration: the mode's defaults, then each setting.
    ///
    /// # Errors
    /// `InvalidConfig` or `BadSize` naming the setting.
    pub fn to_config(&self) -> Result<Config> {
        let mode = Mode::parse(&self.mode).ok_or_else(|| {
            err!(
                InvalidConfig,
                "unknown mode '{}'; allowed: x86-32, pae, x86-64, la57",
                excerpt(&self.mode)
            )
            .about(Field::Mode)
        })?;
        let mut c = Config::new(mode);
        if let Some(s) = &self.split {
            c.split = Some(Split::parse(s).ok_or_else(|| {
                err!(
                    InvalidConfig,
                    "unknown split '{s}'; allowed: 3G, 3G_OPT, 2G, 2G_OPT, 1G",
                    s = excerpt(s)
                )
                .about(Field::Split)
            })?);
        }
        if let Some(r) = &self.ram {
            c.ram = parse_size(r).map_err(|e| e.about(Field::Ram))?;
        }
        if let Some(v) = &self.vmalloc {
            c.vmalloc = Some(parse_size(v).map_err(|e| e.about(Field::Vmalloc))?);
        }
        if let Some(p) = self.pti {
            c.pti = p;
        }
        if let Some(h) = self.huge_ioremap {
            c.huge_ioremap = h;
        }
        if let Some(n) = self.nr_cpus {
            c.preset.nr_cpus = n;
        }
        if let Some(s) = &self.strategy {
            c.strategy = parse_strategy(s).map_err(|e| e.about(Field::Strategy))?;
        }
        c.validate()?;
        Ok(c)
    }

    /// The spec of a configuration (every setting written out).
    pub fn from_config(c: &Config) -> ConfigSpec {
        ConfigSpec {
            mode: c.mode.name().into(),
            split: c.split.map(|s| s.name().into()),
            ram: Some(format!("{:#x}", c.ram)),
            vmalloc: c.vmalloc.map(|v| format!("{v:#x}")),
            pti: Some(c.pti),
            huge_ioremap: Some(c.huge_ioremap),
            strategy: Some(c.strategy.name()),
            nr_cpus: Some(c.preset.nr_cpus),
        }
    }
}

/// One operation, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(tag = "op", rename_all = "lowercase", deny_unknown_fields))]
pub enum ScriptOp {
    /// `fork NAME`.
    Fork {
        /// The new process's name.
        name: String,
    },
    /// `exit PROCESS`.
    Exit {
        /// The process.
        process: String,
    },
    /// `allocate NAME SIZE [preempt]`: vmalloc.
    Allocate {
        /// The allocation's name.
        name: String,
        /// Its size.
        size: String,
        /// Hold the tracked sync until `resume` (the 5.9 race).
        #[cfg_attr(test, serde(default, skip_serializing_if = "std::ops::Not::not"))]
        preempt: bool,
    },
    /// `map NAME PHYS SIZE`: ioremap.
    Map {
        /// The mapping's name.
        name: String,
        /// The physical address.
        phys: String,
        /// The size.
        size: String,
    },
    /// `unmap NAME`: vfree / iounmap.
    Unmap {
        /// The allocation.
        name: String,
    },
    /// `sync mappings|unmappings|global`.
    Sync {
        /// Which call.
        kind: SyncKind,
    },
    /// `resume`: run the syncs preempted allocations held.
    Resume,
    /// `access PROCESS ADDR`.
    Access {
        /// The process.
        process: String,
        /// `NAME`, `NAME+OFFSET` or an absolute address.
        addr: String,
    },
    /// `hotplug NAME PHYS SIZE [ram|pmem|dax] [by PROCESS]` (64-bit); NAME is bound to
    /// the first new `struct page`.
    Hotplug {
        /// The name for the new memory's first `struct page`.
        name: String,
        /// The physical start.
        phys: String,
        /// The size.
        size: String,
        /// What memory: `ram` (the default), `pmem` or `dax` (ZONE_DEVICE).
        #[cfg_attr(test, serde(default, skip_serializing_if = "is_ram"))]
        kind: HotplugKind,
        /// The process that hot-adds it (and writes its new struct pages on the way).
        #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
        by: Option<String>,
    },
    /// `ldt PROCESS`: modify_ldt maps the process's LDT (PTI).
    Ldt {
        /// The process.
        process: String,
    },
}

/// An assertion about the state after the preceding lines.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(
    test,
    serde(tag = "expect", rename_all = "kebab-case", deny_unknown_fields)
)]
pub enum Expect {
    /// `expect outcome translated|fault-fixed|oops|stale`: the last access.
    Outcome {
        /// The outcome's name.
        outcome: String,
    },
    /// `expect divergence PROCESS CLASS N` (CLASS: same, missing, stale, different,
    /// private, divergent).
    Divergence {
        /// The process.
        process: String,
        /// The class.
        class: String,
        /// How many slots.
        count: u64,
    },
    /// `expect metric NAME N`: a cumulative counter.
    Metric {
        /// The counter.
        name: String,
        /// Its value.
        value: u64,
    },
    /// `expect error KIND`: the previous operation was refused with this kind.
    Error {
        /// The error kind's name.
        kind: String,
    },
    /// `expect table-bytes kernel|PROCESS|total SIZE`.
    TableBytes {
        /// `kernel`, `total` or a process.
        of: String,
        /// The bytes.
        bytes: String,
    },
}

/// One line of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(untagged))]
pub enum Step {
    /// An operation.
    Op(ScriptOp),
    /// An expectation.
    Expect(Expect),
    /// Narration or a question.
    Text(TextStep),
}

/// `say TEXT` (narration), `ask TEXT` (predict, then reveal) or `choices A | B | C` (the
/// answers an `ask` offers). None of them changes the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(rename_all = "lowercase", deny_unknown_fields))]
pub enum TextStep {
    /// Narration.
    Say(String),
    /// A question to answer before the next lines are revealed.
    Ask(String),
    /// The answers offered for the question on the line before (which must be an `ask`);
    /// the right one is the value of an `expect` line of the reveal (see [`tour_steps`]).
    Choices(Vec<String>),
    /// Where the narration looks: a table (a process, or `reference`) and, optionally,
    /// the address whose slot it talks about. A tour player scrolls to it and rings it.
    Point {
        /// A process name, or `reference`.
        process: String,
        /// An address as `access` takes it (`buf`, `buf+0x1000`, `0xf8000000`).
        #[cfg_attr(test, serde(default, skip_serializing_if = "Option::is_none"))]
        addr: Option<String>,
    },
}

/// A scenario: a configuration and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Serialize))]
#[cfg_attr(test, derive(Deserialize))]
#[cfg_attr(test, serde(deny_unknown_fields))]
pub struct Scenario {
    /// The configuration.
    pub config: ConfigSpec,
    /// The lines, in order.
    pub steps: Vec<Step>,
    /// The source line of each step (1-based), when parsed from text.
    #[cfg_attr(test, serde(default, skip))]
    pub lines: Vec<usize>,
}

impl Scenario {
    /// A scenario from its JSON form, held to the same rules as the text: it must say
    /// nothing that no scenario line can say (a name with a space, an unknown word), so
    /// it is printed as text and parsed back, and the two must agree.
    ///
    /// # Errors
    /// `ScriptError` for JSON that is not a scenario (with the JSON's line and column when
    /// it is not JSON, naming the step when a step is not one), or for a step the text
    /// cannot hold (naming the step); `LimitExceeded` past the input limit.
    pub fn from_json(json: &str) -> Result<Scenario> {
        let sc = json_in::scenario_from_json(json)?;
        let again = parse(&to_text(&sc)).map_err(|e| {
            err!(
                ScriptError,
                "the JSON scenario, written as text: {}",
                e.message
            )
        })?;
        if let Some(i) = (0..sc.steps.len()).find(|&i| again.steps.get(i) != Some(&sc.steps[i])) {
            return Err(err!(
                ScriptError,
                "step {} of the JSON scenario is not one a scenario line can say: {}",
                i + 1,
                crate::json_out::to_json(&sc.steps[i])
            ));
        }
        Ok(again)
    }
}

impl ScriptOp {
    /// An operation from its JSON text (`{"op":"fork","name":"A"}`), read by hand (see
    /// `json_in`).
    ///
    /// # Errors
    /// `ScriptError` for text that is not an operation, with `field` when one key is
    /// missing or of the wrong type or value; `LimitExceeded` past the input limit.
    pub fn from_json(json: &str) -> Result<ScriptOp> {
        json_in::op_from_json(json)
    }
}

/// `NR_CPUS` as scenario text and a configuration's JSON text may write it: decimal
/// digits only, within 32 bits (the mode's range is [`Config::validate`]'s).
pub(crate) fn parse_nr_cpus(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
fn is_ram(k: &HotplugKind) -> bool {
    *k == HotplugKind::Ram
}
