//! Scenario files and sessions.
//!
//! A scenario is a small line-oriented text: a `config` line, one operation per line,
//! names for processes and allocations, `expect` lines that assert outcomes, and `say` /
//! `ask` lines that narrate a guided tour. Its canonical JSON form (addresses and sizes as
//! strings) is what a URL carries. A [`Session`] runs operations by name, keeps the
//! history for undo and redo (a deterministic replay of a prefix), and checks
//! expectations. The grammar is documented in `docs/scenario-format.md`.

use crate::config::{parse_size, parse_strategy, Config, Split};
use crate::error::{err, Error, ErrorKind, Result};
use crate::event::Metrics;
use crate::layout::Layout;
use crate::machine::{Divergence, DivergenceCounts, Machine, OpResult, SyncKind, Value};
use crate::memory::Pid;
use crate::mode::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    /// `x86-32`, `pae`, `x86-64` or `la57`.
    pub mode: String,
    /// `3G`, `3G_OPT`, `2G`, `2G_OPT`, `1G` (32-bit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// The top of usable RAM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram: Option<String>,
    /// The `vmalloc=` boot option (32-bit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vmalloc: Option<String>,
    /// Page-table isolation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pti: Option<bool>,
    /// Huge ioremap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub huge_ioremap: Option<bool>,
    /// A strategy name or `era:<version>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// `NR_CPUS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nr_cpus: Option<u32>,
}

impl ConfigSpec {
    /// A configuration from its JSON object text (`{"mode":"pae", ...}`).
    ///
    /// # Errors
    /// `InvalidConfig` for text that is not such an object.
    pub fn from_json(json: &str) -> Result<ConfigSpec> {
        serde_json::from_str(json).map_err(|e| err!(InvalidConfig, "not a configuration: {e}"))
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
                self.mode
            )
        })?;
        let mut c = Config::new(mode);
        if let Some(s) = &self.split {
            c.split = Some(Split::parse(s).ok_or_else(|| {
                err!(
                    InvalidConfig,
                    "unknown split '{s}'; allowed: 3G, 3G_OPT, 2G, 2G_OPT, 1G"
                )
            })?);
        }
        if let Some(r) = &self.ram {
            c.ram = parse_size(r)?;
        }
        if let Some(v) = &self.vmalloc {
            c.vmalloc = Some(parse_size(v)?);
        }
        if let Some(p) = self.pti {
            c.pti = p;
            c.strategy = crate::config::Era::V5_9.strategy(mode, p);
        }
        if let Some(h) = self.huge_ioremap {
            c.huge_ioremap = h;
        }
        if let Some(n) = self.nr_cpus {
            c.preset.nr_cpus = n;
        }
        if let Some(s) = &self.strategy {
            c.strategy = parse_strategy(s, mode, c.pti)?;
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
            strategy: Some(c.strategy.name().into()),
            nr_cpus: Some(c.preset.nr_cpus),
        }
    }
}

/// One operation, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
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
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
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
    /// `hotplug NAME PHYS SIZE` (64-bit); NAME is bound to the first new `struct page`.
    Hotplug {
        /// The name for the new memory's first `struct page`.
        name: String,
        /// The physical start.
        phys: String,
        /// The size.
        size: String,
    },
    /// `ldt PROCESS`: modify_ldt maps the process's LDT (PTI).
    Ldt {
        /// The process.
        process: String,
    },
}

/// An assertion about the state after the preceding lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "expect", rename_all = "kebab-case", deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// An operation.
    Op(ScriptOp),
    /// An expectation.
    Expect(Expect),
    /// Narration or a question.
    Text(TextStep),
}

/// `say TEXT` (narration) or `ask TEXT` (predict, then reveal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum TextStep {
    /// Narration.
    Say(String),
    /// A question to answer before the next lines are revealed.
    Ask(String),
}

/// A scenario: a configuration and its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The configuration.
    pub config: ConfigSpec,
    /// The lines, in order.
    pub steps: Vec<Step>,
    /// The source line of each step (1-based), when parsed from text.
    #[serde(default, skip)]
    pub lines: Vec<usize>,
}

fn script_err(line: usize, col: usize, msg: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::ScriptError,
        format!("line {line}, column {col}: {msg}"),
    )
}

fn valid_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '-')
}

