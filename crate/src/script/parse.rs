//! Scenario text to a [`Scenario`]: [`parse`], with the line and column of the first
//! problem, and the name and address checks the [`crate::session::Session`] shares.

use super::{parse_nr_cpus, parse_switch, ConfigSpec, Expect, Scenario, ScriptOp, Step, TextStep};
use crate::config::parse_size;
use crate::error::{Error, ErrorKind, Result};
use crate::event::Metrics;
use crate::limits::excerpt;
use crate::machine::{DivergenceCounts, HotplugKind, SyncKind};

pub(crate) fn script_err(line: usize, col: usize, msg: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::ScriptError,
        format!("line {line}, column {col}: {msg}"),
    )
    .at(line, Some(col))
}

pub(crate) fn valid_name(s: &str) -> bool {
    crate::limits::name_problem(s).is_none()
}

/// Parses scenario text.
///
/// # Errors
/// `ScriptError` with the line and column of the first problem; `LimitExceeded` for a
/// text over [`crate::limits::MAX_INPUT_BYTES`] or more operation lines than
/// [`crate::limits::MAX_OPERATIONS`].
pub fn parse(text: &str) -> Result<Scenario> {
    crate::limits::check_input(text, "the scenario")?;
    let mut config: Option<ConfigSpec> = None;
    let mut ops = 0usize;
    let mut steps = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let ln = i + 1;
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .unwrap_or((trimmed, ""));
        if word == "choices" {
            if !matches!(steps.last(), Some(Step::Text(TextStep::Ask(_)))) {
                return Err(script_err(
                    ln,
                    indent + 1,
                    "choices must come right after an ask line",
                ));
            }
            // `rest` ends the line: it starts after `raw.len() - rest.len()` bytes.
            let at = raw.len() - rest.len();
            steps.push(Step::Text(TextStep::Choices(parse_choices(ln, at, rest)?)));
            lines.push(ln);
            continue;
        }
        if word == "point" {
            steps.push(parse_point(ln, raw, indent, rest)?);
            lines.push(ln);
            continue;
        }
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
        let toks = tokens(raw);
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
                    format!("unexpected '{}'; usage: {usage}", excerpt(args[n].1)),
                ));
            }
            Ok(())
        };
        let name = |k: usize| -> Result<String> {
            let (c, s) = args[k];
            match crate::limits::name_problem(s) {
                None => Ok(s.to_string()),
                Some(why) => Err(script_err(ln, c, why)),
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
                    return Err(script_err(
                        ln,
                        c,
                        format!("'{a}' is not key=value", a = excerpt(a)),
                    ));
                };
                let on = |v: &str| {
                    parse_switch(v).ok_or_else(|| {
                        script_err(
                            ln,
                            c,
                            format!("{k} takes on or off, not '{v}'", v = excerpt(v)),
                        )
                    })
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
                        spec.nr_cpus = Some(parse_nr_cpus(v).ok_or_else(|| {
                            script_err(ln, c, format!("nr-cpus takes a number, not '{v}'", v = excerpt(v)))
                        })?)
                    }
                    _ => {
                        return Err(script_err(
                            ln,
                            c,
                            format!("unknown setting '{k}'; allowed: mode, split, ram, vmalloc, pti, huge-ioremap, strategy, nr-cpus", k = excerpt(k)),
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
                let kind = SyncKind::named(args[0].1).ok_or_else(|| {
                    script_err(
                        ln,
                        args[0].0,
                        format!(
                            "unknown sync '{}'; allowed: mappings, unmappings, global",
                            excerpt(args[0].1)
                        ),
                    )
                })?;
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
                let usage = "hotplug NAME PHYS SIZE [ram|pmem|dax] [by PROCESS]";
                let kind = args.get(3).and_then(|a| HotplugKind::named(a.1));
                let rest = 3 + kind.is_some() as usize;
                let by = args.get(rest).is_some_and(|a| a.1 == "by");
                need(rest + if by { 2 } else { 0 }, usage)?;
                Step::Op(ScriptOp::Hotplug {
                    name: name(0)?,
                    phys: size(1)?,
                    size: size(2)?,
                    kind: kind.unwrap_or_default(),
                    by: if by { Some(name(rest + 1)?) } else { None },
                })
            }
            "ldt" => {
                need(1, "ldt PROCESS")?;
                Step::Op(ScriptOp::Ldt { process: name(0)? })
            }
            "expect" => Step::Expect(parse_expect(ln, args)?),
            _ => {
                return Err(script_err(
                    ln,
                    c0,
                    format!("unknown word '{kw}'; a line starts with config, fork, exit, allocate, map, unmap, sync, resume, access, hotplug, ldt, expect, say, ask or choices", kw = excerpt(kw)),
                ))
            }
        };
        if matches!(step, Step::Op(_)) {
            ops += 1;
            if ops > crate::limits::MAX_OPERATIONS {
                return Err(crate::error::err!(
                    LimitExceeded,
                    "line {ln}: a scenario holds at most {} operations",
                    crate::limits::MAX_OPERATIONS
                )
                .at(ln, Some(1)));
            }
        }
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

/// The words of a statement before any `#` comment, each with its 1-based column.
fn tokens(raw: &str) -> Vec<(usize, &str)> {
    let body = raw.split('#').next().unwrap_or("");
    let mut toks = Vec::new();
    let mut pos = 0;
    for part in body.split(char::is_whitespace) {
        if !part.is_empty() {
            toks.push((pos + 1, part));
        }
        pos += part.len() + 1;
    }
    toks
}

/// The choices of `choices A | B | C`: `rest` is the text after the word, which starts
/// after the first `at` bytes of line `ln`. At least two, none empty, no two alike.
fn parse_choices(ln: usize, at: usize, rest: &str) -> Result<Vec<String>> {
    let usage = "usage: choices A | B | C (two or more, after an ask line)";
    let mut out: Vec<String> = Vec::new();
    // The byte offset in `rest` where each choice starts.
    let mut from = 0;
    for part in rest.split('|') {
        let c = part.trim();
        if c.is_empty() {
            return Err(script_err(
                ln,
                at + 1 + from,
                format!("an empty choice; {usage}"),
            ));
        }
        let col = at + 1 + from + part.len() - part.trim_start().len();
        if out.iter().any(|o| o == c) {
            return Err(script_err(
                ln,
                col,
                format!("'{c}' is offered twice", c = excerpt(c)),
            ));
        }
        out.push(c.to_string());
        from += part.len() + 1;
    }
    if out.len() < 2 {
        return Err(script_err(
            ln,
            at + 1 + rest.len(),
            format!("one choice is no choice; {usage}"),
        ));
    }
    Ok(out)
}

/// One `expect` line on its own, as [`parse`] reads it in a scenario.
///
/// # Errors
/// `ScriptError` (line 1, with the column) for a line that is not an `expect` statement.
pub fn parse_expect_line(line: &str) -> Result<Expect> {
    let toks = tokens(line);
    match toks.first() {
        Some(&(_, "expect")) => parse_expect(1, &toks[1..]),
        Some(&(c, w)) => Err(script_err(
            1,
            c,
            format!("'{w}' is not an expect line", w = excerpt(w)),
        )),
        None => Err(script_err(1, 1, "an empty line is not an expect line")),
    }
}

fn parse_expect(ln: usize, args: &[(usize, &str)]) -> Result<Expect> {
    let usage = "expect outcome O | divergence PROCESS CLASS N | metric NAME N | error KIND | table-bytes WHO SIZE";
    let Some(&(c, what)) = args.first() else {
        return Err(script_err(ln, 1, format!("usage: {usage}")));
    };
    let n = |k: usize| -> Result<u64> {
        let (c, s) = args[k];
        s.parse().map_err(|_| {
            script_err(
                ln,
                c,
                format!("'{s}' is not a whole number", s = excerpt(s)),
            )
        })
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
                    format!(
                        "unknown outcome '{o}'; allowed: translated, fault-fixed, oops, stale",
                        o = excerpt(o)
                    ),
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
                    format!("unknown class '{class}'; allowed: same, missing, stale, different, private, divergent", class = excerpt(class)),
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
                        Metrics::NAMES.join(", "),
                        name = excerpt(name)
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
                format!("unknown expectation '{o}'; usage: {usage}", o = excerpt(o)),
            ))
        }
    };
    Ok(e)
}

