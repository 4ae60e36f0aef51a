//! The JSON forms read by hand: an operation, a configuration and a scenario
//! ([`ScriptOp::from_json`], [`ConfigSpec::from_json`], [`Scenario::from_json`]).
//!
//! serde_json parses the text once into a `Json` tree (`json_tree`: its strings borrow
//! from the text where they hold no escapes, so an operation is read with one allocation,
//! its list of keys); the engine's types are built from it here, key by key. An operation
//! in the one form the page writes (`{"op":"sync","kind":"unmappings"}`: no whitespace,
//! strings without escapes) has its members read by `json_tree::flat` instead, without
//! the parser and without allocating: the same members, so the same answer. No derived
//! `Deserialize` runs outside the tests: for the untagged and internally tagged enums of
//! a step it buffered every value through serde's `Content` and weighed about 98 kB of the
//! wasm (docs/wasm-size.md). What is read is the format of docs/scenario-format.md ("JSON
//! form"), no more:
//! - every value is an object: an operation tagged by `"op"`, an expectation by
//!   `"expect"`, a text step an object of one key (`say`, `ask`, `choices`, `point`);
//! - the keys of the format and no other, each once; an optional key may be left out or
//!   `null` (`preempt` and a hot-add's `kind` may be left out, and are never `null`);
//! - strings where the format has strings, whole numbers from 0 for counts, `true` or
//!   `false` for switches; `nr_cpus` a whole number, or a string of decimal digits, as
//!   a form's text box holds it.
//!
//! An error is of the caller's kind (`ScriptError` for an operation or a scenario,
//! `InvalidConfig` for a configuration) and has a `field` when it is about one input of
//! an operation or a configuration: a key missing, or of the wrong type or value. An
//! unknown key names no input, and the keys of expectations and text steps are not
//! inputs: those errors have none.

use super::json_tree::{flat, member, Json, Members};
use super::{ConfigSpec, Expect, Scenario, ScriptOp, Step, TextStep};
use crate::error::{err, Error, ErrorKind, Field, Result};
use crate::limits::excerpt;
use crate::machine::{HotplugKind, SyncKind};
use std::borrow::Cow;
use std::mem::ManuallyDrop;

/// What is wrong with a value: a message and, when it is about one input, the input.
struct Bad {
    message: String,
    field: Option<Field>,
    /// The message says it all (a value of the right type that is not allowed); else it
    /// follows what the text is not ("not an operation: ...").
    plain: bool,
}

type Got<T> = std::result::Result<T, Bad>;

impl Bad {
    fn new(message: String) -> Bad {
        Bad {
            message,
            field: None,
            plain: false,
        }
    }

    fn error(self, kind: ErrorKind, what: &str) -> Error {
        let message = if self.plain {
            self.message
        } else {
            format!("{what}: {}", self.message)
        };
        let e = Error::new(kind, message);
        match self.field {
            Some(f) => e.about(f),
            None => e,
        }
    }
}

/// One JSON value, or the parser's error (with its line and column).
fn value(json: &str) -> std::result::Result<Json<'_>, serde_json::Error> {
    serde_json::from_str::<Json>(json)
}

/// An operation from its JSON text: the members of the form the page writes read by
/// [`flat`], without the parser or a tree (the same members the tree would hold, so the
/// same answer); any other text parsed.
pub(crate) fn op_from_json(json: &str) -> Result<ScriptOp> {
    crate::limits::check_input(json, "the operation")?;
    // `flat` borrows every string from the text: nothing in `m` needs dropping.
    let mut m = ManuallyDrop::new(std::array::from_fn(|_| (Cow::Borrowed(""), Json::Null)));
    match flat(json, &mut m) {
        Some(n) => op_in(&m[..n]).map_err(op_error),
        None => op_from_tree(json),
    }
}

/// An operation from its JSON text, parsed into a [`Json`] tree.
pub(super) fn op_from_tree(json: &str) -> Result<ScriptOp> {
    let v = value(json).map_err(|e| err!(ScriptError, "not an operation: {e}"))?;
    op(&v).map_err(op_error)
}

