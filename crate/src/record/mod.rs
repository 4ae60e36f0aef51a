//! An operation's result as the page reads it: a **record**, a tree of slots that
//! JavaScript walks straight out of wasm memory (`www/src/lib/record.js`), with no text
//! to decode and no JSON to parse.
//!
//! Reading a result as JSON text cost the page more than most operations: the text
//! written, copied out of wasm, decoded, parsed, then its `"0x…"` strings turned into
//! `BigInt`s, each step code that runs once per operation and so runs cold
//! (docs/wasm-speed.md, "Reading a result as a record"). A record is the same tree as
//! [`crate::json_out::HistoryStep`]'s text (both are written from [`crate::tree`]; a
//! test holds the two together) in 8-byte slots:
//!
//! | tag | slots after it | JavaScript value |
//! |---|---|---|
//! | 0 `NULL`, 1 `FALSE`, 2 `TRUE` | none | `null`, `false`, `true` |
//! | 3 `NUM` | the number (an `f64`) | a number: counters, pids, frames (below 2^53) |
//! | 4 `BIG` | the value (a `u64`) | a `BigInt`: an address or a raw entry |
//! | 5 `SYM` | a handle | a string the engine holds for good (a key, a name) |
//! | 6 `STR` | offset, length | a string of the moment (a process name, a note) |
//! | 7 `OBJ` | n, then n × (key handle, value) | an object |
//! | 8 `ARR` | n, then n values | an array |
//!
//! Every slot but a `BIG` value is an `f64`. A `SYM` is a `&'static str`: in wasm its
//! handle is its address × 2^16 + its length, so JavaScript decodes each such string once
//! and finds it again by its handle (the strings never move or change). A `STR`'s bytes
//! sit in the record's byte area; the record's first slot holds that area's address.

use crate::tree::{ToTree, TreeOut};

/// The tags of a record's slots (the table above). `www/src/lib/record.js` reads them.
pub mod tag {
    /// `null`.
    pub const NULL: u8 = 0;
    /// `false`.
    pub const FALSE: u8 = 1;
    /// `true`.
    pub const TRUE: u8 = 2;
    /// A number.
    pub const NUM: u8 = 3;
    /// A 64-bit value.
    pub const BIG: u8 = 4;
    /// A string the engine holds for good.
    pub const SYM: u8 = 5;
    /// A string in the byte area.
    pub const STR: u8 = 6;
    /// An object.
    pub const OBJ: u8 = 7;
    /// An array.
    pub const ARR: u8 = 8;
}

/// A record being written, reused from one result to the next.
#[derive(Debug, Default)]
pub struct Record {
    slots: Vec<u64>,
    bytes: Vec<u8>,
    /// Off wasm, a `SYM`'s handle is its index here (a native address does not fit an
    /// `f64`'s 53 bits).
    #[cfg(not(target_arch = "wasm32"))]
    syms: Vec<&'static str>,
}

impl Record {
    /// Starts a new record: the slot for the byte area's address, then `value`. Returns
    /// the record's slots; the first holds the address of [`Record::bytes`].
    pub fn write<T: ToTree>(&mut self, value: &T) -> &[u64] {
        self.slots.clear();
        self.bytes.clear();
        #[cfg(not(target_arch = "wasm32"))]
        self.syms.clear();
        self.slots.push(0);
        value.write_tree(self);
        self.slots[0] = (self.bytes.as_ptr() as usize as f64).to_bits();
        &self.slots
    }

    /// The byte area of the record last written.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The symbols of the record last written, by handle (off wasm only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn syms(&self) -> &[&'static str] {
        &self.syms
    }

    fn f(&mut self, v: f64) {
        self.slots.push(v.to_bits());
    }

    fn tag(&mut self, t: u8) {
        self.f(f64::from(t));
    }

    fn handle(&mut self, s: &'static str) -> f64 {
        #[cfg(target_arch = "wasm32")]
        {
            // Below 2^48: exact in an f64.
            ((s.as_ptr() as usize as u64) << 16 | s.len() as u64) as f64
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.syms.push(s);
            (self.syms.len() - 1) as f64
        }
    }
}

impl TreeOut for Record {
    fn obj(&mut self, n: usize) {
        self.tag(tag::OBJ);
        self.f(n as f64);
    }

    /// Keys are names shorter than 2^16 bytes.
    fn key(&mut self, k: &'static str) {
        let h = self.handle(k);
        self.f(h);
    }

    /// A record's object ends after its `n` keys.
    fn end_obj(&mut self) {}

    fn arr(&mut self, n: usize) {
        self.tag(tag::ARR);
        self.f(n as f64);
    }

    fn item(&mut self) {}

    fn end_arr(&mut self) {}

    /// Exact below 2^53: every counter, pid, frame and index the engine has.
    fn num(&mut self, n: u64) {
        self.tag(tag::NUM);
        self.f(n as f64);
    }

    /// JavaScript reads it as a `BigInt`.
    fn big(&mut self, v: u64) {
        self.tag(tag::BIG);
        self.slots.push(v);
    }

    fn bool(&mut self, v: bool) {
        self.tag(if v { tag::TRUE } else { tag::FALSE });
    }

    fn null(&mut self) {
        self.tag(tag::NULL);
    }

    fn sym(&mut self, s: &'static str) {
        if s.len() >= 1 << 16 {
            return self.str(s);
        }
        self.tag(tag::SYM);
        let h = self.handle(s);
        self.f(h);
    }