pub(crate) fn check_addr_syntax(a: &str) -> std::result::Result<(), String> {
    if a.starts_with("0x") || a.starts_with("0X") || a.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_size(a).map(|_| ()).map_err(|e| e.message);
    }
    let (n, off) = a.split_once('+').unwrap_or((a, "0"));
    if !valid_name(n) {
        return Err(format!(
            "'{a}' is not an address, NAME or NAME+OFFSET",
            a = excerpt(a)
        ));
    }
    parse_size(off).map(|_| ()).map_err(|e| e.message)
}

/// `point PROCESS [ADDRESS]`: where a tour's narration looks.
fn parse_point(ln: usize, raw: &str, indent: usize, rest: &str) -> Result<Step> {
    let usage = "usage: point PROCESS [ADDRESS] (PROCESS: a name, or reference)";
    let args: Vec<&str> = rest.split_whitespace().collect();
    if args.is_empty() || args.len() > 2 {
        return Err(script_err(ln, indent + 1, usage));
    }
    // Where `a` first occurs in the line, by bytes (`str::find` brings a substring
    // searcher and `str` slicing's panic path into the wasm).
    let col = |a: &str| {
        raw.as_bytes()
            .windows(a.len())
            .position(|w| w == a.as_bytes())
            .map_or(indent + 1, |i| i + 1)
    };
    let process = args[0];
    if process != "reference" && !valid_name(process) {
        return Err(script_err(
            ln,
            col(process),
            format!(
                "'{process}' is not a process name; {usage}",
                process = excerpt(process)
            ),
        ));
    }
    let addr = match args.get(1) {
        Some(a) => {
            check_addr_syntax(a).map_err(|m| script_err(ln, col(a), m))?;
            Some((*a).to_string())
        }
        None => None,
    };
    Ok(Step::Text(TextStep::Point {
        process: process.to_string(),
        addr,
    }))
}
