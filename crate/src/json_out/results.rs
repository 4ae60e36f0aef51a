//! What operations report and what the page reads of a session, as JSON: an operation's
//! result (value, events, metrics), the processes, a slot, the layout summary, table
//! bytes, and the configuration the state hash covers.

use super::{JsonOut, ToJson};
use crate::config::{Config, Preset};
use crate::error::Error;
use crate::event::{Event, Metrics, Why};
use crate::machine::{Access, DivergenceCounts, OpResult, Outcome, Value, WalkStep};
use crate::memory::Owner;
use crate::script::ScriptOp;
use crate::view::{LayoutInfo, ProcessInfo, RegionInfo, SlotInfo, StepResult, TableBytes};

/// One history entry: `{op, value, events, metrics}`. The CLI prints this text; the page
/// reads the same tree as a record (`crate::record`).
#[derive(Debug, Clone, Copy)]
pub struct HistoryStep<'a> {
    /// The operation.
    pub op: &'a ScriptOp,
    /// What it reported.
    pub result: &'a OpResult,
}

impl ToJson for HistoryStep<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"op\":");
        self.op.write_json(out);
        out.raw(",");
        self.result.write_fields(out);
        out.raw("}");
    }
}

impl HistoryStep<'_> {
    /// The entry as JSON text, its buffer reserved once for the events it holds.
    pub fn text(&self) -> String {
        let mut out = JsonOut::with_capacity(320 + 176 * self.result.events.len());
        self.write_json(&mut out);
        out.finish()
    }
}

/// A live allocation as `allocations` lists it: `{name, value}`, `value` its address.
#[derive(Debug, Clone, Copy)]
pub struct Allocation<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its first address.
    pub value: u64,
}

impl ToJson for Allocation<'_> {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(self.name);
        out.raw(",\"value\":");
        out.addr(self.value);
        out.raw("}");
    }
}

impl OpResult {
    /// `"value":…,"events":[…],"metrics":{…}`, without braces.
    fn write_fields(&self, out: &mut JsonOut) {
        out.raw("\"value\":");
        self.value.write_json(out);
        out.raw(",\"events\":");
        out.values(&self.events);
        out.raw(",\"metrics\":");
        self.metrics.write_json(out);
    }
}

impl ToJson for OpResult {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{");
        self.write_fields(out);
        out.raw("}");
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Value::None => out.raw("{\"kind\":\"none\"}"),
            Value::Address(a) => {
                out.raw("{\"kind\":\"address\",\"value\":");
                out.addr(*a);
                out.raw("}");
            }
            Value::Pid(p) => {
                out.raw("{\"kind\":\"pid\",\"value\":");
                out.u64(u64::from(*p));
                out.raw("}");
            }
            Value::Access(a) => {
                out.raw("{\"kind\":\"access\",\"value\":");
                a.write_json(out);
                out.raw("}");
            }
        }
    }
}

impl ToJson for Access {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"pid\":");
        out.u64(u64::from(self.pid));
        out.raw(",\"va\":");
        out.addr(self.va);
        out.raw(",\"walk\":");
        out.values(&self.walk);
        out.raw(",\"outcome\":");
        self.outcome.write_json(out);
        if let Some(d) = &self.oops_dump {
            out.raw(",\"oops_dump\":");
            out.str(d);
        }
        out.raw("}");
    }
}

impl ToJson for WalkStep {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"level\":\"");
        out.raw(self.level.name());
        out.raw("\",\"table_pfn\":");
        out.u64(self.table_pfn);
        out.raw(",\"index\":");
        out.u64(self.index as u64);
        out.raw(",\"entry\":");
        out.addr(self.entry);
        out.raw("}");
    }
}

impl ToJson for Outcome {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Outcome::Translated { phys } => {
                out.raw("{\"kind\":\"translated\",\"phys\":");
                out.addr(*phys);
            }
            Outcome::FaultFixed { phys } => {
                out.raw("{\"kind\":\"fault-fixed\",\"phys\":");
                out.addr(*phys);
            }
            Outcome::Oops { level } => {
                out.raw("{\"kind\":\"oops\",\"level\":\"");
                out.raw(level.name());
                out.raw("\"");
            }
            Outcome::Stale { phys, reference } => {
                out.raw("{\"kind\":\"stale\",\"phys\":");
                out.addr(*phys);
                out.raw(",\"reference\":");
                out.opt_addr(*reference);
            }
        }
        out.raw("}");
    }
}