/// Parses scenario text.
///
/// # Errors
/// `ScriptError` with the line and column of the first problem.
pub fn parse(text: &str) -> Result<Scenario> {
    let mut config: Option<ConfigSpec> = None;
    let mut steps = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        if word == "say" || word == "ask" {
            let t = rest.trim().to_string();
            if t.is_empty() {
                return Err(script_err(ln, indent + 1, format!("{word} needs a text")));
            }
            steps.push(Step::Text(if word == "say" {
                TextStep::Say(t)
            } else {
                TextStep::Ask(t)
            }));
            lines.push(ln);
            continue;
        }
        let body = raw.split('#').next().unwrap_or("");
        // Tokens with their 1-based columns.
        let mut toks: Vec<(usize, &str)> = Vec::new();
        let mut pos = 0;
        for part in body.split(char::is_whitespace) {
            if !part.is_empty() {
                toks.push((pos + 1, part));
            }
            pos += part.len() + 1;
        }
        if toks.is_empty() {
            continue;
        }
        let (c0, kw) = toks[0];
        let args = &toks[1..];
        let need = |n: usize, usage: &str| -> Result<()> {
            if args.len() < n {
                let col = toks.last().map_or(c0, |t| t.0 + t.1.len());
                return Err(script_err(
                    ln,
                    col,
                    format!("too few words; usage: {usage}"),
                ));
            }
            if args.len() > n {
                return Err(script_err(
                    ln,
                    args[n].0,
                    format!("unexpected '{}'; usage: {usage}", args[n].1),
                ));
            }
            Ok(())
        };
        let name = |k: usize| -> Result<String> {
            let (c, s) = args[k];
            if valid_name(s) {
                Ok(s.to_string())
            } else {
                Err(script_err(
                    ln,
                    c,
                    format!("'{s}' is not a name (a letter or _, then letters, digits, _ or -)"),
                ))
            }
        };
        let size = |k: usize| -> Result<String> {
            let (c, s) = args[k];
            parse_size(s).map_err(|e| script_err(ln, c, e.message))?;
            Ok(s.to_string())
        };
        if kw == "config" {
            if config.is_some() || !steps.is_empty() {
                return Err(script_err(ln, c0, "config must be the first line, once"));
            }
            let mut spec = ConfigSpec {
                mode: "pae".into(),
                ..Default::default()
            };
            for &(c, a) in args {
                let Some((k, v)) = a.split_once('=') else {
                    return Err(script_err(ln, c, format!("'{a}' is not key=value")));
                };
                let on = |v: &str| {
                    parse_switch(v)
                        .ok_or_else(|| script_err(ln, c, format!("{k} takes on or off, not '{v}'")))
                };
                match k {
                    "mode" => spec.mode = v.into(),
                    "split" => spec.split = Some(v.into()),
                    "ram" => spec.ram = Some(v.into()),
                    "vmalloc" => spec.vmalloc = Some(v.into()),
                    "pti" => spec.pti = Some(on(v)?),
                    "huge-ioremap" => spec.huge_ioremap = Some(on(v)?),
                    "strategy" | "sync" => spec.strategy = Some(v.into()),
                    "nr-cpus" => {
                        spec.nr_cpus = Some(v.parse().map_err(|_| {
                            script_err(ln, c, format!("nr-cpus takes a number, not '{v}'"))
                        })?)
                    }
                    _ => {
                        return Err(script_err(
                            ln,
                            c,
                            format!("unknown setting '{k}'; allowed: mode, split, ram, vmalloc, pti, huge-ioremap, strategy, nr-cpus"),
                        ))
                    }
                }
            }
            spec.to_config()
                .map_err(|e| script_err(ln, c0, e.message))?;
            config = Some(spec);
            continue;
        }
        let step = match kw {
            "fork" => {
                need(1, "fork NAME")?;
                Step::Op(ScriptOp::Fork { name: name(0)? })
            }
            "exit" => {
                need(1, "exit PROCESS")?;
                Step::Op(ScriptOp::Exit { process: name(0)? })
            }
            "allocate" => {
                let preempt = args.len() == 3 && args[2].1 == "preempt";
                need(if preempt { 3 } else { 2 }, "allocate NAME SIZE [preempt]")?;
                Step::Op(ScriptOp::Allocate {
                    name: name(0)?,
                    size: size(1)?,
                    preempt,
                })
            }
            "map" => {
                need(3, "map NAME PHYS SIZE")?;
                Step::Op(ScriptOp::Map {
                    name: name(0)?,
                    phys: size(1)?,
                    size: size(2)?,
                })
            }
            "unmap" => {
                need(1, "unmap NAME")?;
                Step::Op(ScriptOp::Unmap { name: name(0)? })
            }
            "sync" => {
                need(1, "sync mappings|unmappings|global")?;
                let kind = match args[0].1 {
                    "mappings" => SyncKind::Mappings,
                    "unmappings" => SyncKind::Unmappings,
                    "global" => SyncKind::Global,
                    o => {
                        return Err(script_err(
                            ln,
                            args[0].0,
                            format!("unknown sync '{o}'; allowed: mappings, unmappings, global"),
                        ))
                    }
                };
                Step::Op(ScriptOp::Sync { kind })
            }
            "resume" => {
                need(0, "resume")?;
                Step::Op(ScriptOp::Resume)
            }
            "access" => {
                need(2, "access PROCESS ADDRESS")?;
                let (c, a) = args[1];
                check_addr_syntax(a).map_err(|m| script_err(ln, c, m))?;
                Step::Op(ScriptOp::Access {
                    process: name(0)?,
                    addr: a.to_string(),
                })
            }
            "hotplug" => {
                need(3, "hotplug NAME PHYS SIZE")?;
                Step::Op(ScriptOp::Hotplug {
                    name: name(0)?,
                    phys: size(1)?,
                    size: size(2)?,
                })
            }
            "ldt" => {
                need(1, "ldt PROCESS")?;
                Step::Op(ScriptOp::Ldt { process: name(0)? })
            }
            "expect" => parse_expect(ln, args)?,
            _ => {
                return Err(script_err(
                    ln,
                    c0,
                    format!("unknown word '{kw}'; a line starts with config, fork, exit, allocate, map, unmap, sync, resume, access, hotplug, ldt, expect, say or ask"),
                ))
            }
        };
        steps.push(step);
        lines.push(ln);
    }
    let config = config.ok_or_else(|| {
        script_err(
            1,
            1,
            "a scenario starts with a config line, e.g. 'config mode=pae strategy=lazy'",
        )
    })?;
    Ok(Scenario {
        config,
        steps,
        lines,
    })
}

