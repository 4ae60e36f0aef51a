//! What a step reports, described once as a tree of values (objects, arrays, numbers,
//! 64-bit values, strings), for every writer of it: the JSON text
//! ([`crate::json_out::JsonOut`], for the CLI and the tests) and the record
//! ([`crate::record::Record`], which the page reads). Each type says its keys, values and
//! their order once, in [`ToTree`]; a writer says how each piece is written, in
//! [`TreeOut`].

use crate::event::{Event, Metrics, Why};
use crate::json_out::HistoryStep;
use crate::machine::{Access, HotplugKind, OpResult, Outcome, Value, WalkStep};
use crate::memory::Owner;
use crate::script::ScriptOp;

/// A writer of a tree. An object is `obj(n)`, then `n` times a `key` and its value, then
/// `end_obj`; an array is `arr(n)`, then `n` times `item` and a value, then `end_arr`.
pub trait TreeOut {
    /// Begins an object of `n` keys.
    fn obj(&mut self, n: usize);
    /// The next key of the object begun (a name of the engine's).
    fn key(&mut self, k: &'static str);
    /// Ends the object.
    fn end_obj(&mut self);
    /// Begins an array of `n` values.
    fn arr(&mut self, n: usize);
    /// Before each value of the array begun.
    fn item(&mut self);
    /// Ends the array.
    fn end_arr(&mut self);
    /// A number: a counter, a pid, a frame, an index (all below 2^53).
    fn num(&mut self, v: u64);
    /// An address or a raw entry (any 64-bit value).
    fn big(&mut self, v: u64);
    /// `true` or `false`.
    fn bool(&mut self, v: bool);
    /// `null`.
    fn null(&mut self);
    /// A string the engine holds for good: a name from its tables.
    fn sym(&mut self, s: &'static str);
    /// Any other string.
    fn str(&mut self, s: &str);
}

/// A value that writes itself as a tree.
pub trait ToTree {
    /// Writes `self` as one value.
    fn write_tree<O: TreeOut>(&self, out: &mut O);
}

/// An array of `items`.
fn values<O: TreeOut, T: ToTree>(out: &mut O, items: &[T]) {
    out.arr(items.len());
    for v in items {
        out.item();
        v.write_tree(out);
    }
    out.end_arr();
}

/// An address, or `null`.
fn opt_big<O: TreeOut>(out: &mut O, v: Option<u64>) {
    match v {
        Some(a) => out.big(a),
        None => out.null(),
    }
}

impl ToTree for HistoryStep<'_> {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        r.obj(4);
        r.key("op");
        self.op.write_tree(r);
        self.result.write_tree_fields(r);
        r.end_obj();
    }
}

impl ToTree for OpResult {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        r.obj(3);
        self.write_tree_fields(r);
        r.end_obj();
    }
}

impl OpResult {
    /// `value`, `events`, `metrics`: three keys of the object being written.
    fn write_tree_fields<O: TreeOut>(&self, r: &mut O) {
        r.key("value");
        self.value.write_tree(r);
        r.key("events");
        values(r, &self.events);
        r.key("metrics");
        self.metrics.write_tree(r);
    }
}

/// `{"op": name, …}`: an operation of `n` keys, its name first.
fn op<O: TreeOut>(r: &mut O, name: &'static str, n: usize) {
    r.obj(n);
    r.key("op");
    r.sym(name);
}

/// A key and a string value.
fn text<O: TreeOut>(r: &mut O, k: &'static str, v: &str) {
    r.key(k);
    r.str(v);
}