impl ToJson for Owner {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Owner::Kernel => out.raw("{\"kind\":\"kernel\"}"),
            Owner::Process(p) => {
                out.raw("{\"kind\":\"process\",\"pid\":");
                out.u64(u64::from(*p));
                out.raw("}");
            }
        }
    }
}

/// `"why":"…"}`: the last field of the events that have one.
fn why_last(out: &mut JsonOut, why: Why) {
    out.raw(",\"why\":\"");
    out.raw(Why::NAMES[why as usize]);
    out.raw("\"}");
}

impl ToJson for Event {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Event::TableAllocated { owner, level, pfn }
            | Event::TableFreed { owner, level, pfn } => {
                out.raw(if matches!(self, Event::TableAllocated { .. }) {
                    "{\"type\":\"table-allocated\",\"owner\":"
                } else {
                    "{\"type\":\"table-freed\",\"owner\":"
                });
                owner.write_json(out);
                out.raw(",\"level\":\"");
                out.raw(level.name());
                out.raw("\",\"pfn\":");
                out.u64(*pfn);
                out.raw("}");
            }
            Event::EntrySet {
                owner,
                level,
                va,
                old,
                new,
                why,
            } => {
                out.raw("{\"type\":\"entry-set\",\"owner\":");
                owner.write_json(out);
                out.raw(",\"level\":\"");
                out.raw(level.name());
                out.raw("\",\"va\":");
                out.addr(*va);
                out.raw(",\"old\":");
                out.addr(*old);
                out.raw(",\"new\":");
                out.addr(*new);
                why_last(out, *why);
            }
            Event::Ptes {
                owner,
                va,
                pages,
                set,
                why,
            } => {
                out.raw("{\"type\":\"ptes\",\"owner\":");
                owner.write_json(out);
                out.raw(",\"va\":");
                out.addr(*va);
                out.raw(",\"pages\":");
                out.u64(*pages);
                out.raw(",\"set\":");
                out.bool(*set);
                why_last(out, *why);
            }
            Event::SyncLevelChanged {
                start,
                end,
                mask_bit,
                action,
            } => {
                out.raw("{\"type\":\"sync-level-changed\",\"start\":");
                out.addr(*start);
                out.raw(",\"end\":");
                out.addr(*end);
                out.raw(",\"mask_bit\":");
                out.str(mask_bit);
                out.raw(",\"action\":");
                out.str(action);
                out.raw("}");
            }
            Event::SyncPass {
                function,
                slots,
                directories,
                copied,
            } => {
                out.raw("{\"type\":\"sync-pass\",\"function\":");
                out.str(function);
                out.raw(",\"slots\":");
                out.u64(*slots);
                out.raw(",\"directories\":");
                out.u64(*directories);
                out.raw(",\"copied\":");
                out.u64(*copied);
                out.raw("}");
            }
            Event::Fault { pid, va, fixed } => {
                out.raw("{\"type\":\"fault\",\"pid\":");
                out.u64(u64::from(*pid));
                out.raw(",\"va\":");
                out.addr(*va);
                out.raw(",\"fixed\":");
                out.bool(*fixed);
                out.raw("}");
            }
            Event::Bug {
                pid,
                va,
                process_entry,
                reference_entry,
            } => {
                out.raw("{\"type\":\"bug\",\"pid\":");
                out.u64(u64::from(*pid));
                out.raw(",\"va\":");
                out.addr(*va);
                out.raw(",\"process_entry\":");
                out.addr(*process_entry);
                out.raw(",\"reference_entry\":");
                out.addr(*reference_entry);
                out.raw("}");
            }
            Event::Forked { pid } => {
                out.raw("{\"type\":\"forked\",\"pid\":");
                out.u64(u64::from(*pid));
                out.raw("}");
            }
            Event::Exited { pid, tables } => {
                out.raw("{\"type\":\"exited\",\"pid\":");
                out.u64(u64::from(*pid));
                out.raw(",\"tables\":");
                out.u64(*tables);
                out.raw("}");
            }
            Event::Note { text } => {
                out.raw("{\"type\":\"note\",\"text\":");
                out.str(text);
                out.raw("}");
            }
        }
    }
}