fn parse_expect(ln: usize, args: &[(usize, &str)]) -> Result<Step> {
    let usage = "expect outcome O | divergence PROCESS CLASS N | metric NAME N | error KIND | table-bytes WHO SIZE";
    let Some(&(c, what)) = args.first() else {
        return Err(script_err(ln, 1, format!("usage: {usage}")));
    };
    let n = |k: usize| -> Result<u64> {
        let (c, s) = args[k];
        s.parse()
            .map_err(|_| script_err(ln, c, format!("'{s}' is not a whole number")))
    };
    let count = |want: usize| -> Result<()> {
        if args.len() != want {
            Err(script_err(ln, c, format!("usage: {usage}")))
        } else {
            Ok(())
        }
    };
    let e = match what {
        "outcome" => {
            count(2)?;
            let o = args[1].1;
            if !["translated", "fault-fixed", "oops", "stale"].contains(&o) {
                return Err(script_err(
                    ln,
                    args[1].0,
                    format!("unknown outcome '{o}'; allowed: translated, fault-fixed, oops, stale"),
                ));
            }
            Expect::Outcome { outcome: o.into() }
        }
        "divergence" => {
            count(4)?;
            let class = args[2].1;
            if DivergenceCounts::default().get(class).is_none() {
                return Err(script_err(
                    ln,
                    args[2].0,
                    format!("unknown class '{class}'; allowed: same, missing, stale, different, private, divergent"),
                ));
            }
            Expect::Divergence {
                process: args[1].1.into(),
                class: class.into(),
                count: n(3)?,
            }
        }
        "metric" => {
            count(3)?;
            let name = args[1].1;
            if Metrics::default().get(name).is_none() {
                return Err(script_err(
                    ln,
                    args[1].0,
                    format!(
                        "unknown metric '{name}'; allowed: {}",
                        Metrics::NAMES.join(", ")
                    ),
                ));
            }
            Expect::Metric {
                name: name.into(),
                value: n(2)?,
            }
        }
        "error" => {
            count(2)?;
            Expect::Error {
                kind: args[1].1.into(),
            }
        }
        "table-bytes" => {
            count(3)?;
            parse_size(args[2].1).map_err(|e| script_err(ln, args[2].0, e.message))?;
            Expect::TableBytes {
                of: args[1].1.into(),
                bytes: args[2].1.into(),
            }
        }
        o => {
            return Err(script_err(
                ln,
                c,
                format!("unknown expectation '{o}'; usage: {usage}"),
            ))
        }
    };
    Ok(Step::Expect(e))
}

fn check_addr_syntax(a: &str) -> std::result::Result<(), String> {
    if a.starts_with("0x") || a.starts_with("0X") || a.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_size(a).map(|_| ()).map_err(|e| e.message);
    }
    let (n, off) = a.split_once('+').unwrap_or((a, "0"));
    if !valid_name(n) {
        return Err(format!("'{a}' is not an address, NAME or NAME+OFFSET"));
    }
    parse_size(off).map(|_| ()).map_err(|e| e.message)
}

/// Writes a scenario as text (the inverse of [`parse`]).
pub fn to_text(s: &Scenario) -> String {
    let c = &s.config;
    let mut out = format!("config mode={}", c.mode);
    let mut kv = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push_str(&format!(" {k}={v}"));
        }
    };
    kv("split", c.split.clone());
    kv("ram", c.ram.clone());
    kv("vmalloc", c.vmalloc.clone());
    let onoff = |b: bool| if b { "on" } else { "off" }.to_string();
    kv("pti", c.pti.map(onoff));
    kv("huge-ioremap", c.huge_ioremap.map(onoff));
    kv("strategy", c.strategy.clone());
    kv("nr-cpus", c.nr_cpus.map(|n| n.to_string()));
    out.push('\n');
    for st in &s.steps {
        out.push_str(&step_text(st));
        out.push('\n');
    }
    out
}

fn step_text(st: &Step) -> String {
    match st {
        Step::Op(op) => op_text(op),
        Step::Expect(e) => match e {
            Expect::Outcome { outcome } => format!("expect outcome {outcome}"),
            Expect::Divergence {
                process,
                class,
                count,
            } => format!("expect divergence {process} {class} {count}"),
            Expect::Metric { name, value } => format!("expect metric {name} {value}"),
            Expect::Error { kind } => format!("expect error {kind}"),
            Expect::TableBytes { of, bytes } => format!("expect table-bytes {of} {bytes}"),
        },
        Step::Text(TextStep::Say(t)) => format!("say {t}"),
        Step::Text(TextStep::Ask(t)) => format!("ask {t}"),
    }
}

