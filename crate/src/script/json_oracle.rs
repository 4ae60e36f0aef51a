//! The hand readers of `json_in` held to serde's derived `Deserialize` of the same types,
//! which the crate keeps for this test only (`#[cfg_attr(test, derive(Deserialize))]`).
//!
//! proptest writes good operations, steps, configurations and scenarios as JSON, and
//! mutates them (a key removed, an unknown key added, a value of the wrong type or a
//! wrong tag, a whole value replaced), at any depth. For each input: when the derived
//! reader accepts it, the hand reader accepts it with an equal value, and when the hand
//! reader accepts it, so does the derived one, with an equal value. Where they differ,
//! on purpose (tested one by one in `differences_on_purpose`):
//! - the derived reader takes more than the documented format: a struct variant given as
//!   an array (`["fork", "A"]`, `{"point": ["A"]}`), a variant by its index
//!   (`{"op": 0, "name": "A"}` as a step), a unit variant as an object
//!   (`{"kind": {"global": null}}`), and other keys beside `{"op": "resume"}` (its
//!   `deny_unknown_fields` does not reach a unit variant). The hand reader refuses them
//!   ([`quirk`] names those that mutations make);
//! - `nr_cpus` may be a string of decimal digits for the hand reader (a form's text).
//!
//! A key written twice, which mutations of a `Value` cannot write, is refused by both.
//!
//! An operation in the form the page writes has its members read by
//! [`super::json_tree::flat`], not by the parser: every operation here, good or mutated,
//! compact or spread over lines, is read that way where it can and parsed as a tree
//! (`op_from_tree`) with the same answer, the same value or the same error (`flat` is
//! held to the parser on texts made of JSON's pieces in `json_tree`'s own tests).

use super::json_in::{config_from_json, op_from_json, op_from_tree, scenario_from_json};
use super::json_tree::tests::flat_members;
use super::{ConfigSpec, Scenario, ScriptOp, Step};
use crate::error::{ErrorKind, Field, Result};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::fmt::Debug;

fn text() -> BoxedStrategy<Value> {
    prop_oneof![
        Just("A"),
        Just("buf"),
        Just("64K"),
        Just("0xfe000000"),
        Just("era:5.9"),
        Just(""),
        Just("a b"),
        Just("4"),
        Just("é\"\\"),
    ]
    .prop_map(Value::from)
    .boxed()
}

/// A key that may be left out (`None`), be `null`, or hold a value of `v`.
fn maybe(v: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![Just(None), Just(Some(Value::Null)), v.prop_map(Some)].boxed()
}

/// An object of the keys given (a key of `None` is left out).
fn obj(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    Value::Object(m)
}

fn tag(t: &str) -> Option<Value> {
    Some(Value::from(t))
}

fn good_op() -> BoxedStrategy<Value> {
    let t = text;
    prop_oneof![
        t().prop_map(|n| obj(vec![("op", tag("fork")), ("name", Some(n))])),
        t().prop_map(|p| obj(vec![("op", tag("exit")), ("process", Some(p))])),
        (t(), t(), prop::option::of(any::<bool>())).prop_map(|(n, s, p)| obj(vec![
            ("op", tag("allocate")),
            ("name", Some(n)),
            ("size", Some(s)),
            ("preempt", p.map(Value::from)),
        ])),
        (t(), t(), t()).prop_map(|(n, p, s)| obj(vec![
            ("op", tag("map")),
            ("name", Some(n)),
            ("phys", Some(p)),
            ("size", Some(s)),
        ])),
        t().prop_map(|n| obj(vec![("op", tag("unmap")), ("name", Some(n))])),
        prop::sample::select(vec!["mappings", "unmappings", "global"])
            .prop_map(|k| obj(vec![("op", tag("sync")), ("kind", tag(k))])),
        Just(json!({"op": "resume"})),
        (t(), t()).prop_map(|(p, a)| obj(vec![
            ("op", tag("access")),
            ("process", Some(p)),
            ("addr", Some(a)),
        ])),
        (
            (t(), t(), t()),
            prop::option::of(prop::sample::select(vec!["ram", "pmem", "dax"])),
            maybe(t()),
        )
            .prop_map(|((n, p, s), k, by)| obj(vec![
                ("op", tag("hotplug")),
                ("name", Some(n)),
                ("phys", Some(p)),
                ("size", Some(s)),
                ("kind", k.and_then(tag)),
                ("by", by),
            ])),
        t().prop_map(|p| obj(vec![("op", tag("ldt")), ("process", Some(p))])),
    ]
    .boxed()
}