impl ToJson for Metrics {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"entries_copied\":");
        out.u64(self.entries_copied);
        out.raw(",\"entries_cloned\":");
        out.u64(self.entries_cloned);
        out.raw(",\"directories_visited\":");
        out.u64(self.directories_visited);
        out.raw(",\"sync_passes\":");
        out.u64(self.sync_passes);
        out.raw(",\"tables_allocated\":");
        out.u64(self.tables_allocated);
        out.raw(",\"tables_freed\":");
        out.u64(self.tables_freed);
        out.raw(",\"faults_fixed\":");
        out.u64(self.faults_fixed);
        out.raw(",\"oopses\":");
        out.u64(self.oopses);
        out.raw(",\"stale_accesses\":");
        out.u64(self.stale_accesses);
        out.raw(",\"bugs\":");
        out.u64(self.bugs);
        out.raw("}");
    }
}

impl ToJson for DivergenceCounts {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"same\":");
        out.u64(u64::from(self.same));
        out.raw(",\"missing\":");
        out.u64(u64::from(self.missing));
        out.raw(",\"stale\":");
        out.u64(u64::from(self.stale));
        out.raw(",\"different\":");
        out.u64(u64::from(self.different));
        out.raw(",\"private\":");
        out.u64(u64::from(self.private));
        out.raw("}");
    }
}

impl ToJson for ProcessInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(&self.name);
        out.raw(",\"pid\":");
        out.u64(u64::from(self.pid));
        out.raw(",\"table_bytes\":");
        out.u64(self.table_bytes);
        out.raw(",\"divergence\":");
        self.divergence.write_json(out);
        out.raw("}");
    }
}

impl ToJson for SlotInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"slot\":");
        out.u64(self.slot as u64);
        out.raw(",\"index\":");
        out.u64(self.index as u64);
        out.raw(",\"va\":");
        out.addr(self.va);
        out.raw(",\"last\":");
        out.addr(self.last);
        out.raw(",\"region\":");
        out.str(&self.region);
        out.raw(",\"level\":");
        out.str(&self.level);
        out.raw(",\"raw\":");
        out.addr(self.raw);
        out.raw(",\"reference_raw\":");
        out.addr(self.reference_raw);
        out.raw(",\"present\":");
        out.bool(self.present);
        out.raw(",\"kind\":");
        out.str(&self.kind);
        out.raw(",\"flags\":");
        out.strs(&self.flags);
        out.raw(",\"target\":");
        out.opt_addr(self.target);
        out.raw(",\"divergence\":");
        out.str(&self.divergence);
        out.raw("}");
    }
}

impl ToJson for LayoutInfo {
    fn write_json(&self, out: &mut JsonOut) {
        let opt = |out: &mut JsonOut, key: &str, v: &Option<String>| {
            if let Some(s) = v {
                out.raw(key);
                out.str(s);
            }
        };
        out.raw("{\"mode\":");
        out.str(&self.mode);
        out.raw(",\"page_offset\":");
        out.str(&self.page_offset);
        out.raw(",\"high_memory\":");
        out.str(&self.high_memory);
        out.raw(",\"vmalloc_start\":");
        out.str(&self.vmalloc_start);
        out.raw(",\"vmalloc_end\":");
        out.str(&self.vmalloc_end);
        opt(out, ",\"pkmap_base\":", &self.pkmap_base);
        out.raw(",\"fixaddr_start\":");
        out.str(&self.fixaddr_start);
        out.raw(",\"fixaddr_tot_start\":");
        out.str(&self.fixaddr_tot_start);
        out.raw(",\"cpu_entry_area_base\":");
        out.str(&self.cpu_entry_area_base);
        out.raw(",\"ldt_base\":");
        out.str(&self.ldt_base);
        opt(out, ",\"vmemmap_base\":", &self.vmemmap_base);
        out.raw(",\"sync_level\":");
        out.str(&self.sync_level);
        out.raw(",\"entry_bytes\":");
        out.u64(self.entry_bytes);
        out.raw(",\"slot_span\":");
        out.str(&self.slot_span);
        out.raw(",\"vmalloc_sync_slots\":");
        out.u64(self.vmalloc_sync_slots);
        out.raw(",\"vmalloc_slot_range\":");
        out.list(self.vmalloc_slot_range, JsonOut::u64);
        out.raw(",\"kernel_sync_slots\":");
        out.u64(self.kernel_sync_slots);
        out.raw(",\"first_kernel_slot\":");
        out.u64(self.first_kernel_slot);
        out.raw(",\"prealloc_bytes\":");
        out.u64(self.prealloc_bytes);
        out.raw(",\"vmalloc_total_kb\":");
        out.u64(self.vmalloc_total_kb);
        if let Some(e) = self.email_estimate_slots {
            out.raw(",\"email_estimate_slots\":");
            out.u64(e);
        }
        out.raw(",\"regions\":");
        out.values(&self.regions);
        out.raw("}");
    }
}