/// One operation as a scenario line.
pub fn op_text(op: &ScriptOp) -> String {
    match op {
        ScriptOp::Fork { name } => format!("fork {name}"),
        ScriptOp::Exit { process } => format!("exit {process}"),
        ScriptOp::Allocate {
            name,
            size,
            preempt,
        } => format!(
            "allocate {name} {size}{}",
            if *preempt { " preempt" } else { "" }
        ),
        ScriptOp::Map { name, phys, size } => format!("map {name} {phys} {size}"),
        ScriptOp::Unmap { name } => format!("unmap {name}"),
        ScriptOp::Sync { kind } => format!(
            "sync {}",
            match kind {
                SyncKind::Mappings => "mappings",
                SyncKind::Unmappings => "unmappings",
                SyncKind::Global => "global",
            }
        ),
        ScriptOp::Resume => "resume".into(),
        ScriptOp::Access { process, addr } => format!("access {process} {addr}"),
        ScriptOp::Hotplug { name, phys, size } => format!("hotplug {name} {phys} {size}"),
        ScriptOp::Ldt { process } => format!("ldt {process}"),
    }
}

/// What one scenario step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "result", rename_all = "lowercase")]
pub enum StepResult {
    /// An operation ran.
    Op(OpResult),
    /// An operation was refused, as the next line expected.
    Refused(Error),
    /// An expectation held.
    Checked,
    /// Narration.
    Text,
}

/// Words per process in [`Session::process_stats`].
pub const PROCESS_STAT_FIELDS: usize = 7;

/// Page-table memory in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TableBytes {
    /// The kernel's: the reference and the lower tables all processes share.
    pub kernel: u64,
    /// The kernel's and every process's.
    pub total: u64,
}

/// What the front end shows for a process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessInfo {
    /// Its name.
    pub name: String,
    /// Its pid.
    pub pid: Pid,
    /// Page-table bytes private to it.
    pub table_bytes: u64,
    /// How its kernel slots compare with the reference.
    pub divergence: DivergenceCounts,
}

/// One slot of one table, decoded for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotInfo {
    /// The index among the kernel slots (0 = the first kernel slot).
    pub slot: usize,
    /// The index in the table of the sync level.
    pub index: usize,
    /// The first address the slot covers.
    pub va: u64,
    /// The last address the slot covers.
    pub last: u64,
    /// The region that covers most of it.
    pub region: String,
    /// The sync level's name.
    pub level: String,
    /// The raw entry.
    pub raw: u64,
    /// The reference's raw entry.
    pub reference_raw: u64,
    /// Whether present.
    pub present: bool,
    /// `empty`, `table` or `leaf`.
    pub kind: String,
    /// ptdump's flag names that are set.
    pub flags: Vec<String>,
    /// The physical address it points to (a table, or a huge page).
    pub target: Option<u64>,
    /// The divergence class (`same` for the reference).
    pub divergence: String,
}

/// The layout as the CLI's `layout --json` and the front end see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayoutInfo {
    /// The mode.
    pub mode: String,
    /// `PAGE_OFFSET`.
    pub page_offset: String,
    /// `high_memory`.
    pub high_memory: String,
    /// `VMALLOC_START`.
    pub vmalloc_start: String,
    /// `VMALLOC_END` as the kernel defines it.
    pub vmalloc_end: String,
    /// `PKMAP_BASE` (32-bit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pkmap_base: Option<String>,
    /// `FIXADDR_START`.
    pub fixaddr_start: String,
    /// `FIXADDR_TOT_START`.
    pub fixaddr_tot_start: String,
    /// `CPU_ENTRY_AREA_BASE`.
    pub cpu_entry_area_base: String,
    /// `LDT_BASE_ADDR`.
    pub ldt_base: String,
    /// `VMEMMAP_START` (64-bit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vmemmap_base: Option<String>,
    /// The sync level's name.
    pub sync_level: String,
    /// Bytes per page-table entry: 4 on 2-level, 8 on PAE and 64-bit.
    pub entry_bytes: u64,
    /// Bytes one sync-level slot covers.
    pub slot_span: String,
    /// Sync-level slots the vmalloc area touches (rounded outward).
    pub vmalloc_sync_slots: u64,
    /// The first and one-past-last kernel-slot indices (from 0) the vmalloc area touches.
    pub vmalloc_slot_range: [u64; 2],
    /// Sync-level slots of the kernel half.
    pub kernel_sync_slots: u64,
    /// The global index of the first kernel slot.
    pub first_kernel_slot: u64,
    /// Page-table bytes to pre-allocate every vmalloc slot.
    pub prealloc_bytes: u64,
    /// `VmallocTotal` in kB.
    pub vmalloc_total_kb: u64,
    /// The email's estimate of PMD entries to sync (PAE only): kernel PMDs − direct map −
    /// 4 (the 8 MiB hole) − 4 (the end of the space).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_estimate_slots: Option<u64>,
    /// The regions, with addresses as hex strings.
    pub regions: Vec<RegionInfo>,
}