fn op_error(b: Bad) -> Error {
    b.error(ErrorKind::ScriptError, "not an operation")
}

/// A configuration from its JSON text.
pub(crate) fn config_from_json(json: &str) -> Result<ConfigSpec> {
    crate::limits::check_input(json, "the configuration")?;
    let v = value(json).map_err(|e| err!(InvalidConfig, "not a configuration: {e}"))?;
    config(&v).map_err(|b| b.error(ErrorKind::InvalidConfig, "not a configuration"))
}

/// A scenario from its JSON text, as it is written (not yet held to the text's rules).
pub(crate) fn scenario_from_json(json: &str) -> Result<Scenario> {
    crate::limits::check_input(json, "the scenario")?;
    let what = "not a scenario in JSON form";
    let v =
        value(json).map_err(|e| err!(ScriptError, "{what}: {e}").at(e.line(), Some(e.column())))?;
    scenario(&v).map_err(|mut b| {
        b.plain = false;
        b.error(ErrorKind::ScriptError, what)
    })
}

/// A value as a message quotes it: `the number 4`, `the string "x"`, `an array`, ...
fn describe(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("the value {b}"),
        Json::Num(n) => number(n),
        Json::Str(s) => format!("the string \"{}\"", excerpt(s)),
        Json::Arr(_) => "an array".into(),
        Json::Obj(_) => "an object".into(),
    }
}

/// A number as a message quotes it: `the number 4`, `the number -1`; a number with a
/// fraction or an exponent is named, not printed.
fn number(n: &serde_json::Number) -> String {
    match whole(n) {
        Some(digits) => format!("the number {digits}"),
        None => "a number with a fraction".into(),
    }
}

/// A whole number's digits. Printing a `serde_json::Number` that holds a float would bring
/// a float printer (ryu and some 14 kB of its tables, 11 kB gzip) into the wasm for the
/// sake of a message (docs/wasm-size.md), so a float is not printed.
fn whole(n: &serde_json::Number) -> Option<String> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => Some(u.to_string()),
        (None, Some(i)) => Some(i.to_string()),
        _ => None,
    }
}

/// The input a key is, for [`Error::field`].
fn field_named(key: &str) -> Option<Field> {
    Field::ALL.into_iter().find(|f| f.name() == key)
}

/// An object being read: `what` names it in messages ("allocate", "the configuration");
/// its keys are inputs ([`Field`]) when `inputs`.
struct Obj<'a> {
    m: &'a Members<'a>,
    what: &'a str,
    inputs: bool,
}

impl<'a> Obj<'a> {
    /// `m` as `what`, refusing any key not among `keys`.
    fn new(m: &'a Members<'a>, what: &'a str, inputs: bool, keys: &[&str]) -> Got<Self> {
        if let Some((k, _)) = m.iter().find(|(k, _)| !keys.contains(&k.as_ref())) {
            return Err(Bad::new(format!(
                "{what} has no key \"{}\" (its keys: {})",
                excerpt(k),
                keys.join(", ")
            )));
        }
        let twice = (1..m.len()).find(|&i| m[..i].iter().any(|(k, _)| *k == m[i].0));
        if let Some(i) = twice {
            let k = &m[i].0;
            return Err(Bad {
                message: format!("{what} has the key \"{}\" twice", excerpt(k)),
                field: if inputs { field_named(k) } else { None },
                plain: false,
            });
        }
        Ok(Obj { m, what, inputs })
    }

    fn bad(&self, key: &str, message: String) -> Bad {
        Bad {
            message,
            field: if self.inputs { field_named(key) } else { None },
            plain: false,
        }
    }

    fn missing(&self, key: &str, kind: &str) -> Bad {
        self.bad(key, format!("{} needs \"{key}\" ({kind})", self.what))
    }

    fn wrong(&self, key: &str, kind: &str, v: &Json) -> Bad {
        let m = format!("{}'s \"{key}\" is {kind}, not {}", self.what, describe(v));
        self.bad(key, m)
    }

    /// A key that must be there.
    fn need(&self, key: &str, kind: &str) -> Got<&'a Json<'a>> {
        member(self.m, key).ok_or_else(|| self.missing(key, kind))
    }