fn good_expect() -> BoxedStrategy<Value> {
    let t = text;
    prop_oneof![
        t().prop_map(|o| obj(vec![("expect", tag("outcome")), ("outcome", Some(o))])),
        (t(), t(), any::<u64>()).prop_map(|(p, c, n)| obj(vec![
            ("expect", tag("divergence")),
            ("process", Some(p)),
            ("class", Some(c)),
            ("count", Some(n.into())),
        ])),
        (t(), any::<u64>()).prop_map(|(m, n)| obj(vec![
            ("expect", tag("metric")),
            ("name", Some(m)),
            ("value", Some(n.into())),
        ])),
        t().prop_map(|k| obj(vec![("expect", tag("error")), ("kind", Some(k))])),
        (t(), t()).prop_map(|(o, b)| obj(vec![
            ("expect", tag("table-bytes")),
            ("of", Some(o)),
            ("bytes", Some(b)),
        ])),
    ]
    .boxed()
}

fn good_text_step() -> BoxedStrategy<Value> {
    prop_oneof![
        text().prop_map(|s| json!({ "say": s })),
        text().prop_map(|s| json!({ "ask": s })),
        prop::collection::vec(text(), 0..4).prop_map(|c| json!({ "choices": c })),
        (text(), maybe(text())).prop_map(|(p, a)| json!({
            "point": obj(vec![("process", Some(p)), ("addr", a)])
        })),
    ]
    .boxed()
}

fn good_step() -> BoxedStrategy<Value> {
    prop_oneof![good_op(), good_expect(), good_text_step()].boxed()
}

fn good_config() -> BoxedStrategy<Value> {
    let b = || any::<bool>().prop_map(Value::from).boxed();
    (
        text(),
        (maybe(text()), maybe(text()), maybe(text()), maybe(text())),
        (maybe(b()), maybe(b())),
        maybe(any::<u32>().prop_map(Value::from).boxed()),
    )
        .prop_map(
            |(mode, (split, ram, vmalloc, strategy), (pti, huge), cpus)| {
                obj(vec![
                    ("mode", Some(mode)),
                    ("split", split),
                    ("ram", ram),
                    ("vmalloc", vmalloc),
                    ("strategy", strategy),
                    ("pti", pti),
                    ("huge_ioremap", huge),
                    ("nr_cpus", cpus),
                ])
            },
        )
        .boxed()
}

fn good_scenario() -> BoxedStrategy<Value> {
    (good_config(), prop::collection::vec(good_step(), 0..6))
        .prop_map(|(c, s)| json!({"config": c, "steps": s}))
        .boxed()
}

/// Values of the wrong type somewhere (and some of the right type). None is an array
/// holding a string or a small number: the derived reader reads those as a struct variant
/// or a variant by index (see the module's note).
fn weird() -> BoxedStrategy<Value> {
    prop::sample::select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(4294967296u64),
        json!(u64::MAX),
        json!("x"),
        json!("4"),
        json!("fork"),
        json!("outcome"),
        json!([]),
        json!([null]),
        json!([true]),
        json!({}),
        json!({"a": 1}),
    ])
    .boxed()
}

fn extra_key() -> BoxedStrategy<String> {
    prop::sample::select(vec![
        "colour", "lines", "Name", "op", "expect", "say", "preempt", "kind", "by", "addr",
        "nr_cpus", "mode", "steps",
    ])
    .prop_map(String::from)
    .boxed()
}

/// One place in a value: a key of an object or an index of an array.
#[derive(Debug, Clone)]
enum Seg {
    Key(String),
    Idx(usize),
}

