//! A [`Scenario`] back to text: [`to_text`], and [`op_text`] for one operation; and an
//! expectation in words for a person ([`Expect::words`]).

use super::{Expect, Scenario, ScriptOp, Step, TextStep};
use crate::machine::HotplugKind;

/// Writes a scenario as text (the inverse of [`parse`](super::parse())).
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
        Step::Text(TextStep::Choices(c)) => format!("choices {}", c.join(" | ")),
        Step::Text(TextStep::Point { process, addr }) => match addr {
            Some(a) => format!("point {process} {a}"),
            None => format!("point {process}"),
        },
    }
}

impl Expect {
    /// What the expectation checks, in words, as a tour shows it once revealed: "the
    /// access faults, and the fault is fixed up", "A has 1 slot missing", "entries
    /// copied = 64".
    pub fn words(&self) -> String {
        match self {
            Expect::Outcome { outcome } => match outcome.as_str() {
                "translated" => "the access translates, with no fault".to_owned(),
                "fault-fixed" => "the access faults, and the fault is fixed up".to_owned(),
                "oops" => "the access oopses: an unhandled kernel page fault".to_owned(),
                "stale" => "the access goes through a stale entry".to_owned(),
                other => format!("the access ends as {other}"),
            },
            Expect::Divergence {
                process,
                class,
                count,
            } => format!(
                "{process} has {count} slot{} {class}",
                if *count == 1 { "" } else { "s" }
            ),
            Expect::Metric { name, value } => format!("{} = {value}", name.replace('_', " ")),
            Expect::Error { kind } => format!("the operation is refused ({kind})"),
            Expect::TableBytes { of, bytes } => format!("page-table bytes of {of} = {bytes}"),
        }
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
        ScriptOp::Sync { kind } => format!("sync {}", kind.name()),
        ScriptOp::Resume => "resume".into(),
        ScriptOp::Access { process, addr } => format!("access {process} {addr}"),
        ScriptOp::Hotplug {
            name,
            phys,
            size,
            kind,
            by,
        } => {
            let mut t = format!("hotplug {name} {phys} {size}");
            if *kind != HotplugKind::Ram {
                t.push(' ');
                t.push_str(kind.name());
            }
            if let Some(p) = by {
                t.push_str(&format!(" by {p}"));
            }
            t
        }
        ScriptOp::Ldt { process } => format!("ldt {process}"),
    }
}