    /// Its bytes go to the byte area.
    fn str(&mut self, s: &str) {
        self.tag(tag::STR);
        self.f(self.bytes.len() as f64);
        self.f(s.len() as f64);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
pub(crate) mod decode {
    //! A reader of records for the tests: a record back into the JSON value its text
    //! would parse to (a `BIG` as the `"0x…"` string the JSON writer writes).
    use super::{tag, Record};
    use serde_json::{Map, Value};

    /// The value of the record last written into `r`, its `slots` as `write` gave them.
    pub fn to_value(r: &Record, slots: &[u64]) -> Value {
        let mut at = 1;
        let v = node(r, slots, &mut at);
        assert_eq!(at, slots.len(), "the tree ends where the record ends");
        v
    }

    fn f(slots: &[u64], at: &mut usize) -> f64 {
        *at += 1;
        f64::from_bits(slots[*at - 1])
    }

    fn sym(r: &Record, h: f64) -> String {
        r.syms()[h as usize].to_string()
    }

    fn node(r: &Record, slots: &[u64], at: &mut usize) -> Value {
        let t = f(slots, at);
        assert!(t.fract() == 0.0 && (0.0..=8.0).contains(&t), "a tag: {t}");
        match t as u8 {
            tag::NULL => Value::Null,
            tag::FALSE => Value::Bool(false),
            tag::TRUE => Value::Bool(true),
            tag::NUM => {
                let n = f(slots, at);
                assert!(n.fract() == 0.0 && n >= 0.0 && n < 2f64.powi(53), "{n}");
                Value::from(n as u64)
            }
            tag::BIG => {
                *at += 1;
                Value::String(format!("{:#x}", slots[*at - 1]))
            }
            tag::SYM => Value::String(sym(r, f(slots, at))),
            tag::STR => {
                let (off, len) = (f(slots, at) as usize, f(slots, at) as usize);
                Value::String(String::from_utf8(r.bytes()[off..off + len].to_vec()).unwrap())
            }
            tag::OBJ => {
                let n = f(slots, at) as usize;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = sym(r, f(slots, at));
                    let v = node(r, slots, at);
                    assert!(m.insert(k.clone(), v).is_none(), "key {k} twice");
                }
                Value::Object(m)
            }
            tag::ARR => {
                let n = f(slots, at) as usize;
                Value::Array((0..n).map(|_| node(r, slots, at)).collect())
            }
            _ => unreachable!(),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every record holds the tree its JSON text holds: the text is held to serde's
    //! (`json_out/oracle.rs`), the record to the text, over every step of every scenario
    //! file and tour, and over hostile strings and edge numbers.
    use super::{decode, Record};
    use crate::event::Metrics;
    use crate::json_out::oracle::{an_access, every_event, scenario_files};
    use crate::json_out::HistoryStep;
    use crate::machine::{OpResult, Value};
    use crate::script::{ScriptOp, Session};
    use proptest::prelude::*;

    fn check(r: &mut Record, step: HistoryStep, what: &str) {
        let text: serde_json::Value = serde_json::from_str(&step.text()).expect("JSON");
        let slots = r.write(&step).to_vec();
        assert_eq!(decode::to_value(r, &slots), text, "{what}");
    }

    #[test]
    fn every_step_of_every_scenario_is_its_text() {
        let mut r = Record::default();
        let mut steps = 0;
        for (name, text) in scenario_files() {
            let sc = crate::script::parse(&text).expect("the scenario parses");
            let mut s = Session::new(sc.config.to_config().expect("its config")).expect("boots");
            for i in 0..sc.steps.len() {
                // A scenario that fails on purpose stops there.
                if s.step(&sc, i).is_err() {
                    break;
                }
            }
            for (i, op) in s.history().iter().enumerate() {
                let result = &s.record(i).expect("a record per entry").result;
                check(
                    &mut r,
                    HistoryStep { op, result },
                    &format!("{name}: step {i}"),
                );
                steps += 1;
            }
        }
        assert!(steps > 200, "steps compared: {steps}");
    }

    /// Counters below 2^53 (a record's numbers are doubles, as JSON's are in JavaScript).
    fn count() -> impl Strategy<Value = u64> {
        prop_oneof![Just(0u64), Just((1 << 53) - 1), 0..1u64 << 53]
    }

    fn address() -> impl Strategy<Value = u64> {
        prop_oneof![Just(0u64), Just(u64::MAX), Just(1 << 53), any::<u64>()]
    }

    proptest! {
        #[test]
        fn any_result_is_its_text(
            name in any::<String>(), text in any::<String>(),
            a in address(), b in address(), c in address(),
            n in count(), m in count(), pid in any::<u32>(), set in any::<bool>()
        ) {
            let events = every_event([a, b, c], [n, m, n], pid, set, &text);
            let access = an_access([a, b, c], n, pid, set, &text);
            let metrics = Metrics { entries_copied: n, bugs: m, oopses: n, ..Default::default() };
            let ops = [
                ScriptOp::Fork { name: name.clone() },
                ScriptOp::Allocate { name: name.clone(), size: text.clone(), preempt: set },
                ScriptOp::Hotplug {
                    name: name.clone(), phys: text.clone(), size: "1G".into(),
                    kind: crate::machine::HotplugKind::ALL[(m % 3) as usize],
                    by: set.then(|| name.clone()),
                },
                ScriptOp::Sync { kind: crate::machine::SyncKind::ALL[(m % 3) as usize] },
                ScriptOp::Resume,
            ];
            let mut r = Record::default();
            for (op, value) in ops.iter().zip([Value::None, Value::Address(a), Value::Pid(pid), Value::Access(access), Value::None]) {
                let result = OpResult { value, events: events.clone(), metrics };
                check(&mut r, HistoryStep { op, result: &result }, "a result");
            }
        }
    }
}