/// The paths of every object and array in `v`, `v` first.
fn containers(v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
    match v {
        Value::Object(m) => {
            out.push(path.clone());
            for (k, x) in m {
                path.push(Seg::Key(k.clone()));
                containers(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            out.push(path.clone());
            for (i, x) in a.iter().enumerate() {
                path.push(Seg::Idx(i));
                containers(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Idx(i) => &mut v[*i],
    })
}

/// What was changed, for the checks of `field`: the key of the outer object.
#[derive(Debug, Clone, PartialEq)]
enum Did {
    Removed(String),
    Added(String),
    Replaced(String),
    Other,
}

/// `v` with one mutation at one of its objects or arrays.
fn mutate(
    mut v: Value,
    how: u8,
    place: prop::sample::Index,
    which: prop::sample::Index,
    key: String,
    w: Value,
) -> (Value, Did) {
    let mut all = Vec::new();
    containers(&v, &mut Vec::new(), &mut all);
    let path = place.get(&all).clone();
    let top = path.is_empty();
    let c = at_mut(&mut v, &path);
    let did = match (how, c) {
        (0, Value::Object(m)) if !m.is_empty() => {
            let k = which.get(&m.keys().cloned().collect::<Vec<_>>()).clone();
            m.remove(&k);
            Did::Removed(k)
        }
        (0, Value::Array(a)) if !a.is_empty() => {
            a.remove(which.index(a.len()));
            Did::Other
        }
        (1, Value::Object(m)) => {
            m.insert(key.clone(), w);
            Did::Added(key)
        }
        (1, Value::Array(a)) => {
            a.push(w);
            Did::Other
        }
        (2, Value::Object(m)) if !m.is_empty() => {
            let k = which.get(&m.keys().cloned().collect::<Vec<_>>()).clone();
            m.insert(k.clone(), w);
            Did::Replaced(k)
        }
        (2, Value::Array(a)) if !a.is_empty() => {
            let i = which.index(a.len());
            a[i] = w;
            Did::Other
        }
        (_, c) => {
            *c = w;
            Did::Other
        }
    };
    (v, if top { did } else { Did::Other })
}

fn mutated(good: BoxedStrategy<Value>) -> BoxedStrategy<(Value, Did)> {
    (
        good,
        0u8..4,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        extra_key(),
        weird(),
    )
        .prop_map(|(v, how, place, which, key, w)| mutate(v, how, place, which, key, w))
        .boxed()
}

/// Whether `v` holds one of the derived reader's readings beyond the format that a
/// mutation can make: a tag given as a number (a variant by index), or an array where
/// the format has an operation, a step or a `point` object.
fn quirk(v: &Value) -> bool {
    let step = |s: &Value| match s {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => {
            ["op", "expect"]
                .iter()
                .any(|t| m.get(*t).is_some_and(Value::is_number))
                || m.get("point").is_some_and(Value::is_array)
                || (m.get("op") == Some(&json!("resume")) && m.len() > 1)
        }
        _ => false,
    };
    step(v)
        || v.get("steps")
            .and_then(Value::as_array)
            .is_some_and(|s| s.iter().any(step))
}

/// `v` with a configuration's `nr_cpus` given as a string of digits written as a number,
/// for the derived reader, which takes numbers only; `None` when there is no such string.
fn numeric_cpus(v: &Value) -> Option<Value> {
    let mut v = v.clone();
    let c = if v.get("config").is_some() {
        &mut v["config"]
    } else {
        &mut v
    };
    let n = super::parse_nr_cpus(c.get("nr_cpus")?.as_str()?)?;
    c["nr_cpus"] = n.into();
    Some(v)
}

/// The two readers on `v`: they agree, but for the differences of the module's note.
/// Returns the hand reader's answer.
fn agree<T, H>(v: &Value, hand: H) -> Result<T>
where
    T: serde::de::DeserializeOwned + PartialEq + Debug,
    H: Fn(&str) -> Result<T>,
{
    let text = v.to_string();
    let derived = serde_json::from_str::<T>(&text);
    let ours = hand(&text);
    match (&derived, &ours) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
        (Err(_), Err(e)) => assert!(!e.message.is_empty()),
        (Ok(a), Err(e)) => assert!(
            quirk(v),
            "{text}: the derived reader gives {a:?}, the hand reader refuses: {e}"
        ),
        (Err(d), Ok(b)) => {
            let again = numeric_cpus(v).unwrap_or_else(|| {
                panic!("{text}: the hand reader gives {b:?}, the derived reader refuses: {d}")
            });
            let a: T = serde_json::from_value(again).expect("with nr_cpus a number");
            assert_eq!(&a, b, "{text}");
        }
    }
    ours
}

/// `v` as an operation read by `flat` where it can and parsed as a tree: the same
/// answer (value, or error with its kind, field and message), whether the text is
/// compact (as the page writes it) or spread over lines.
fn flat_as_tree(v: &Value) {
    for text in [v.to_string(), serde_json::to_string_pretty(v).unwrap()] {
        assert_eq!(op_from_json(&text), op_from_tree(&text), "{text}");
    }
}

fn step_from_json(json: &str) -> Result<Step> {
    // A step alone is read as the only step of a scenario (its text as it is).
    let sc = format!(r#"{{"config": {{"mode": "pae"}}, "steps": [{json}]}}"#);
    scenario_from_json(&sc).map(|s| s.steps[0].clone())
}

/// The field an error about key `k` of an operation or a configuration names.
fn field_of(k: &str) -> Option<Field> {
    Field::ALL.into_iter().find(|f| f.name() == k)
}

/// An error of the hand reader after a mutation of the outer object names the key
/// changed, but for an unknown key (which names no input).
fn check_field(v: &Value, did: &Did, e: &crate::error::Error, derived_says: &str) {
    let expected = match did {
        // Another tag makes another operation, whose error may be about any of its keys.
        Did::Replaced(k) | Did::Added(k) if k == "op" => return,
        Did::Removed(k) | Did::Replaced(k) => field_of(k),
        // The derived reader calls it unknown, or takes it (beside `resume`, see `quirk`).
        Did::Added(_) if derived_says.is_empty() || derived_says.contains("unknown field") => None,
        Did::Added(k) => field_of(k),
        Did::Other => return,
    };
    assert_eq!(e.field, expected, "{v}: {}", e.message);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn good_operations_read_alike(v in good_op()) {
        let op = agree::<ScriptOp, _>(&v, op_from_json);
        prop_assert!(op.is_ok(), "{v}: {op:?}");
        flat_as_tree(&v);
        // The page's form, strings without an escape, is read by `flat`.
        let text = v.to_string();
        let strings = v.as_object().unwrap().values().all(Value::is_string);
        prop_assert!(text.contains('\\') || !strings || flat_members(&text).is_some(), "{text}");
    }

    #[test]
    fn good_steps_and_scenarios_read_alike(v in good_scenario()) {
        let sc = agree::<Scenario, _>(&v, scenario_from_json);
        prop_assert!(sc.is_ok(), "{v}: {sc:?}");
        for s in v["steps"].as_array().unwrap() {
            prop_assert!(agree::<Step, _>(s, step_from_json).is_ok());
        }
    }

    #[test]
    fn good_configurations_read_alike(v in good_config()) {
        let c = agree::<ConfigSpec, _>(&v, config_from_json);
        prop_assert!(c.is_ok(), "{v}: {c:?}");
    }

    #[test]
    fn mutated_operations_read_alike((v, did) in mutated(good_op())) {
        flat_as_tree(&v);
        if let Err(e) = agree::<ScriptOp, _>(&v, op_from_json) {
            prop_assert!(matches!(e.kind, ErrorKind::ScriptError), "{e}");
            let d = serde_json::from_value::<ScriptOp>(v.clone()).err().map(|d| d.to_string());
            check_field(&v, &did, &e, d.as_deref().unwrap_or(""));
        }
    }

    #[test]
    fn mutated_steps_read_alike((v, _did) in mutated(good_step())) {
        if let Err(e) = agree::<Step, _>(&v, step_from_json) {
            prop_assert!(matches!(e.kind, ErrorKind::ScriptError), "{e}");
        }
    }

    #[test]
    fn mutated_configurations_read_alike((v, did) in mutated(good_config())) {
        if let Err(e) = agree::<ConfigSpec, _>(&v, config_from_json) {
            prop_assert!(matches!(e.kind, ErrorKind::InvalidConfig), "{e}");
            let d = serde_json::from_value::<ConfigSpec>(v.clone()).err().map(|d| d.to_string());
            check_field(&v, &did, &e, d.as_deref().unwrap_or(""));
        }
    }

    #[test]
    fn mutated_scenarios_read_alike((v, _did) in mutated(good_scenario())) {
        if let Err(e) = agree::<Scenario, _>(&v, scenario_from_json) {
            prop_assert!(matches!(e.kind, ErrorKind::ScriptError), "{e}");
        }
    }
}

/// Texts at the edges of what `flat` reads: read by it, or parsed, with the same answer.
#[test]
fn flat_and_tree_read_alike() {
    let seven = format!(r#"{{"op":"fork"{}}}"#, r#","name":"A""#.repeat(6));
    let texts = [
        r#"{"op":"sync","kind":"unmappings"}"#,
        r#"{"op":"allocate","name":"a","size":"64K"}"#,
        r#"{"op":"hotplug","name":"m","phys":"0x1","size":"1M","kind":"dax","by":"A"}"#,
        r#"{"op":"fork","name":"é"}"#,
        r#"{"op":"fork","name":""}"#,
        r#"{"op":"fork","name":"A","name":"B"}"#,
        r#"{"op":"fork","colour":"red"}"#,
        r#"{"op":"levitate"}"#,
        r#"{"name":"A"}"#,
        r#"{"op":"resume"}"#,
        r#"{}"#,
        &seven,
        // Parsed: not of the form.
        r#"{"op":"allocate","name":"a","size":"64K","preempt":true}"#,
        r#"{"op":"hotplug","name":"m","phys":"0x1","size":"1M","by":null}"#,
        r#"{"op":null}"#,
        " {\"op\":\"fork\",\"name\":\"A\"}",
        "{\"op\":\"fork\",\"name\":\"A\"}\n",
        r#"{"op":"fork","name":"\u0041"}"#,
        r#"{"op":"fork","name":"A\"B"}"#,
        "{\"op\":\"fork\",\"name\":\"\u{1}\"}",
        r#"{"op":"map","name":"n","phys":4096,"size":"4K"}"#,
        r#"{"op":"sync","kind":{"global":null}}"#,
        r#"{"op":"fork","name":"A"}x"#,
        r#"{"op":"fork","name":"A""#,
        r#"{"op":"fork","name":"A",}"#,
        r#"{"op":"fork","name":truex}"#,
        r#"{"op":"fork","name"}"#,
        r#"["fork","A"]"#,
        r#""fork""#,
        "null",
        "{",
        "",
    ];
    for t in texts {
        assert_eq!(op_from_json(t), op_from_tree(t), "{t}");
    }
    // Which of them `flat` reads: the first eleven (seven members are past it).
    for (i, t) in texts.iter().enumerate() {
        assert_eq!(flat_members(t).is_some(), i < 11, "{t}");
    }
}

#[test]
fn differences_on_purpose() {
    let derived_op = |t: &str| serde_json::from_str::<ScriptOp>(t);
    let fork = ScriptOp::Fork { name: "A".into() };
    // A struct variant as an array: the derived reader only.
    let t = r#"["fork","A"]"#;
    assert_eq!(derived_op(t).unwrap(), fork);
    let e = op_from_json(t).unwrap_err();
    assert_eq!((e.kind, e.field), (ErrorKind::ScriptError, None));
    let t = r#"{"point":["A"]}"#;
    assert!(serde_json::from_str::<Step>(t).is_ok());
    assert!(step_from_json(t).is_err());
    // A variant by its index, which the derived reader takes in a step (read through
    // serde's `Content`) though not in an operation alone.
    let t = r#"{"op":0,"name":"A"}"#;
    assert!(derived_op(t).is_err());
    assert_eq!(
        serde_json::from_str::<Step>(t).unwrap(),
        Step::Op(fork.clone())
    );
    assert!(step_from_json(t).is_err());
    // A unit variant takes any other keys: the derived reader's `deny_unknown_fields`
    // does not reach it. The hand reader refuses them, as for every other operation.
    let t = r#"{"op":"resume","colour":"red"}"#;
    assert_eq!(derived_op(t).unwrap(), ScriptOp::Resume);
    assert_eq!(op_from_json(t).unwrap_err().field, None);
    // A unit variant as an object of one key: the derived reader only.
    let t = r#"{"op":"sync","kind":{"global":null}}"#;
    assert!(derived_op(t).is_ok());
    assert_eq!(op_from_json(t).unwrap_err().field, Some(Field::Kind));
    // A key twice: both refuse it (the hand reader names the input).
    let t = r#"{"op":"fork","name":"B","name":"A"}"#;
    assert!(derived_op(t).is_err());
    assert_eq!(op_from_json(t).unwrap_err().field, Some(Field::Name));
    // A key written many times is refused, and soon (every key is known by then, so the
    // first one written twice is among the first few).
    let many = format!(r#"{{"op":"fork"{}}}"#, r#","name":"A""#.repeat(80_000));
    let t0 = std::time::Instant::now();
    assert_eq!(op_from_json(&many).unwrap_err().field, Some(Field::Name));
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        t0.elapsed()
    );
    // (The derived reader of a step takes its tag twice.)
    assert!(step_from_json(r#"{"op":"fork","op":"fork","name":"A"}"#).is_err());
    for t in [
        r#"{"say":"a","say":"b"}"#,
        r#"{"point":{"process":"A","process":"B"}}"#,
    ] {
        assert!(serde_json::from_str::<Step>(t).is_err(), "{t}");
        assert!(step_from_json(t).is_err(), "{t}");
    }
    // NR_CPUS as decimal digits: the hand reader only.
    let t = r#"{"mode":"pae","nr_cpus":"4"}"#;
    assert!(serde_json::from_str::<ConfigSpec>(t).is_err());
    assert_eq!(config_from_json(t).unwrap().nr_cpus, Some(4));
}