/// A region for [`LayoutInfo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    /// The kernel's name.
    pub name: String,
    /// The kind (for colour).
    pub kind: crate::layout::RegionKind,
    /// The region code (as in `slot_regions`).
    pub code: u8,
    /// The first byte, hex.
    pub start: String,
    /// The last byte, hex.
    pub last: String,
}

impl LayoutInfo {
    /// The summary of a layout.
    pub fn new(l: &Layout) -> LayoutInfo {
        let hex = |v: u64| format!("{v:#x}");
        let first = l.first_kernel_slot();
        let vm = l.vmalloc_slots();
        let span = l.mode.sync_geom().span();
        LayoutInfo {
            mode: l.mode.name().into(),
            page_offset: hex(l.page_offset),
            high_memory: hex(l.high_memory),
            vmalloc_start: hex(l.vmalloc_start),
            vmalloc_end: hex(l.vmalloc_end),
            pkmap_base: l.pkmap_base.map(hex),
            fixaddr_start: hex(l.fixaddr_start),
            fixaddr_tot_start: hex(l.fixaddr_tot_start),
            cpu_entry_area_base: hex(l.cpu_entry_area_base),
            ldt_base: hex(l.ldt_base),
            vmemmap_base: l.vmemmap_base.map(hex),
            sync_level: l.mode.sync_geom().level.name().into(),
            entry_bytes: l.mode.entry_bytes(),
            slot_span: hex(span),
            vmalloc_sync_slots: vm.len() as u64,
            vmalloc_slot_range: [(vm.start - first) as u64, (vm.end - first) as u64],
            kernel_sync_slots: l.kernel_sync_slots() as u64,
            first_kernel_slot: first as u64,
            prealloc_bytes: l.prealloc_bytes(),
            vmalloc_total_kb: l.vmalloc_total_kb(),
            email_estimate_slots: (l.mode == Mode::Pae).then(|| {
                let direct = (l.high_memory - l.page_offset) / span;
                (l.kernel_sync_slots() as u64)
                    .saturating_sub(direct + crate::layout::VMALLOC_OFFSET / span + 4)
            }),
            regions: l
                .regions
                .iter()
                .map(|r| RegionInfo {
                    name: r.name.into(),
                    kind: r.kind,
                    code: r.kind.code(),
                    start: hex(r.start),
                    last: hex(r.last),
                })
                .collect(),
        }
    }
}

/// A machine driven by names, with its history.
#[derive(Debug, Clone)]
pub struct Session {
    machine: Machine,
    procs: BTreeMap<String, Pid>,
    allocs: BTreeMap<String, u64>,
    history: Vec<ScriptOp>,
    cursor: usize,
    last_access: Option<String>,
    last_error: Option<Error>,
}

impl Session {
    /// A fresh session on a booted machine.
    ///
    /// # Errors
    /// `InvalidConfig`.
    pub fn new(config: Config) -> Result<Session> {
        let machine = Machine::new(config)?;
        Ok(Session {
            machine,
            procs: BTreeMap::new(),
            allocs: BTreeMap::new(),
            history: Vec::new(),
            cursor: 0,
            last_access: None,
            last_error: None,
        })
    }

    /// A session that has run every line of a scenario text, checking its expectations.
    ///
    /// # Errors
    /// `ScriptError` (parse), `ExpectationFailed`, or an operation's error with its line.
    pub fn from_text(text: &str) -> Result<Session> {
        let sc = parse(text)?;
        let mut s = Session::new(sc.config.to_config()?)?;
        s.run_steps(&sc)?;
        Ok(s)
    }

    /// Runs a scenario's steps on this session.
    ///
    /// # Errors
    /// The first failing line: an operation refused without an `expect error` after it,
    /// or an expectation that does not hold.
    pub fn run_steps(&mut self, sc: &Scenario) -> Result<()> {
        for i in 0..sc.steps.len() {
            self.step(sc, i)?;
        }
        Ok(())
    }

    /// Runs step `i` of a scenario. An operation refused with an `expect error` line right
    /// after it is a [`StepResult::Refused`], not an error.
    ///
    /// # Errors
    /// The step's error, prefixed with its line.
    pub fn step(&mut self, sc: &Scenario, i: usize) -> Result<StepResult> {
        let line = sc.lines.get(i).copied().unwrap_or(i + 1);
        let at = |e: Error| Error::new(e.kind, format!("line {line}: {}", e.message));
        match &sc.steps[i] {
            Step::Op(op) => match self.apply(op.clone()) {
                Ok(r) => Ok(StepResult::Op(r)),
                Err(e) => {
                    let expected = matches!(
                        sc.steps.get(i + 1),
                        Some(Step::Expect(Expect::Error { .. }))
                    );
                    if !expected {
                        return Err(at(Error::new(
                            e.kind,
                            format!("{}: {}", op_text(op), e.message),
                        )));
                    }
                    self.last_error = Some(e.clone());
                    Ok(StepResult::Refused(e))
                }
            },
            Step::Expect(x) => self.check(x).map(|()| StepResult::Checked).map_err(at),
            Step::Text(_) => Ok(StepResult::Text),
        }
    }