    /// A key that may be left out or `null`.
    fn may(&self, key: &str) -> Option<&'a Json<'a>> {
        member(self.m, key).filter(|v| !v.is_null())
    }

    fn string(&self, key: &str) -> Got<String> {
        let v = self.need(key, "a string")?;
        self.as_string(key, v)
    }

    fn as_string(&self, key: &str, v: &Json) -> Got<String> {
        match v {
            Json::Str(s) => Ok(s.to_string()),
            _ => Err(self.wrong(key, "a string", v)),
        }
    }

    fn opt_string(&self, key: &str) -> Got<Option<String>> {
        self.may(key).map(|v| self.as_string(key, v)).transpose()
    }

    fn opt_bool(&self, key: &str) -> Got<Option<bool>> {
        self.may(key).map(|v| self.as_bool(key, v)).transpose()
    }

    fn as_bool(&self, key: &str, v: &Json) -> Got<bool> {
        v.as_bool()
            .ok_or_else(|| self.wrong(key, "true or false", v))
    }

    /// A switch that is off when left out (and is never `null`).
    fn flag(&self, key: &str) -> Got<bool> {
        member(self.m, key).map_or(Ok(false), |v| self.as_bool(key, v))
    }

    /// A whole number from 0.
    fn count(&self, key: &str) -> Got<u64> {
        let v = self.need(key, "a whole number")?;
        v.as_u64()
            .ok_or_else(|| self.wrong(key, "a whole number from 0", v))
    }

    /// A string that must be one of `allowed` (said as `allowed_text`), read by `named`.
    fn one_of<T>(
        &self,
        v: &Json,
        key: &str,
        allowed_text: &str,
        named: impl Fn(&str) -> Option<T>,
    ) -> Got<T> {
        v.as_str()
            .and_then(named)
            .ok_or_else(|| self.wrong(key, allowed_text, v))
    }
}

/// The object `v` and its tag `key` (a string), or what is wrong; `what` and `example`
/// name the object ("an operation", `{"op": "fork", "name": "A"}`).
fn tagged<'a>(
    v: &'a Json<'a>,
    key: &str,
    what: &str,
    example: &str,
    allowed: &str,
) -> Got<(&'a Members<'a>, &'a str)> {
    let m = object(v, what, example)?;
    tag(m, key, what, allowed).map(|t| (m, t))
}

/// The members of the object `v`, or what is wrong (named as in [`tagged`]).
fn object<'a>(v: &'a Json<'a>, what: &str, example: &str) -> Got<&'a Members<'a>> {
    match v {
        Json::Obj(m) => Ok(m),
        _ => Err(Bad::new(format!(
            "{what} is a JSON object such as {example}, not {}",
            describe(v)
        ))),
    }
}

/// The tag `key` (a string) of the object `m`, or what is wrong (named as in [`tagged`]).
fn tag<'a>(m: &'a Members<'a>, key: &str, what: &str, allowed: &str) -> Got<&'a str> {
    match member(m, key) {
        Some(Json::Str(s)) => Ok(s),
        None => Err(Bad::new(format!("{what} needs \"{key}\" ({allowed})"))),
        Some(o) => Err(Bad::new(format!(
            "\"{key}\" is a string ({allowed}), not {}",
            describe(o)
        ))),
    }
}

const OPS: &str = "fork, exit, allocate, map, unmap, sync, resume, access, hotplug, ldt";