impl ToTree for ScriptOp {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        match self {
            ScriptOp::Fork { name } => {
                op(r, "fork", 2);
                text(r, "name", name);
            }
            ScriptOp::Exit { process } => {
                op(r, "exit", 2);
                text(r, "process", process);
            }
            ScriptOp::Allocate {
                name,
                size,
                preempt,
            } => {
                op(r, "allocate", 3 + usize::from(*preempt));
                text(r, "name", name);
                text(r, "size", size);
                if *preempt {
                    r.key("preempt");
                    r.bool(true);
                }
            }
            ScriptOp::Map { name, phys, size } => {
                op(r, "map", 4);
                text(r, "name", name);
                text(r, "phys", phys);
                text(r, "size", size);
            }
            ScriptOp::Unmap { name } => {
                op(r, "unmap", 2);
                text(r, "name", name);
            }
            ScriptOp::Sync { kind } => {
                op(r, "sync", 2);
                r.key("kind");
                r.sym(kind.name());
            }
            ScriptOp::Resume => op(r, "resume", 1),
            ScriptOp::Access { process, addr } => {
                op(r, "access", 3);
                text(r, "process", process);
                text(r, "addr", addr);
            }
            ScriptOp::Hotplug {
                name,
                phys,
                size,
                kind,
                by,
            } => {
                let ram = *kind == HotplugKind::Ram;
                op(
                    r,
                    "hotplug",
                    4 + usize::from(!ram) + usize::from(by.is_some()),
                );
                text(r, "name", name);
                text(r, "phys", phys);
                text(r, "size", size);
                if !ram {
                    r.key("kind");
                    r.sym(kind.name());
                }
                if let Some(p) = by {
                    text(r, "by", p);
                }
            }
            ScriptOp::Ldt { process } => {
                op(r, "ldt", 2);
                text(r, "process", process);
            }
        }
        r.end_obj();
    }
}

/// `{"kind": kind, "value": …}` up to the value.
fn kind_value<O: TreeOut>(r: &mut O, kind: &'static str) {
    r.obj(2);
    r.key("kind");
    r.sym(kind);
    r.key("value");
}

impl ToTree for Value {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        match self {
            Value::None => {
                r.obj(1);
                r.key("kind");
                r.sym("none");
            }
            Value::Address(a) => {
                kind_value(r, "address");
                r.big(*a);
            }
            Value::Pid(p) => {
                kind_value(r, "pid");
                r.num(u64::from(*p));
            }
            Value::Access(a) => {
                kind_value(r, "access");
                a.write_tree(r);
            }
        }
        r.end_obj();
    }
}

impl ToTree for Access {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        r.obj(4 + usize::from(self.oops_dump.is_some()));
        r.key("pid");
        r.num(u64::from(self.pid));
        r.key("va");
        r.big(self.va);
        r.key("walk");
        values(r, &self.walk);
        r.key("outcome");
        self.outcome.write_tree(r);
        if let Some(d) = &self.oops_dump {
            text(r, "oops_dump", d);
        }
        r.end_obj();
    }
}

impl ToTree for WalkStep {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        r.obj(4);
        r.key("level");
        r.sym(self.level.name());
        r.key("table_pfn");
        r.num(self.table_pfn);
        r.key("index");
        r.num(self.index as u64);
        r.key("entry");
        r.big(self.entry);
        r.end_obj();
    }
}

impl ToTree for Outcome {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        let (kind, n) = match self {
            Outcome::Translated { .. } => ("translated", 2),
            Outcome::FaultFixed { .. } => ("fault-fixed", 2),
            Outcome::Oops { .. } => ("oops", 2),
            Outcome::Stale { .. } => ("stale", 3),
        };
        r.obj(n);
        r.key("kind");
        r.sym(kind);
        match self {
            Outcome::Translated { phys } | Outcome::FaultFixed { phys } => {
                r.key("phys");
                r.big(*phys);
            }
            Outcome::Oops { level } => {
                r.key("level");
                r.sym(level.name());
            }
            Outcome::Stale { phys, reference } => {
                r.key("phys");
                r.big(*phys);
                r.key("reference");
                opt_big(r, *reference);
            }
        }
        r.end_obj();
    }
}

impl ToTree for Owner {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        match self {
            Owner::Kernel => {
                r.obj(1);
                r.key("kind");
                r.sym("kernel");
            }
            Owner::Process(p) => {
                r.obj(2);
                r.key("kind");
                r.sym("process");
                r.key("pid");
                r.num(u64::from(*p));
            }
        }
        r.end_obj();
    }
}