    /// The machine.
    pub fn machine(&self) -> &Machine {
        &self.machine
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.machine.config()
    }

    fn pid(&self, name: &str) -> Result<Pid> {
        self.procs.get(name).copied().ok_or_else(|| {
            err!(
                UnknownProcess,
                "no live process '{name}'; live: {}",
                if self.procs.is_empty() {
                    "none (fork one first)".to_string()
                } else {
                    self.procs.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            )
        })
    }

    fn pid_opt(&self, name: Option<&str>) -> Result<Option<Pid>> {
        name.map(|n| self.pid(n)).transpose()
    }

    fn fresh_name(&self, name: &str) -> Result<()> {
        if !valid_name(name) {
            return Err(err!(
                ScriptError,
                "'{name}' is not a name (a letter or _, then letters, digits, _ or -)"
            ));
        }
        if self.procs.contains_key(name) || self.allocs.contains_key(name) {
            return Err(err!(
                ScriptError,
                "the name '{name}' is in use; pick another"
            ));
        }
        Ok(())
    }

    /// Resolves `NAME`, `NAME+OFFSET` or an absolute address.
    ///
    /// # Errors
    /// `BadAddress` or `UnknownAllocation`.
    pub fn resolve(&self, addr: &str) -> Result<u64> {
        check_addr_syntax(addr).map_err(|m| err!(BadAddress, "{m}"))?;
        if addr.starts_with(|c: char| c.is_ascii_digit()) {
            return parse_size(addr).map_err(|e| err!(BadAddress, "{}", e.message));
        }
        let (n, off) = addr.split_once('+').unwrap_or((addr, "0"));
        let base = self.allocs.get(n).copied().ok_or_else(|| {
            err!(
                UnknownAllocation,
                "no live allocation '{n}'; live: {}",
                if self.allocs.is_empty() {
                    "none".to_string()
                } else {
                    self.allocs.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            )
        })?;
        base.checked_add(parse_size(off)?)
            .ok_or_else(|| err!(BadAddress, "{addr} overflows the address space"))
    }

    fn exec(&mut self, op: &ScriptOp) -> Result<OpResult> {
        match op {
            ScriptOp::Fork { name } => {
                self.fresh_name(name)?;
                let r = self.machine.fork()?;
                if let Value::Pid(p) = r.value {
                    self.procs.insert(name.clone(), p);
                }
                Ok(r)
            }
            ScriptOp::Exit { process } => {
                let p = self.pid(process)?;
                let r = self.machine.exit(p)?;
                self.procs.remove(process);
                Ok(r)
            }
            ScriptOp::Allocate {
                name,
                size,
                preempt,
            } => {
                self.fresh_name(name)?;
                let r = self.machine.allocate(parse_size(size)?, *preempt)?;
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Map { name, phys, size } => {
                self.fresh_name(name)?;
                let r = self.machine.map(parse_size(phys)?, parse_size(size)?)?;
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Unmap { name } => {
                let a = self.allocs.get(name).copied().ok_or_else(|| {
                    err!(UnknownAllocation, "no live allocation '{name}' to unmap")
                })?;
                let r = self.machine.unmap(a)?;
                self.allocs.remove(name);
                Ok(r)
            }
            ScriptOp::Sync { kind } => self.machine.sync(*kind),
            ScriptOp::Resume => self.machine.resume(),
            ScriptOp::Access { process, addr } => {
                let p = self.pid(process)?;
                let a = self.resolve(addr)?;
                let r = self.machine.access(p, a)?;
                if let Value::Access(acc) = &r.value {
                    self.last_access = Some(acc.outcome.name().to_string());
                }
                Ok(r)
            }
            ScriptOp::Hotplug { name, phys, size } => {
                self.fresh_name(name)?;
                let r = self.machine.hotplug(parse_size(phys)?, parse_size(size)?)?;
                if let Value::Address(a) = r.value {
                    self.allocs.insert(name.clone(), a);
                }
                Ok(r)
            }
            ScriptOp::Ldt { process } => {
                let p = self.pid(process)?;
                self.machine.ldt(p)
            }
        }
    }

    /// Applies one operation. On success it becomes the newest history entry (any redo
    /// tail is dropped); on failure nothing changes.
    ///
    /// # Errors
    /// The operation's error.
    pub fn apply(&mut self, op: ScriptOp) -> Result<OpResult> {
        let r = self.exec(&op)?;
        self.history.truncate(self.cursor);
        self.history.push(op);
        self.cursor += 1;
        self.last_error = None;
        Ok(r)
    }

    /// Applies one operation given as canonical JSON.
    ///
    /// # Errors
    /// `ScriptError` for JSON that is not an operation; otherwise the operation's error.
    pub fn apply_json(&mut self, json: &str) -> Result<OpResult> {
        let op: ScriptOp =
            serde_json::from_str(json).map_err(|e| err!(ScriptError, "not an operation: {e}"))?;
        self.apply(op)
    }

    fn replay(&mut self, upto: usize) {
        let history = std::mem::take(&mut self.history);
        let config = self.machine.config().clone();
        let mut fresh = Session::new(config).expect("the config booted before");
        for op in &history[..upto] {
            // The same operations on the same configuration succeed again: the engine is
            // deterministic.
            let _ = fresh.exec(op);
        }
        fresh.history = history;
        fresh.cursor = upto;
        *self = fresh;
    }

    /// Steps back one operation. Returns false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.replay(self.cursor - 1);
        true
    }

    /// Re-applies the operation last undone. Returns false when there is none.
    pub fn redo(&mut self) -> bool {
        if self.cursor >= self.history.len() {
            return false;
        }
        let op = self.history[self.cursor].clone();
        if self.exec(&op).is_err() {
            return false;
        }
        self.cursor += 1;
        true
    }

    /// Moves the cursor to `cursor` (clamped to the history) in one go: back by one replay
    /// of the prefix, forward by re-applying the undone operations. Returns the cursor
    /// reached (short of the target only if an operation failed on the way forward). A
    /// jump of n steps costs one replay, where n calls of [`Session::undo`] cost n.
    pub fn seek(&mut self, cursor: usize) -> usize {
        let target = cursor.min(self.history.len());
        if target < self.cursor {
            self.replay(target);
        }
        while self.cursor < target && self.redo() {}
        self.cursor
    }

    /// Whether [`Session::undo`] would do something.
    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    /// Whether [`Session::redo`] would do something.
    pub fn can_redo(&self) -> bool {
        self.cursor < self.history.len()
    }

    /// The operations applied (up to the cursor) and undone (after it).
    pub fn history(&self) -> &[ScriptOp] {
        &self.history
    }

    /// How many history entries are applied.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The applied operations as a scenario.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            config: ConfigSpec::from_config(self.machine.config()),
            steps: self.history[..self.cursor]
                .iter()
                .cloned()
                .map(Step::Op)
                .collect(),
            lines: Vec::new(),
        }
    }

    /// The applied operations as scenario text.
    pub fn scenario_text(&self) -> String {
        to_text(&self.scenario())
    }

    /// The applied operations as canonical JSON.
    pub fn scenario_json(&self) -> String {
        serde_json::to_string(&self.scenario()).unwrap_or_default()
    }

    /// Checks one expectation.
    ///
    /// # Errors
    /// `ExpectationFailed` saying what was expected and what is.
    pub fn check(&self, x: &Expect) -> Result<()> {
        let fail = |what: String| Err(err!(ExpectationFailed, "{what}"));
        match x {
            Expect::Outcome { outcome } => match &self.last_access {
                Some(o) if o == outcome => Ok(()),
                Some(o) => fail(format!(
                    "expected outcome {outcome}, the last access was {o}"
                )),
                None => fail(format!(
                    "expected outcome {outcome}, but nothing was accessed"
                )),
            },
            Expect::Divergence {
                process,
                class,
                count,
            } => {
                let p = self.pid(process)?;
                let c = self.machine.divergence_counts(p).unwrap_or_default();
                let got = c.get(class).unwrap_or(0);
                if got == *count {
                    Ok(())
                } else {
                    fail(format!(
                        "expected {count} {class} slots in {process}, found {got} (same {}, missing {}, stale {}, different {}, private {})",
                        c.same, c.missing, c.stale, c.different, c.private
                    ))
                }
            }
            Expect::Metric { name, value } => {
                let got = self.machine.metrics().get(name).unwrap_or(0);
                if got == *value {
                    Ok(())
                } else {
                    fail(format!("expected {name} = {value}, found {got}"))
                }
            }
            Expect::Error { kind } => match &self.last_error {
                Some(e) if e.kind.name() == kind => Ok(()),
                Some(e) => fail(format!(
                    "expected error {kind}, the operation failed with {}",
                    e.kind.name()
                )),
                None => fail(format!("expected error {kind}, the operation succeeded")),
            },
            Expect::TableBytes { of, bytes } => {
                let want = parse_size(bytes)?;
                let got = match of.as_str() {
                    "kernel" => self.machine.kernel_table_bytes(),
                    "total" => self.machine.total_table_bytes(),
                    p => self.machine.process_table_bytes(self.pid(p)?),
                };
                if got == want {
                    Ok(())
                } else {
                    fail(format!(
                        "expected {of} page tables of {want} bytes, found {got}"
                    ))
                }
            }
        }
    }

    /// Every live process, in `pgd_list` order.
    pub fn processes(&self) -> Vec<ProcessInfo> {
        let names: BTreeMap<Pid, &String> = self.procs.iter().map(|(n, p)| (*p, n)).collect();
        self.machine
            .all_divergence_counts()
            .into_iter()
            .filter_map(|(pid, divergence)| {
                Some(ProcessInfo {
                    name: names.get(&pid)?.to_string(),
                    pid,
                    table_bytes: self.machine.process_table_bytes(pid),
                    divergence,
                })
            })
            .collect()
    }

    /// The numbers of [`Session::processes`] as one flat array for a typed-array view,
    /// [`PROCESS_STAT_FIELDS`] words per process in `pgd_list` order: pid, same, missing,
    /// stale, different, private, page-table bytes (a process owns at most a few dozen KiB).
    pub fn process_stats(&self) -> Vec<u32> {
        let mut v = Vec::with_capacity(self.procs.len() * PROCESS_STAT_FIELDS);
        for (pid, d) in self.machine.all_divergence_counts() {
            let bytes = self.machine.process_table_bytes(pid);
            v.extend_from_slice(&[
                pid,
                d.same,
                d.missing,
                d.stale,
                d.different,
                d.private,
                u32::try_from(bytes).unwrap_or(u32::MAX),
            ]);
        }
        v
    }

    /// The names of the live processes in `pgd_list` order (the order of
    /// [`Session::process_stats`]).
    pub fn process_names(&self) -> Vec<String> {
        let mut v: Vec<(Pid, &String)> = self.procs.iter().map(|(n, p)| (*p, n)).collect();
        v.sort_unstable();
        v.into_iter().map(|(_, n)| n.clone()).collect()
    }

    /// The drawing bytes of a table (see [`Machine::cells`]); `None` is the reference.
    ///
    /// # Errors
    /// `UnknownProcess`.
    pub fn cells(&self, process: Option<&str>) -> Result<Vec<u8>> {
        let pid = self.pid_opt(process)?;
        Ok(self.machine.cells(pid).unwrap_or_default())
    }

    /// The region code of every kernel slot.
    pub fn slot_regions(&self) -> Vec<u8> {
        let l = self.machine.layout();
        (l.first_kernel_slot()..l.total_slots())
            .map(|s| l.slot_region(s).code())
            .collect()
    }

    /// One kernel slot of a table, decoded.
    ///
    /// # Errors
    /// `UnknownProcess`; `BadAddress` for a slot beyond the kernel half.
    pub fn describe(&self, process: Option<&str>, slot: usize) -> Result<SlotInfo> {
        let pid = self.pid_opt(process)?;
        let l = self.machine.layout();
        if slot >= l.kernel_sync_slots() {
            return Err(err!(
                BadAddress,
                "slot {slot} is beyond the kernel half (0 to {})",
                l.kernel_sync_slots() - 1
            ));
        }
        let g = l.first_kernel_slot() + slot;
        let mode = l.mode;
        let k = self.machine.reference_entry(g);
        let raw = match pid {
            None => k,
            Some(p) => self.machine.process_entry(p, g).unwrap_or(0),
        };
        let present = raw & crate::mode::bits::PRESENT != 0;
        let depth = mode.sync_depth();
        let leaf = present && mode.is_leaf(depth, raw);
        let flags = crate::ptdump::flags(mode, raw, leaf)
            .split_whitespace()
            .map(String::from)
            .collect();
        let div = match pid {
            None => Divergence::Same,
            Some(_) => self.machine.classify(g, raw, k),
        };
        let va = l.slot_address(g);
        let region = l
            .region_of(va.max(l.kernel_start()))
            .map_or("hole", |r| r.name);
        Ok(SlotInfo {
            slot,
            index: mode.sync_geom().index(va),
            va,
            last: va + (mode.sync_geom().span() - 1),
            region: region.into(),
            level: mode.sync_geom().level.name().into(),
            raw,
            reference_raw: k,
            present,
            kind: if !present {
                "empty"
            } else if leaf {
                "leaf"
            } else {
                "table"
            }
            .into(),
            flags: if present { flags } else { Vec::new() },
            target: present.then_some(raw & mode.addr_mask()),
            divergence: div.name().into(),
        })
    }

    /// ptdump text of a table's kernel half, or of one kernel slot.
    ///
    /// # Errors
    /// `UnknownProcess`; `BadAddress` for a slot beyond the kernel half.
    pub fn ptdump(&self, process: Option<&str>, slot: Option<usize>) -> Result<String> {
        let pid = self.pid_opt(process)?;
        let l = self.machine.layout();
        let (start, end) = match slot {
            None => (
                l.kernel_start(),
                if l.mode.is_32bit() { 1 << 32 } else { 0 },
            ),
            Some(s) => {
                let info = self.describe(process, s)?;
                (info.va, info.last.wrapping_add(1))
            }
        };
        Ok(self.machine.ptdump(pid, start, end).unwrap_or_default())
    }

    /// The layout summary.
    pub fn layout_info(&self) -> LayoutInfo {
        LayoutInfo::new(self.machine.layout())
    }

    /// Page-table memory: the kernel's (reference and shared tables) and the total.
    pub fn table_bytes(&self) -> TableBytes {
        TableBytes {
            kernel: self.machine.kernel_table_bytes(),
            total: self.machine.total_table_bytes(),
        }
    }

    /// Cumulative metrics.
    pub fn metrics(&self) -> Metrics {
        self.machine.metrics()
    }

    /// The state hash (see [`Machine::state_hash`]).
    pub fn state_hash(&self) -> u64 {
        self.machine.state_hash()
    }

    /// The names of the live allocations and their addresses.
    pub fn allocations(&self) -> Vec<(String, u64)> {
        self.allocs.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}