fn op(v: &Json) -> Got<ScriptOp> {
    op_in(object(v, "an operation", r#"{"op": "fork", "name": "A"}"#)?)
}

/// An operation from its object's members.
fn op_in<'a>(m: &'a Members<'a>) -> Got<ScriptOp> {
    let name = tag(m, "op", "an operation", OPS)?;
    let keys = |keys: &[&str]| Obj::new(m, name, true, keys);
    Ok(match name {
        "fork" => ScriptOp::Fork {
            name: keys(&["op", "name"])?.string("name")?,
        },
        "exit" => ScriptOp::Exit {
            process: keys(&["op", "process"])?.string("process")?,
        },
        "allocate" => {
            let o = keys(&["op", "name", "size", "preempt"])?;
            ScriptOp::Allocate {
                name: o.string("name")?,
                size: o.string("size")?,
                preempt: o.flag("preempt")?,
            }
        }
        "map" => {
            let o = keys(&["op", "name", "phys", "size"])?;
            ScriptOp::Map {
                name: o.string("name")?,
                phys: o.string("phys")?,
                size: o.string("size")?,
            }
        }
        "unmap" => ScriptOp::Unmap {
            name: keys(&["op", "name"])?.string("name")?,
        },
        "sync" => {
            let o = keys(&["op", "kind"])?;
            let allowed = "mappings, unmappings or global";
            let v = o.need("kind", allowed)?;
            ScriptOp::Sync {
                kind: o.one_of(v, "kind", allowed, SyncKind::named)?,
            }
        }
        "resume" => {
            keys(&["op"])?;
            ScriptOp::Resume
        }
        "access" => {
            let o = keys(&["op", "process", "addr"])?;
            ScriptOp::Access {
                process: o.string("process")?,
                addr: o.string("addr")?,
            }
        }
        "hotplug" => {
            let o = keys(&["op", "name", "phys", "size", "kind", "by"])?;
            let kind = match member(o.m, "kind") {
                None => HotplugKind::default(),
                Some(v) => o.one_of(v, "kind", "ram, pmem or dax", HotplugKind::named)?,
            };
            ScriptOp::Hotplug {
                name: o.string("name")?,
                phys: o.string("phys")?,
                size: o.string("size")?,
                kind,
                by: o.opt_string("by")?,
            }
        }
        "ldt" => ScriptOp::Ldt {
            process: keys(&["op", "process"])?.string("process")?,
        },
        other => {
            return Err(Bad::new(format!(
                "unknown op \"{}\"; allowed: {OPS}",
                excerpt(other)
            )))
        }
    })
}

const EXPECTS: &str = "outcome, divergence, metric, error, table-bytes";

fn expect(v: &Json) -> Got<Expect> {
    let example = r#"{"expect": "outcome", "outcome": "oops"}"#;
    let (m, name) = tagged(v, "expect", "an expectation", example, EXPECTS)?;
    let what = format!("expect {}", excerpt(name));
    let keys = |keys: &[&str]| Obj::new(m, &what, false, keys);
    Ok(match name {
        "outcome" => Expect::Outcome {
            outcome: keys(&["expect", "outcome"])?.string("outcome")?,
        },
        "divergence" => {
            let o = keys(&["expect", "process", "class", "count"])?;
            Expect::Divergence {
                process: o.string("process")?,
                class: o.string("class")?,
                count: o.count("count")?,
            }
        }
        "metric" => {
            let o = keys(&["expect", "name", "value"])?;
            Expect::Metric {
                name: o.string("name")?,
                value: o.count("value")?,
            }
        }
        "error" => Expect::Error {
            kind: keys(&["expect", "kind"])?.string("kind")?,
        },
        "table-bytes" => {
            let o = keys(&["expect", "of", "bytes"])?;
            Expect::TableBytes {
                of: o.string("of")?,
                bytes: o.string("bytes")?,
            }
        }
        other => {
            return Err(Bad::new(format!(
                "unknown expectation \"{}\"; allowed: {EXPECTS}",
                excerpt(other)
            )))
        }
    })
}

/// A text step: an object of one key, `say`, `ask`, `choices` or `point`.
fn text<'a>(m: &'a Members<'a>) -> Got<TextStep> {
    let what = "a step is an operation ({\"op\": ...}), an expectation ({\"expect\": ...}) \
                or an object of one key, say, ask, choices or point";
    let mut entries = m.iter();
    let (Some((key, v)), None) = (entries.next(), entries.next()) else {
        return Err(Bad::new(what.into()));
    };
    let o = Obj {
        m,
        what: key,
        inputs: false,
    };
    Ok(match key.as_ref() {
        "say" => TextStep::Say(o.as_string(key, v)?),
        "ask" => TextStep::Ask(o.as_string(key, v)?),
        "choices" => {
            let list = v
                .as_array()
                .ok_or_else(|| o.wrong(key, "an array of strings", v))?;
            let mut choices = Vec::with_capacity(list.len());
            for c in list {
                choices.push(o.as_string(key, c)?);
            }
            TextStep::Choices(choices)
        }
        "point" => {
            let Json::Obj(p) = v else {
                return Err(o.wrong(key, "an object {\"process\": ..., \"addr\": ...}", v));
            };
            let p = Obj::new(p, "point", false, &["process", "addr"])?;
            TextStep::Point {
                process: p.string("process")?,
                addr: p.opt_string("addr")?,
            }
        }
        other => return Err(Bad::new(format!("{what}; not \"{}\"", excerpt(other)))),
    })
}