/// `{"type": ty, …}`: an event of `n` keys, its type first.
fn event<O: TreeOut>(r: &mut O, ty: &'static str, n: usize) {
    r.obj(n);
    r.key("type");
    r.sym(ty);
}

/// A key and a number.
fn num<O: TreeOut>(r: &mut O, k: &'static str, v: u64) {
    r.key(k);
    r.num(v);
}

/// A key and an address or raw entry.
fn big<O: TreeOut>(r: &mut O, k: &'static str, v: u64) {
    r.key(k);
    r.big(v);
}

fn owner<O: TreeOut>(r: &mut O, o: &Owner) {
    r.key("owner");
    o.write_tree(r);
}

fn why<O: TreeOut>(r: &mut O, w: Why) {
    r.key("why");
    r.sym(Why::NAMES[w as usize]);
}

impl ToTree for Event {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        match self {
            Event::TableAllocated {
                owner: o,
                level,
                pfn,
            }
            | Event::TableFreed {
                owner: o,
                level,
                pfn,
            } => {
                let allocated = matches!(self, Event::TableAllocated { .. });
                event(
                    r,
                    if allocated {
                        "table-allocated"
                    } else {
                        "table-freed"
                    },
                    4,
                );
                owner(r, o);
                r.key("level");
                r.sym(level.name());
                num(r, "pfn", *pfn);
            }
            Event::EntrySet {
                owner: o,
                level,
                va,
                old,
                new,
                why: w,
            } => {
                event(r, "entry-set", 7);
                owner(r, o);
                r.key("level");
                r.sym(level.name());
                big(r, "va", *va);
                big(r, "old", *old);
                big(r, "new", *new);
                why(r, *w);
            }
            Event::Ptes {
                owner: o,
                va,
                pages,
                set,
                why: w,
            } => {
                event(r, "ptes", 6);
                owner(r, o);
                big(r, "va", *va);
                num(r, "pages", *pages);
                r.key("set");
                r.bool(*set);
                why(r, *w);
            }
            Event::SyncLevelChanged {
                start,
                end,
                mask_bit,
                action,
            } => {
                event(r, "sync-level-changed", 5);
                big(r, "start", *start);
                big(r, "end", *end);
                r.key("mask_bit");
                r.sym(mask_bit);
                r.key("action");
                r.sym(action);
            }
            Event::SyncPass {
                function,
                slots,
                directories,
                copied,
            } => {
                event(r, "sync-pass", 5);
                r.key("function");
                r.sym(function);
                num(r, "slots", *slots);
                num(r, "directories", *directories);
                num(r, "copied", *copied);
            }
            Event::Fault { pid, va, fixed } => {
                event(r, "fault", 4);
                num(r, "pid", u64::from(*pid));
                big(r, "va", *va);
                r.key("fixed");
                r.bool(*fixed);
            }
            Event::Bug {
                pid,
                va,
                process_entry,
                reference_entry,
            } => {
                event(r, "bug", 5);
                num(r, "pid", u64::from(*pid));
                big(r, "va", *va);
                big(r, "process_entry", *process_entry);
                big(r, "reference_entry", *reference_entry);
            }
            Event::Forked { pid } => {
                event(r, "forked", 2);
                num(r, "pid", u64::from(*pid));
            }
            Event::Exited { pid, tables } => {
                event(r, "exited", 3);
                num(r, "pid", u64::from(*pid));
                num(r, "tables", *tables);
            }
            Event::Note { text: t } => {
                event(r, "note", 2);
                text(r, "text", t);
            }
        }
        r.end_obj();
    }
}

impl ToTree for Metrics {
    fn write_tree<O: TreeOut>(&self, r: &mut O) {
        r.obj(Metrics::NAMES.len());
        for (name, v) in Metrics::NAMES.into_iter().zip(self.values()) {
            num(r, name, v);
        }
        r.end_obj();
    }
}