impl ToJson for RegionInfo {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"name\":");
        out.str(&self.name);
        out.raw(",\"kind\":\"");
        out.raw(self.kind.name());
        out.raw("\",\"code\":");
        out.u64(u64::from(self.code));
        out.raw(",\"start\":");
        out.str(&self.start);
        out.raw(",\"last\":");
        out.str(&self.last);
        out.raw("}");
    }
}

impl ToJson for TableBytes {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"kernel\":");
        out.u64(self.kernel);
        out.raw(",\"total\":");
        out.u64(self.total);
        out.raw("}");
    }
}

impl ToJson for StepResult {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            StepResult::Op(r) => {
                out.raw("{\"kind\":\"op\",\"result\":");
                r.write_json(out);
                out.raw("}");
            }
            StepResult::Refused(e) => {
                out.raw("{\"kind\":\"refused\",\"result\":");
                e.write_json(out);
                out.raw("}");
            }
            StepResult::Checked => out.raw("{\"kind\":\"checked\"}"),
            StepResult::Text => out.raw("{\"kind\":\"text\"}"),
        }
    }
}

impl ToJson for Error {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"kind\":\"");
        out.raw(self.kind.name());
        out.raw("\",\"message\":");
        out.str(&self.message);
        if let Some(f) = self.field {
            out.raw(",\"field\":\"");
            out.raw(f.name());
            out.raw("\"");
        }
        if let Some(l) = self.line {
            out.raw(",\"line\":");
            out.u64(l as u64);
        }
        if let Some(c) = self.column {
            out.raw(",\"column\":");
            out.u64(c as u64);
        }
        out.raw("}");
    }
}

/// The configuration as the state hash reads it: every setting, sizes as numbers.
impl ToJson for Config {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"mode\":\"");
        out.raw(self.mode.name());
        out.raw("\",\"split\":");
        match self.split {
            Some(s) => {
                out.raw("\"");
                out.raw(s.name());
                out.raw("\"");
            }
            None => out.null(),
        }
        out.raw(",\"ram\":");
        out.u64(self.ram);
        out.raw(",\"vmalloc\":");
        out.opt_u64(self.vmalloc);
        out.raw(",\"pti\":");
        out.bool(self.pti);
        out.raw(",\"huge_ioremap\":");
        out.bool(self.huge_ioremap);
        out.raw(",\"strategy\":");
        out.str(&self.strategy.name());
        out.raw(",\"preset\":");
        self.preset.write_json(out);
        out.raw("}");
    }
}

impl ToJson for Preset {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{\"nr_cpus\":");
        out.u64(u64::from(self.nr_cpus));
        out.raw(",\"cea_pages_per_cpu\":");
        out.u64(self.cea_pages_per_cpu);
        out.raw(",\"fixmap_fixed_pages\":");
        out.u64(self.fixmap_fixed_pages);
        out.raw(",\"fixmap_pages_per_cpu\":");
        out.u64(self.fixmap_pages_per_cpu);
        out.raw(",\"fixmap_pages_after_btmaps\":");
        out.u64(self.fixmap_pages_after_btmaps);
        out.raw(",\"fixmap64_pages\":");
        out.u64(self.fixmap64_pages);
        out.raw("}");
    }
}