fn step(v: &Json) -> Got<Step> {
    match v {
        Json::Obj(m) if member(m, "op").is_some() => op(v).map(Step::Op),
        Json::Obj(m) if member(m, "expect").is_some() => expect(v).map(Step::Expect),
        Json::Obj(m) => text(m).map(Step::Text),
        _ => Err(Bad::new(format!(
            "a step is a JSON object such as {{\"op\": \"fork\", \"name\": \"A\"}}, not {}",
            describe(v)
        ))),
    }
}

/// `NR_CPUS` as the configuration may give it: a whole number, or a string of decimal
/// digits (as a form's text box holds it), that fits 32 bits; the mode's range is
/// checked with the rest of the configuration ([`crate::config::Config::validate`]).
fn nr_cpus(v: &Json) -> Got<u32> {
    let n = match v {
        Json::Num(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Json::Str(s) => super::parse_nr_cpus(s),
        _ => None,
    };
    n.ok_or_else(|| {
        let shown = match v {
            Json::Str(s) => format!("'{}'", excerpt(s)),
            Json::Num(n) => whole(n).unwrap_or_else(|| number(n)),
            other => describe(other),
        };
        Bad {
            message: format!(
                "NR_CPUS takes a whole number (1 to {} on 32-bit, 1 to {} on 64-bit), not {shown}",
                crate::config::NR_CPUS_MAX_32,
                crate::config::NR_CPUS_MAX_64
            ),
            field: Some(Field::NrCpus),
            plain: true,
        }
    })
}

fn config(v: &Json) -> Got<ConfigSpec> {
    let Json::Obj(m) = v else {
        return Err(Bad::new(format!(
            "a configuration is a JSON object such as {{\"mode\": \"pae\"}}, not {}",
            describe(v)
        )));
    };
    let o = Obj::new(
        m,
        "the configuration",
        true,
        &[
            "mode",
            "split",
            "ram",
            "vmalloc",
            "pti",
            "huge_ioremap",
            "strategy",
            "nr_cpus",
        ],
    )?;
    Ok(ConfigSpec {
        mode: o.string("mode")?,
        split: o.opt_string("split")?,
        ram: o.opt_string("ram")?,
        vmalloc: o.opt_string("vmalloc")?,
        pti: o.opt_bool("pti")?,
        huge_ioremap: o.opt_bool("huge_ioremap")?,
        strategy: o.opt_string("strategy")?,
        nr_cpus: o.may("nr_cpus").map(nr_cpus).transpose()?,
    })
}

fn scenario(v: &Json) -> Got<Scenario> {
    let Json::Obj(m) = v else {
        return Err(Bad::new(format!(
            "a scenario is a JSON object {{\"config\": {{...}}, \"steps\": [...]}}, not {}",
            describe(v)
        )));
    };
    let o = Obj::new(m, "the scenario", false, &["config", "steps"])?;
    let config = config(o.need("config", "an object")?)?;
    let list = o.need("steps", "an array")?;
    let list = list
        .as_array()
        .ok_or_else(|| o.wrong("steps", "an array", list))?;
    let mut steps = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        steps.push(step(s).map_err(|b| Bad {
            message: format!("step {}: {}", i + 1, b.message),
            ..b
        })?);
    }
    Ok(Scenario {
        config,
        steps,
        lines: Vec::new(),
    })
}
